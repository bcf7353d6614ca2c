"""Pooled database connections are checked before use only after they have been idle.

SQLAlchemy's `pool_pre_ping` sends a round trip to the database at every checkout: on a busy
site that is one more statement for every request (a ballot page sends six of its own), to
catch the rare connection the database dropped while it lay in the pool (a restart, an idle
timeout at a proxy). Here a connection is pinged only when it has been idle in the pool for
DATABASE_PING_AFTER_IDLE_SECONDS or longer; one that a request handed back a moment ago is
used as it is. A dead one is replaced before the request sees it (the pool tries again with
a new connection).

What this leaves: when the database restarts under load, requests that take a connection
used within that many seconds fail once (the error page); SQLAlchemy then invalidates the
whole pool, so each worker's next requests get new connections. Requests that are running at
the moment of a restart fail either way. See docs/operations.md.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

_IDLE_SINCE = "participation_idle_since"


def ping(dbapi_connection) -> None:
    """A round trip on the driver's connection (raises if the connection is dead). It ends the
    transaction the driver began for it: the request gets the connection as the pool keeps
    it, outside a transaction (a view that reads without one switches it to autocommit,
    which the driver refuses inside a transaction: core/transactions.reads_only)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SELECT 1")
        cursor.fetchall()
    finally:
        cursor.close()
    dbapi_connection.rollback()


def ping_idle_connections(engine: sa.Engine, after_seconds: float) -> None:
    """Ping a connection at checkout when it has been in the pool `after_seconds` or more
    (0: at every checkout of a connection that was in the pool; a new one is never pinged)."""

    def checked_in(_dbapi_connection, record) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checked_out(dbapi_connection, record, _proxy) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < after_seconds:
            return
        try:
            ping(dbapi_connection)
        except Exception as error:  # the driver's own error types: any failure means dead
            # The pool invalidates this connection and checks out a new one (up to 3 times).
            raise sa.exc.DisconnectionError(str(error)) from error

    sa.event.listen(engine, "checkin", checked_in)
    sa.event.listen(engine, "checkout", checked_out)
