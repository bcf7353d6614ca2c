"""The end of a unit of work, for views that must not touch the session themselves.

Services change objects and flush; the view that called them decides, after the service
answered, whether the work stands (commit) or is thrown away (rollback)."""

from __future__ import annotations

from ..extensions import db


def commit() -> None:
    db.session.commit()


def rollback() -> None:
    db.session.rollback()
