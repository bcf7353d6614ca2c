"""Who may do what in which phase: a small table of phase kind x action -> roles.

Views check the coarse access with @login_required / @roles_required and then ask `allowed()`
(or `allowed_in_round()`) for the phase rule; services check the same rule again.
"""

from __future__ import annotations

from datetime import datetime

from flask_login import current_user

NO_PHASE = "none"  # before the first phase, between phases, after the last
ACTIONS = (
    "submit_proposal",
    "review_proposal",
    "vote",
    "enter_paper_ballot",
    "view_results",
    "post_progress_update",
)
ANONYMOUS = "anonymous"
EVERYONE = frozenset({ANONYMOUS, "resident", "moderator", "youth_worker", "staff", "admin"})
RESIDENTS = EVERYONE - {ANONYMOUS}
STAFF = frozenset({"staff", "admin"})

PHASE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    NO_PHASE: {"review_proposal": STAFF},
    "proposals": {"submit_proposal": RESIDENTS, "review_proposal": STAFF},
    "review": {"review_proposal": STAFF},
    "voting": {"vote": RESIDENTS, "enter_paper_ballot": STAFF},
    "results": {"view_results": EVERYONE, "post_progress_update": STAFF},
    "implementation": {"view_results": EVERYONE, "post_progress_update": STAFF},
}


def roles_of(user) -> frozenset[str]:
    """The table's roles for a user (anonymous visitors have only 'anonymous')."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset({ANONYMOUS})
    roles = set(user.roles)
    if "admin" in roles:
        roles |= RESIDENTS
    return frozenset(roles)


def allowed(user, action: str, phase_kind: str | None) -> bool:
    """May `user` do `action` while a phase of `phase_kind` (None: no phase) is open?"""
    if action not in ACTIONS:
        raise ValueError(f"unknown budgeting action {action!r}")
    rules = PHASE_PERMISSIONS.get(phase_kind or NO_PHASE, {})
    return bool(rules.get(action, frozenset()) & roles_of(user))


def allowed_in_round(user, action: str, budget_round, now: datetime | None = None) -> bool:
    """`allowed` for the round's current phase; unpublished rounds only allow staff review."""
    if budget_round.published_at is None and action != "review_proposal":
        return False
    if action == "vote" and budget_round.voting_closed_at is not None:
        return False
    phase = budget_round.current_phase(now)
    kind = phase.kind if phase else None
    if kind is None and budget_round.results_published_at is not None:
        kind = "implementation"  # a finished round stays in its last phase for good
    return allowed(user, action, kind)


def is_staff(user=None) -> bool:
    user = user or current_user
    return bool(user.is_authenticated and user.has_role("staff"))
