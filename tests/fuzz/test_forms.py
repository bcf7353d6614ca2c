"""Hypothesis posts random and hostile values to every form of every role.

The forms are found by walking the URL map over the demo data as a visitor, a resident and an
administrator (who holds every staff role), so a new form is fuzzed without a line here. No
answer may be a server error; a refusal (422) re-renders the form with its error summary and
keeps what the person typed. Bounded (a few derandomised examples per form) to stay fast.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participation.extensions import db
from tests.core.test_robustness import demo  # noqa: F401  (the demo fixture)

from .forms import Form, discover

EXAMPLES = 4
SKIP = ("/logout", "/profile/delete")  # they end the session the walk needs (tested apart)
ACCOUNTS = {"resident": "asukas@example.org", "admin": "yllapito@example.org"}
PASSWORD = "osallistu-demo-2026"

FIXED = [
    "", " ", "x" * 20_000, "\x00", "a\x00b", "\x1b[31m", "\r\n\t", "-1", "0", "-0",
    "-99999999999999999999", "99999999999999999999999999", "1e309", "NaN", "-Infinity", "0x10",
    "9999-12-31", "0001-01-01", "2026-02-30", "31.12.9999", "9999-12-31T23:59",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' OR '1'='1' --",
    "1; DROP TABLE \"user\"; --", "\u202eevil", "\ufeff", "\U0001d518\U0001d52b", "e\u0301" * 40,
    "١٢٣", "²", "{{7*7}}", "%(name)s %s", "../../etc/passwd", "null", "[]", "{}",
    "a@b", "@", "a" * 300 + "@example.org",
]
HOSTILE = st.one_of(
    st.sampled_from(FIXED),
    st.text(max_size=120),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
)
MARKER = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=8, max_size=8).map("pidä".__add__)


def _values(draw, form: Form):
    """Post data for one example: every field hostile or missing, one text field a marker."""
    text = form.text_fields()
    marked = draw(st.sampled_from(text)) if text else None
    marker = draw(MARKER)
    tamper = draw(st.booleans())  # hidden fields and buttons too (then nothing is "kept")
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        fixed = field.kind in ("hidden", "submit") and field.values and not tamper
        if name == marked:
            data[name] = marker
        elif fixed:
            data[name] = field.values[0]
        elif name == "csrf_token" or draw(st.integers(0, 9)) == 0:
            continue  # a missing field
        elif field.kind == "file":
            data[name] = (io.BytesIO(draw(st.binary(max_size=3000))),
                          draw(st.sampled_from(["a.jpg", "a.pb", "../x.png", "x", "ä.webp"])))
        elif field.values and field.kind in ("select", "radio", "checkbox", "submit", "hidden"):
            data[name] = draw(st.one_of(st.sampled_from(field.values), HOSTILE))
        else:  # a value, or the same name twice (a list where one value is expected)
            data[name] = draw(st.one_of(HOSTILE, st.lists(HOSTILE, min_size=2, max_size=3)))
    return data, (None if tamper else marked), marker


def _fuzz(app, client, form: Form, sign_in) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def post(data):
        values, marked, marker = _values(data.draw, form)
        try:
            answer = client.post(form.action, data=values,
                                 content_type="multipart/form-data")
        except Exception:
            db.session.rollback()
            raise
        assert answer.status_code < 500, (form.action, values)
        if answer.status_code == 422:
            page = answer.get_data(as_text=True)
            assert 'class="error-summary"' in page, (form.action, "no error summary")
            if marked is not None:
                assert marker in page, (form.action, marked, "the input was not kept")
        if answer.status_code in (302, 303) and "/login" in answer.headers.get("Location", ""):
            sign_in()  # a post that signs the walker out (a password change)

    post()


@pytest.fixture
def first_ids(app):
    """On PostgreSQL, ids go on from earlier tests (TRUNCATE keeps the sequences): start each
    table's ids after its rows again, so the demo's first objects have id 1 as the walk needs."""
    with app.app_context(), db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            for table in db.metadata.sorted_tables:
                if "id" in table.c and isinstance(table.c.id.type, sa.Integer):
                    connection.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f"COALESCE(MAX(id), 0) + 1, false) FROM \"{table.name}\""))


def test_every_form_of_every_role_survives_hostile_values(app, first_ids, demo):  # noqa: F811
    for who in ("anonymous", "resident", "admin"):  # one demo seeding for the three walks
        client = app.test_client()  # a fresh visitor per role: no cookie carried over

        def sign_in(who=who, client=client):
            if who != "anonymous":
                answer = client.post("/login", data={"email": ACCOUNTS[who],
                                                     "password": PASSWORD})
                assert answer.status_code in (302, 303), f"{who} could not sign in"

        sign_in()
        forms = [form for form in discover(app, client) if not form.action.endswith(SKIP)]
        assert len(forms) >= {"anonymous": 3, "resident": 10, "admin": 30}[who], (
            who, [form.action for form in forms])
        for form in forms:
            _fuzz(app, client, form, sign_in)
            sign_in()
