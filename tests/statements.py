"""Counting the SQL statements a piece of work sends (query-count tests on both databases)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from participation.extensions import db


@contextmanager
def each_statement(app, record):
    """Call `record(connection, cursor, statement, parameters, context, executemany)` for every
    statement the app's engine sends meanwhile."""
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def counted(app):
    """Yield a list that fills with every statement sent meanwhile, whitespace collapsed."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(" ".join(statement.split()))

    with each_statement(app, count):
        yield statements
