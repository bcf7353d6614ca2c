"""Which database the session talks to, for the few statements SQLite and PostgreSQL write
differently (an upsert, a row lock, full-text search). Code that holds a connection asks the
connection (`connection.dialect.name`); code that works through the session asks here.

Every request asks (the ballot page twice), and an app's database never changes while it
runs: the answers are worked out once per app (Flask-SQLAlchemy's session binds every model
to the app's one engine)."""

from __future__ import annotations

from flask import current_app

from ..extensions import db

EXTENSION = "session_database"


def _database() -> tuple[str, str]:
    """(dialect name, the database's URL as text) of the app's engine."""
    app = current_app._get_current_object()
    known = app.extensions.get(EXTENSION)
    if known is None:
        bind = db.session.get_bind()
        known = (bind.dialect.name, bind.url.render_as_string(hide_password=True))
        app.extensions[EXTENSION] = known
    return known


def session_dialect() -> str:
    """"postgresql" or "sqlite"."""
    return _database()[0]


def database_key() -> str:
    """Which database the session talks to, as a key for what a process keeps per database
    (the password left out)."""
    return _database()[1]
