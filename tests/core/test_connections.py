"""Pooled connections are pinged before use only after lying idle (core/connections.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.core import connections
from participation.extensions import db
from tests.clock import Clock


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(connections.time, "monotonic", clock)
    return clock


@pytest.fixture
def pings(monkeypatch):
    seen = []
    real = connections.ping

    def counted(dbapi_connection):
        seen.append(dbapi_connection)
        real(dbapi_connection)

    monkeypatch.setattr(connections, "ping", counted)
    return seen


@pytest.fixture
def engine(database_url):
    engine = sa.create_engine(database_url, pool_size=1, max_overflow=0)
    connections.ping_idle_connections(engine, 10)
    yield engine
    engine.dispose()


def _use(engine) -> None:
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1")).scalar()


def test_a_connection_used_again_soon_is_not_pinged(engine, clock, pings):
    for _ in range(5):
        _use(engine)
        clock.now += 9
    assert pings == []


def test_a_connection_idle_long_enough_is_pinged_once(engine, clock, pings):
    _use(engine)  # a new connection: never pinged
    clock.now += 10
    _use(engine)
    clock.now += 1
    _use(engine)
    assert len(pings) == 1


def test_the_app_engine_pings_only_after_its_configured_idle_time(app, clock, pings):
    with app.app_context():
        db.session.execute(sa.text("SELECT 1"))
        db.session.remove()
        clock.now += app.config["DATABASE_PING_AFTER_IDLE_SECONDS"] - 1
        db.session.execute(sa.text("SELECT 1"))
        db.session.remove()
        assert pings == []
        clock.now += app.config["DATABASE_PING_AFTER_IDLE_SECONDS"]
        db.session.execute(sa.text("SELECT 1"))
        db.session.remove()
        assert len(pings) == 1


def test_a_dropped_idle_connection_is_replaced_before_use(engine, clock, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("only a server can drop a connection")
    with engine.connect() as connection:
        first = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    other = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with other.connect() as admin:  # what a database restart does to the pooled connection
        assert admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"),
                             {"pid": first}).scalar()
    other.dispose()
    clock.now += 10
    with engine.connect() as connection:  # pinged, found dead, replaced: no error here
        second = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    assert second != first


def test_a_pinged_connection_is_handed_over_outside_a_transaction(engine, clock, pings,
                                                                  database_url):
    """The ping's own transaction is ended: a read-only view may switch the connection to
    autocommit, which the driver refuses inside a transaction (core/transactions.reads_only)."""
    _use(engine)
    clock.now += 10
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        assert connection.execute(sa.text("SELECT 1")).scalar() == 1
        if database_url.startswith("postgresql"):
            status = connection.connection.dbapi_connection.info.transaction_status
            assert status.name == "IDLE"
    assert len(pings) == 1
