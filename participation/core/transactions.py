"""The end of a unit of work, for views that must not touch the session themselves.

Services change objects and flush; the view that called them decides, after the service
answered, whether the work stands (commit) or is thrown away (rollback)."""

from __future__ import annotations

from collections.abc import Callable

from ..extensions import db
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
