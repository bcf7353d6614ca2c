""""Your picks": the fate of each proposal on the ballot a voter holds the receipt code of.

Read from the anonymous ballot the code belongs to and the published result, and nothing else:
no table links a ballot to a person, and looking picks up writes nothing, so the site never
learns (or keeps) who voted what. Only someone holding the code sees the picks.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ...core.disclosure import MIN_CELL
from ...extensions import db
from ..rounds.models import Budget, BudgetResult, BudgetRound, Proposal
from ..voting.models import Ballot, BallotChoice
from .explain import explain


@dataclass(frozen=True)
class Pick:
    proposal: Proposal
    points: int
    funded: bool
    why: str


@dataclass(frozen=True)
class BallotPicks:
    budget: Budget
    picks: list[Pick]
    too_few_ballots: bool  # individual ballots of small budgets are not shown, this one neither

    @property
    def funded(self) -> list[Pick]:
        return [pick for pick in self.picks if pick.funded]

    @property
    def not_funded(self) -> list[Pick]:
        return [pick for pick in self.picks if not pick.funded]


def picks_for_receipt(budget_round: BudgetRound, code: str) -> BallotPicks | None:
    """The picks on the counted ballot with receipt `code` (None: no such ballot)."""
    ballot = db.session.scalar(sa.select(Ballot).where(Ballot.round_id == budget_round.id,
                                                       Ballot.receipt_code == code))
    if ballot is None or budget_round.results_published_at is None:
        return None
    budget = db.session.get(Budget, ballot.budget_id)
    result = db.session.scalar(sa.select(BudgetResult).filter_by(budget_id=budget.id))
    if result is None or result.ballots < MIN_CELL:
        return BallotPicks(budget, [], too_few_ballots=result is not None)
    rows = db.session.execute(
        sa.select(Proposal, BallotChoice.points)
        .join(BallotChoice, BallotChoice.proposal_id == Proposal.id)
        .where(BallotChoice.ballot_id == ballot.id).order_by(Proposal.id)).all()
    picks = []
    for proposal, points in rows:
        facts = result.details.get(str(proposal.id), {})
        funded = proposal.id in result.selected
        picks.append(Pick(proposal, points, funded, explain(facts, proposal.cost, budget_round)))
    picks.sort(key=lambda pick: (not pick.funded, pick.proposal.id))
    return BallotPicks(budget, picks, too_few_ballots=False)
