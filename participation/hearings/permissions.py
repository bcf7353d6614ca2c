"""Who may do what with a hearing: small rules of role × state, tested one by one."""

from __future__ import annotations

from ..core.disclosure import MIN_CELL
from .models import CLOSED, DRAFT, ClassSession, Hearing

ORGANISER_ROLES = ("youth_worker", "staff")


def is_organiser(user) -> bool:
    return bool(user.is_authenticated and user.has_any_role(*ORGANISER_ROLES))


def can_see(user, hearing: Hearing) -> bool:
    """Drafts are seen by organisers only; published and closed hearings by everyone."""
    return hearing.state != DRAFT or is_organiser(user)


def can_see_results(user, hearing: Hearing) -> bool:
    """Organisers while the hearing runs; everyone once it has closed."""
    return hearing.state == CLOSED or (hearing.state != DRAFT and is_organiser(user))


def can_see_session_results(user, session: ClassSession, responses: int) -> bool:
    """A session's own results go to the worker who ran it (or staff), from MIN_CELL answers."""
    if responses < MIN_CELL or not user.is_authenticated:
        return False
    return session.opened_by_id == user.id or user.has_role("staff")
