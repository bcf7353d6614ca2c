"""No input makes the site answer 500: every route, hostile query strings and form posts.

The demo data gives the routes real objects to work on (ids 1, 2, ...), so the walk reaches
the code behind the 404s. Each hostile value is one a real person or a crawler can send:
digits that are not ASCII, huge numbers, far dates, NUL bytes, markup, very long text.
"""

from __future__ import annotations

import pytest

from participation.budgeting.rounds.models import PHASE_KINDS
from participation.demo import seed_demo_data
from participation.extensions import db, limiter
from participation.moderation.registry import all_types
from tests.routes import routes

HOSTILE = (
    "²", "١٢", "-1", "99999999999999999999999", "9999-12-31", "1e309", "a\x00b",
    "<script>alert(1)</script>", "x" * 5000,
    # Header splitting through a redirect target, a date before any time zone, and a number
    # past PostgreSQL's integer (2**40) and past every integer column.
    "/\r\nX-Injected: yes", "0001-01-01T00:00", str(2**40), "99999999999999999999",
)
# Query and form names the views read (from request.args / request.form or WTForms).
NAMES = (
    "page", "q", "area", "theme", "status", "language", "lang", "sort", "process", "kind", "type",
    "state", "moderator", "action", "since", "until", "reason", "budget", "round", "next",
    "month", "period", "parent_id", "proposal", "sheet_number", "points-1", "choice",
    "choices", "email", "title", "description", "text", "body", "cost", "year", "birth_year",
    "home_area", "area_id", "district", "theme_id", "days", "note", "new_text", "code",
    "idea", "position",
    # youth hearings: answers, background, class sessions, exports
    "q1", "q2", "q3", "q4", "q5", "q6", "rank-5-10", "shown", "bg_age", "bg_area",
    "bg_language", "send", "group_name", "cap", "hours", "plain", "print", "hearing",
)


def _form_field_names() -> set[str]:
    """Every field of every form the app defines, so each staff and resident form is walked."""
    from flask_wtf import FlaskForm

    import participation.models  # noqa: F401  (imports every domain, so every form class)

    names, todo = set(), [FlaskForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        names.update(name for name in dir(cls)
                     if getattr(getattr(cls, name, None), "field_class", None) is not None)
    return names - {"csrf_token", "submit"}


def _string_args(rule) -> list[dict[str, str]]:
    """Real values for string placeholders where the app has a fixed set, else junk."""
    names = [n for n in rule.arguments if n not in _int_names(rule)]
    if not names:
        return [{}]
    known = {
        "content_type": [t.key for t in all_types()] or ["idea"],
        "kind": list(PHASE_KINDS),
        "action": ["open", "close", "publish", "publish-results", "x"],
        "code": ["fi", "sv", "en", "zz", "²"],
        "token": ["x", "a.b.c"],
        "name": ["x.jpg", "../secret"],
        "filename": ["site.css"],
    }
    return [{n: known.get(n, ["x"])[i % len(known.get(n, ["x"]))] for n in names}
            for i in range(max(len(known.get(n, ["x"])) for n in names))]


def _int_names(rule) -> set[str]:
    from werkzeug.routing import IntegerConverter

    return {n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)}


def _urls(app, rule):
    from flask import url_for

    for strings in _string_args(rule):
        for number in (1, 10**20):  # a demo object, and an id no column can hold
            args = dict(strings, **dict.fromkeys(_int_names(rule), number))
            with app.test_request_context():
                yield url_for(rule.endpoint, **args)
            if not _int_names(rule):
                break


@pytest.fixture
def demo(app):
    with app.test_request_context():
        seed_demo_data(if_empty=False, progress=lambda _message: None)
        db.session.commit()
    limiter.enabled = False  # the walk posts far more than any person; limits are tested apart
    yield
    limiter.enabled = True


def _server_error(send) -> str | None:
    """What went wrong, if the answer is a server error (with TESTING on, errors propagate)."""
    try:
        status = send().status_code
    except Exception as error:  # exactly what the walk looks for: report it, carry on
        db.session.rollback()
        return f"{type(error).__name__}: {str(error)[:80]}"
    return f"HTTP {status}" if status >= 500 else None


def _walk_gets(app, client) -> list[tuple]:
    failures = []
    for rule, _method in routes(app, ("GET",)):
        for url in _urls(app, rule):
            for value in HOSTILE:
                query = dict.fromkeys(NAMES, value)
                problem = _server_error(lambda url=url, query=query: client.get(
                    url, query_string=query))
                if problem:
                    failures.append((url, value[:12], problem))
    return failures


@pytest.mark.parametrize("who", ["anonymous", "resident", "admin"])
def test_no_hostile_query_string_gives_a_server_error(app, client, auth, demo, who):
    if who != "anonymous":
        auth.login({"resident": "asukas@example.org", "admin": "yllapito@example.org"}[who],
                   "osallistu-demo-2026")
    assert _walk_gets(app, client) == []


@pytest.mark.parametrize("who", ["resident", "admin"])
def test_no_hostile_form_post_gives_a_server_error(app, client, auth, demo, who):
    email = {"resident": "asukas@example.org", "admin": "yllapito@example.org"}[who]
    auth.login(email, "osallistu-demo-2026")
    failures = []
    names = sorted(set(NAMES) | _form_field_names())
    for rule, _method in routes(app, ("POST",)):
        if rule.endpoint in {"accounts.logout", "accounts.delete_account"}:
            continue  # they end the session the walk needs; tested on their own
        for url in _urls(app, rule):
            for value in HOSTILE:
                data = dict.fromkeys(names, value)
                problem = _server_error(lambda url=url, data=data: client.post(url, data=data))
                if problem:
                    failures.append((url, value[:12], problem))
                # A post may log the walker out (password change) or ban them: log in again.
                auth.login(email, "osallistu-demo-2026")
    assert failures == []


def test_the_inputs_the_security_review_sent(app, client, auth, demo):
    """Each exact input of the review, with the other fields valid so it reaches the code."""
    injected = client.get("/language/fi?next=/%0D%0AX:y")
    assert injected.status_code == 302 and "X" not in injected.headers
    assert "\n" not in injected.headers["Location"]
    auth.login("yllapito@example.org", "osallistu-demo-2026")
    assert client.get("/login?next=/%0D%0AX:y").status_code == 302
    from participation.budgeting.rounds.models import BudgetRound

    with app.app_context():  # PostgreSQL's ids go on counting across tests
        round_id = db.session.scalar(db.select(BudgetRound.id).order_by(BudgetRound.id))
    assert client.get(f"/budgeting/manage/{round_id}/proposals/new"
                      "?idea=99999999999999999999").status_code == 200
    phase = client.post(f"/budgeting/manage/{round_id}/phases", data={
        "kind": "voting", "starts_at": "0001-01-01T00:00", "ends_at": "0001-01-02T00:00"})
    assert phase.status_code in (302, 422)
    theme = client.post("/admin/themes/new", data={
        "name_fi": "Teema", "name_sv": "Tema", "name_en": "Theme", "slug": "iso-teema",
        "position": str(2**40), "active": "y"})
    assert theme.status_code == 422
