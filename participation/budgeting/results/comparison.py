"""The published rule beside the standard greedy rule, in public, for every budget.

Read only, from the anonymous ballots and the stored result: what greedy would have funded,
how much each would have spent in each budget (one per area), and the share of voters who got
at least one of their picks funded under each. Shares are only given from MIN_CELL voters on.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ...core.disclosure import MIN_CELL
from ..rounds.models import Budget, BudgetRound, Proposal
from ..voting.ballots import ballot_proposals
from .rules import RuleNotApplicable
from .tally import budget_election, stored_result, tally_budget

GREEDY = "greedy"


@dataclass(frozen=True)
class RuleOutcome:
    selected: frozenset[int]
    spent: int
    voters_reached: int  # ballots with at least one funded pick
    voters: int

    @property
    def reached_share(self) -> Fraction | None:
        """None when too few voted to publish a share."""
        return Fraction(self.voters_reached, self.voters) if self.voters >= MIN_CELL else None


@dataclass(frozen=True)
class BudgetComparison:
    budget: Budget
    official: RuleOutcome
    greedy: RuleOutcome
    proposals: dict[int, Proposal]

    @property
    def only_official(self) -> list[Proposal]:
        return [self.proposals[pid] for pid in sorted(self.official.selected
                                                      - self.greedy.selected)
                if pid in self.proposals]

    @property
    def only_greedy(self) -> list[Proposal]:
        return [self.proposals[pid] for pid in sorted(self.greedy.selected
                                                      - self.official.selected)
                if pid in self.proposals]


def _outcome(election, selected: set[int], costs: dict[int, int]) -> RuleOutcome:
    ids = election.project_ids
    reached = sum(1 for ballot in election.ballots
                  if any(int(ids[project]) in selected for project in ballot))
    return RuleOutcome(frozenset(selected), sum(costs[pid] for pid in selected), reached,
                       election.num_voters)


def compare_with_greedy(budget_round: BudgetRound) -> list[BudgetComparison]:
    """Per budget: the official result and greedy's, once results are published (else [])."""
    if budget_round.results_published_at is None or budget_round.rule == GREEDY:
        return []
    comparisons = []
    for budget in budget_round.budgets:
        result = stored_result(budget)
        if result is None:
            continue
        election = budget_election(budget_round, budget)
        if election.num_projects == 0:
            continue
        try:
            greedy = tally_budget(budget_round, budget, GREEDY, election)
        except RuleNotApplicable:
            continue
        costs = {int(pid): int(cost) for pid, cost in zip(election.project_ids,
                                                          election.costs, strict=True)}
        visible = {p.id: p for p in ballot_proposals(budget) if p.moderation_state != "hidden"}
        comparisons.append(BudgetComparison(
            budget, _outcome(election, set(result.selected), costs),
            _outcome(election, {int(pid) for pid in greedy.selected}, costs), visible))
    return comparisons
