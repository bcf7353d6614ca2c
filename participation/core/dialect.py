"""Which database the session talks to, for the few statements SQLite and PostgreSQL write
differently (an upsert, a row lock, full-text search). Code that holds a connection asks the
connection (`connection.dialect.name`); code that works through the session asks here."""

from __future__ import annotations

from ..extensions import db


def session_dialect() -> str:
    """"postgresql" or "sqlite"."""
    return db.session.get_bind().dialect.name
