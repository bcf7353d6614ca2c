"""core/transactions.reads_only: a view that only reads sends its statements without a
transaction on PostgreSQL (no BEGIN and ROLLBACK round trips), and only reads."""

from __future__ import annotations

from contextlib import contextmanager

from participation.extensions import db
from tests.budgeting.builders import pb_fixture  # noqa: F401  (pb fixture)
from tests.statements import each_statement


@contextmanager
def _statements(app):
    """(first word of each statement, whether its connection was in autocommit)."""
    seen: list[tuple[str, bool]] = []

    def record(connection, _cursor, statement, _parameters, _context, _executemany):
        dbapi = connection.connection.dbapi_connection
        seen.append((statement.split()[0].upper(), bool(getattr(dbapi, "autocommit", False))))

    with each_statement(app, record):
        yield seen


def test_the_ballot_page_only_reads_and_on_postgresql_outside_a_transaction(
        app, client, pb, factory, auth):
    ref = pb.round()
    page = f"/budgeting/{ref.id}/vote/{ref.budget()}"
    auth.login(factory.user().email)
    assert client.post(f"{page}/cast", data={"choice": [str(ref.proposals["city"][0])]}
                       ).headers["Location"].endswith("/done")
    client.get(page)  # the process reads the round once (rounds/snapshots.py, a session of
    with _statements(app) as seen:  # its own): then the page's own statements
        assert client.get(page).status_code == 200
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
    assert seen and {verb for verb, _autocommit in seen} == {"SELECT"}
    assert {autocommit for _verb, autocommit in seen} == {postgresql}


def test_a_cast_keeps_its_transaction(app, client, pb, factory, auth):
    ref = pb.round()
    page = f"/budgeting/{ref.id}/vote/{ref.budget()}"
    auth.login(factory.user().email)
    client.get(page)
    with _statements(app) as seen:
        cast = client.post(f"{page}/cast", data={"choice": [str(ref.proposals["city"][0])]})
    assert cast.headers["Location"].endswith("/done")
    assert "INSERT" in {verb for verb, _autocommit in seen}
    assert {autocommit for _verb, autocommit in seen} == {False}
    with _statements(app) as seen:  # the next page of the same client reads as before
        assert client.get(page).status_code == 200
    assert seen
