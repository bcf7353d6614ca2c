"""The reads behind the public receipt list and the anonymous ballot list of a round.

A receipt code and a ballot's choices are public once results are out; neither names a voter.
Also the identity checks a person has on record, for their profile page."""

from __future__ import annotations

import sqlalchemy as sa

from ...core.pagination import Page, paginate
from ...extensions import db
from ..rounds.models import Budget, BudgetRound
from .models import Ballot, BallotChoice, VoterVerification


def receipt_counted(budget_round: BudgetRound, code: str) -> bool:
    """Whether a ballot with this receipt code was counted in the round."""
    return db.session.scalar(sa.select(Ballot.id).where(
        Ballot.round_id == budget_round.id, Ballot.receipt_code == code)) is not None


def _receipts(budget_round: BudgetRound):
    return (sa.select(Ballot.receipt_code).where(Ballot.round_id == budget_round.id)
            .order_by(Ballot.receipt_code))


def receipts_page(budget_round: BudgetRound, page: int, per_page: int) -> Page:
    return paginate(_receipts(budget_round), page, per_page)


def all_receipts(budget_round: BudgetRound) -> list[str]:
    return db.session.scalars(_receipts(budget_round)).all()


def anonymous_ballots_page(budget: Budget, page: int, per_page: int
                           ) -> tuple[Page, dict[str, list[tuple[int, int]]]]:
    """One page of the budget's ballots and, per ballot id, its (proposal id, points)."""
    found = paginate(sa.select(Ballot).where(Ballot.budget_id == budget.id).order_by(Ballot.id),
                     page, per_page)
    ids = [ballot.id for ballot in found.items]
    choices: dict[str, list[tuple[int, int]]] = {ballot_id: [] for ballot_id in ids}
    if ids:
        for ballot_id, proposal_id, points in db.session.execute(
                sa.select(BallotChoice.ballot_id, BallotChoice.proposal_id, BallotChoice.points)
                .where(BallotChoice.ballot_id.in_(ids))
                .order_by(BallotChoice.proposal_id)):
            choices[ballot_id].append((proposal_id, points))
    return found, choices


def recorded_checks(user) -> list[VoterVerification]:
    """Every identity check on record for the person, voided ones included."""
    return db.session.scalars(sa.select(VoterVerification)
                              .where(VoterVerification.user_id == user.id)).all()
