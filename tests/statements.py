"""Counting the SQL statements a piece of work sends (query-count tests on both databases)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from participation.extensions import db


@contextmanager
def counted(app):
    """Yield a list that fills with every statement sent meanwhile, whitespace collapsed."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
