"""Anonymity read from the schema, and the shuffle that closing does."""

from __future__ import annotations

import sqlalchemy as sa

from participation.extensions import db
from participation.hearings import answering, services
from participation.hearings.models import Response, TextAnswer
from tests.hearings.conftest import build, user

RESPONSE_TABLES = ("hearing_response", "hearing_answer", "hearing_text_answer")
# Columns that would name a person, an account, a device or a moment.
IDENTIFYING = ("user", "device", "token", "session_key", "ip", "email", "respondent", "owner")


def test_no_response_table_references_a_user_or_a_device(app):
    with app.app_context():
        inspector = sa.inspect(db.engine)  # the migrated schema, not the models
        tables = set(inspector.get_table_names())
        assert set(RESPONSE_TABLES) <= tables
        for table in RESPONSE_TABLES:
            for key in inspector.get_foreign_keys(table):
                assert key["referred_table"] not in (
                    "user", "hearing_respondent", "hearing_answer_draft"), (table, key)
            for column in inspector.get_columns(table):
                name = column["name"].lower()
                assert not any(word in name for word in IDENTIFYING), (table, name)
                # No time at all, except the moderation queue's midnight stamp on free text.
                if isinstance(column["type"], sa.DateTime | sa.Date):
                    assert (table, name) == ("hearing_text_answer", "created_at")
            key_columns = inspector.get_pk_constraint(table)["constrained_columns"]
            assert key_columns == ["id"]


def test_the_schema_check_finds_identifying_columns(app):
    # The same reading of the schema flags the respondent record, which does name people.
    with app.app_context():
        inspector = sa.inspect(db.engine)
        names = [column["name"] for column in inspector.get_columns("hearing_respondent")]
        assert any(word in name for name in names for word in IDENTIFYING)
        referred = {key["referred_table"]
                    for key in inspector.get_foreign_keys("hearing_respondent")}
        assert "user" in referred


def test_close_ended_command_closes_and_shuffles(app, worker, runner):
    from datetime import timedelta

    from participation.core.types import utcnow

    with app.test_request_context():
        hearing = build(user(worker))
        hearing.closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        hearing_id = hearing.id
    result = runner.invoke(args=["hearings", "close-ended"])
    assert result.exit_code == 0 and f"Closed 1 hearing(s): {hearing_id}" in result.output
    with app.app_context():
        from participation.hearings.models import Hearing

        assert db.session.get(Hearing, hearing_id).state == "closed"


def test_response_ids_are_random_not_sequential(app, worker, ctx):
    hearing = build(user(worker))
    single = hearing.questions[0]
    for _ in range(3):
        answering.submit_response(hearing, {f"q{single.id}": [str(single.options[0].id)]},
                                  paper=True)
    ids = db.session.scalars(sa.select(Response.id)).all()
    assert all(len(value) == 32 for value in ids) and len(set(ids)) == 3


def _physical_order(table: str) -> list:
    if db.session.get_bind().dialect.name == "postgresql":
        return list(db.session.execute(sa.text(f"SELECT id FROM {table} ORDER BY ctid")).scalars())
    return list(db.session.execute(sa.text(f"SELECT id FROM {table} ORDER BY rowid")).scalars())


def test_closing_rewrites_responses_in_shuffled_order(app, worker, ctx):
    hearing = build(user(worker))
    single, text = hearing.questions[0], hearing.questions[3]
    for number in range(40):
        raw = {f"q{single.id}": [str(single.options[number % 3].id)],
               f"q{text.id}": [f"vastaus {number}"]}
        answering.submit_response(hearing, raw, paper=True)
    db.session.commit()
    written = _physical_order("hearing_response")
    texts_written = _physical_order("hearing_text_answer")
    counts_before = db.session.execute(sa.text(
        "SELECT option_id, count(*) FROM hearing_answer GROUP BY option_id ORDER BY 1")).all()
    services.close(hearing, user(worker))
    db.session.commit()
    after = _physical_order("hearing_response")
    assert sorted(after) == sorted(written) and after != written
    if db.session.get_bind().dialect.name == "postgresql":
        # (On SQLite the random integer key is the rowid: its order was random already.)
        assert _physical_order("hearing_text_answer") != texts_written
    assert db.session.execute(sa.text(
        "SELECT option_id, count(*) FROM hearing_answer GROUP BY option_id ORDER BY 1"
    )).all() == counts_before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TextAnswer)) == 40
    if db.session.get_bind().dialect.name == "postgresql":
        # Every row now carries the closing transaction's id, not its writer's.
        xmins = db.session.execute(sa.text(
            "SELECT DISTINCT xmin::text FROM hearing_response")).scalars().all()
        assert len(xmins) == 1


def test_closing_zeroes_the_deleted_rows_on_sqlite_whatever_the_build_default(app, worker, ctx):
    """Debian's SQLite overwrites deleted cells by default, other builds leave the old rows in
    the file's pages in the order they were written: the shuffle turns secure_delete on."""
    if db.session.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL: the dead versions are VACUUMed (test_close_ended_command...)
    hearing = build(user(worker))
    single = hearing.questions[0]
    answering.submit_response(hearing, {f"q{single.id}": [str(single.options[0].id)]},
                              paper=True)
    db.session.execute(sa.text("PRAGMA secure_delete = OFF"))
    services.close(hearing, user(worker))
    assert db.session.execute(sa.text("PRAGMA secure_delete")).scalar() == 1
    db.session.commit()
