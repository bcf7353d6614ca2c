"""A proposal's status, from draft to implemented: the names, the allowed moves and their rules.

Every status change goes through `check_move` (the review, the results, staff implementation
steps), so a proposal can never claim a state it has not reached: a losing proposal becomes
"not selected" when the results are published, and only a selected one is carried out.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...core.exceptions import ServiceError
from ...core.types import utcnow

PROPOSAL_STATUSES = (
    "draft", "submitted", "in_review", "not_feasible", "on_ballot", "merged",
    "selected", "not_selected", "in_planning", "under_construction", "implemented", "cancelled",
)
# Statuses of proposals that were on the ballot: voters chose among these, so the tally,
# the results and the ballot lists read them all.
BALLOT_STATUSES = ("on_ballot", "selected", "not_selected", "in_planning",
                   "under_construction", "implemented", "cancelled")
# The steps staff take after the results; a cancelled proposal needs a public reason.
IMPLEMENTATION_STEPS = ("in_planning", "under_construction", "implemented", "cancelled")
CARRIED_OUT = ("selected", "in_planning", "under_construction", "implemented")

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted"}),
    "submitted": frozenset({"in_review", "on_ballot", "not_feasible", "merged"}),
    "in_review": frozenset({"on_ballot", "not_feasible", "merged"}),
    "not_feasible": frozenset({"in_review", "on_ballot", "merged"}),
    # back to review when a moderator hides it before voting
    "on_ballot": frozenset({"in_review", "not_feasible", "merged", "selected", "not_selected"}),
    "merged": frozenset(),
    "selected": frozenset({"in_planning", "under_construction", "implemented", "cancelled"}),
    "not_selected": frozenset(),
    "in_planning": frozenset({"under_construction", "implemented", "cancelled"}),
    "under_construction": frozenset({"implemented", "cancelled"}),
    "implemented": frozenset(),
    "cancelled": frozenset(),
}

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "in_review": _l("Under review"),
    "not_feasible": _l("Not feasible"),
    "on_ballot": _l("Feasible: on the ballot"),
    "merged": _l("Merged"),
    "selected": _l("Selected"),
    "not_selected": _l("Not selected"),
    "in_planning": _l("In planning"),
    "under_construction": _l("Under construction"),
    "implemented": _l("Implemented"),
    "cancelled": _l("Cancelled"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def can_move(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


def check_move(proposal, new: str) -> None:
    """Raise ServiceError unless `proposal` may go from its status to `new` now."""
    if new not in PROPOSAL_STATUSES:
        raise ServiceError(_("Choose a status from the list."), "status")
    if not can_move(proposal.status, new):
        raise ServiceError(_("A proposal that is “%(old)s” cannot become “%(new)s”.",
                             old=status_label(proposal.status), new=status_label(new)),
                           "status")
    if (new in ("selected", "not_selected") or new in IMPLEMENTATION_STEPS) \
            and proposal.round.results_published_at is None:
        raise ServiceError(_("Results have not been published yet."), "status")


def move(proposal, new: str) -> None:
    """Change the status after `check_move` (callers audit in their own words)."""
    check_move(proposal, new)
    proposal.status = new
    proposal.status_changed_at = utcnow()
