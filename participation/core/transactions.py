"""The end of a unit of work, for views that must not touch the session themselves.

Services change objects and flush; the view that called them decides, after the service
answered, whether the work stands (commit) or is thrown away (rollback)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import request

from ..extensions import db
from .dialect import session_dialect
from .exceptions import ServiceError
from .forms import show_service_error


def commit() -> None:
    db.session.commit()


def rollback() -> None:
    db.session.rollback()


def attempt(form, action: Callable[[], object]) -> bool:
    """Run one service call as the unit of work: commit when it stands (True); when the
    service refuses, roll back and show the refusal on `form` (False), so the view re-renders
    the form with the input kept."""
    try:
        action()
    except ServiceError as error:
        rollback()
        show_service_error(form, error)
        return False
    commit()
    return True


def reads_only(view):
    """For a view that only reads, on GET (the ballot page, opened by every voter several
    times): on PostgreSQL its statements are sent without a transaction (autocommit), which
    saves the BEGIN and ROLLBACK round trips of every request. Each statement still sees what
    was committed when it began, as it does in a transaction at READ COMMITTED (PostgreSQL's
    default, which the app keeps). A view so marked must not write: a write would stand alone,
    committed at once (tests/core/test_reads_only.py checks the ballot page sends only
    SELECTs). Outside the decorator, a request that has already read (a before-request hook
    that looked for ended votes) keeps its transaction."""
    @wraps(view)
    def read(*args, **kwargs):
        if request.method in ("GET", "HEAD") and not db.session().in_transaction() \
                and session_dialect() == "postgresql":
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return view(*args, **kwargs)
    return read
