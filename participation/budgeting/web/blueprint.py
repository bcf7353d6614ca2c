"""The budgeting blueprint and the lookups its views share."""

from __future__ import annotations

from flask import Blueprint, abort

from ...core import transactions
from ..rounds import lookups, snapshots
from ..rounds.permissions import is_staff

bp = Blueprint("budgeting", __name__, url_prefix="/budgeting")


@bp.before_request
def close_ended_votes():
    """Voting ends at its phase's end even if nobody closes it: erase the ballot links first.

    Its own small unit of work, committed before the view runs (and the scheduled job does the
    same when nobody visits). Lazily: the database is asked only when a vote may have ended
    since this process last looked (voting/end_watch.py)."""
    from ..voting.casting import close_ended_votes as close_ended

    if close_ended(lazily=True):
        transactions.commit()


@bp.app_template_global("budgeting_proposals_from_idea")
def proposals_from_idea(idea_id: int) -> list:
    """For the ideas package's idea page: every proposal made from the idea."""
    from ..rounds.idea_links import proposals_from_idea as from_idea

    return from_idea(idea_id)


@bp.app_template_global("budgeting_verification")
def verification_summary(user) -> dict:
    """For the profile page: the person's identity check level and how they can raise it."""
    from ..voting.eligibility import provider_start_urls, valid_checks, verification_level
    from ..voting.published import recorded_checks

    checks = recorded_checks(user)
    return {"level": verification_level(user),
            "voided": len(checks) > len(valid_checks(user)),
            "staff_verified": any(c.level == "staff_verified" for c in valid_checks(user)),
            "providers": provider_start_urls()}


def round_or_404(round_id: int, *, staff_view: bool = False):
    """A round visitors may see: published and not a simulation (staff see every round)."""
    return _visible_or_404(lookups.get_round(round_id), staff_view)


def _visible_or_404(budget_round, staff_view: bool = False):
    if budget_round is None:
        abort(404)
    visible = budget_round.published_at is not None and not budget_round.is_simulation
    if not visible and not (staff_view or is_staff()):
        abort(404)
    return budget_round


def round_and_budget_or_404(round_id: int, budget_id: int) -> tuple:
    """(round, budget) as round_or_404 and budget_or_404 give them, read in one query."""
    budget = lookups.get_budget_in_round(round_id, budget_id)
    if budget is None:
        abort(404)
    return _visible_or_404(budget.round), budget


def kept_round_and_budget_or_404(round_id: int, budget_id: int, user) -> tuple:
    """round_and_budget_or_404 for a page that only reads (the ballot page): the process's
    copy of the round (rounds/snapshots.py), checked against the database's version in the
    statement that reads the voter's roll entry anyway. (round, budget, the person's roll
    entry in the budget as a RollMark or None, the snapshot for the budget's proposal rows)."""
    from ..voting.eligibility import version_and_roll_entry

    version, entry = version_and_roll_entry(round_id, budget_id, user)
    kept = snapshots.snapshot(round_id, version) if version is not None else None
    budget = kept.budget(budget_id) if kept is not None else None
    if budget is None:
        abort(404)
    return _visible_or_404(kept.budget_round), budget, entry, kept


def budget_or_404(budget_round, budget_id: int):
    budget = lookups.get_budget(budget_id)
    if budget is None or budget.round_id != budget_round.id:
        abort(404)
    return budget


def proposal_or_404(proposal_id: int):
    proposal = lookups.get_proposal(proposal_id)
    if proposal is None:
        abort(404)
    round_or_404(proposal.round_id)
    return proposal
