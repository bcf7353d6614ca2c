"""The budgeting blueprint and the lookups its views share."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from ..extensions import db
from .models import Budget, BudgetRound, Proposal

bp = Blueprint("budgeting", __name__, url_prefix="/budgeting")


def is_staff(user=None) -> bool:
    user = user or current_user
    return bool(user.is_authenticated and user.has_role("staff"))


def round_or_404(round_id: int, *, staff_view: bool = False) -> BudgetRound:
    """A round visitors may see: published and not a simulation (staff see every round)."""
    budget_round = db.session.get(BudgetRound, round_id)
    if budget_round is None:
        abort(404)
    visible = budget_round.published_at is not None and not budget_round.is_simulation
    if not visible and not (staff_view or is_staff()):
        abort(404)
    return budget_round


def budget_or_404(budget_round: BudgetRound, budget_id: int) -> Budget:
    budget = db.session.get(Budget, budget_id)
    if budget is None or budget.round_id != budget_round.id:
        abort(404)
    return budget


def proposal_or_404(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    round_or_404(proposal.round_id)
    return proposal
