"""Greedy rules: fund projects in score order, skipping (or stopping at) what does not fit."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction

from .model import (
    BELOW_THRESHOLD,
    DID_NOT_FIT,
    SELECTED,
    STOPPED_NO_SKIP,
    Election,
    Outcome,
    ProjectExplanation,
    make_outcome,
)
from .profile import APPROVAL, POINTS, POSITIONAL, support

# Satisfaction measures for greedy utilitarian welfare, as pabutools names them:
# name -> (score kind, multiply the score by the project's cost?)
SATISFACTIONS: dict[str, tuple[str, bool]] = {
    "cost": (APPROVAL, True),  # Cost_Sat: density = number of supporters
    "cardinality": (APPROVAL, False),  # Cardinality_Sat: supporters per unit of cost
    "cardinal": (POINTS, False),  # Additive_Cardinal_Sat: points per unit of cost
    "total_score": (POINTS, True),  # points x cost: density = total points
    "total_points": (POSITIONAL, True),  # (len - position) x cost: density = positional points
}

Score = Fraction | float  # float only for math.inf (a free project with supporters)


def welfare_density(election: Election, satisfaction: str) -> list[Score]:
    """Total satisfaction per unit of cost for each project, exactly as pabutools' greedy."""
    kind, times_cost = SATISFACTIONS[satisfaction]
    totals = support(election, kind).total_score
    densities: list[Score] = []
    for total, cost in zip(totals, election.costs, strict=True):
        welfare = total * cost if times_cost else total
        if welfare <= 0:
            densities.append(Fraction(0))
        elif cost == 0:
            densities.append(math.inf)
        else:
            densities.append(welfare / cost)
    return densities


def score_order(election: Election, scores: Sequence[Score]) -> list[int]:
    """Project indices by score (highest first); ties by project id compared as strings."""
    ids = election.project_ids
    return sorted(range(election.num_projects), key=lambda p: (-scores[p], ids[p]))


def greedy_fill(
    election: Election,
    scores: Sequence[Score],
    initial: Sequence[int] = (),
    *,
    stage: str = "greedy",
    threshold: Fraction | None = None,
    no_skip: bool = False,
    earlier: dict[str, ProjectExplanation] | None = None,
) -> tuple[list[int], dict[str, ProjectExplanation]]:
    """Walk projects in score order adding those that fit; returns (selection, explanations).

    `initial` projects stay selected (a completion); `threshold` bars projects scoring below it;
    `no_skip` stops at the first eligible project that does not fit.
    """
    ids, costs = election.project_ids, election.costs
    supporters = support(election, APPROVAL).supporters
    chosen = list(initial)
    taken = set(initial)
    remaining = election.budget - sum((costs[p] for p in initial), Fraction(0))
    explanations = dict(earlier or {})
    stopped = False
    for rank, p in enumerate(score_order(election, scores), start=1):
        if p in taken:
            continue
        if threshold is not None and scores[p] < threshold:
            status = BELOW_THRESHOLD
        elif stopped:
            status = STOPPED_NO_SKIP
        elif costs[p] <= remaining:
            status = SELECTED
        else:
            status = DID_NOT_FIT
            stopped = no_skip
        facts = {
            "selected": status == SELECTED,
            "status": status,
            "stage": stage,
            "score": scores[p] if isinstance(scores[p], Fraction) else None,
            "rank": rank,
            "remaining_budget": remaining,
        }
        previous = explanations.get(ids[p])
        explanations[ids[p]] = (
            replace(previous, **facts)
            if previous is not None
            else ProjectExplanation(
                project_id=ids[p], cost=costs[p], supporters=int(supporters[p]), **facts
            )
        )
        if status == SELECTED:
            chosen.append(p)
            taken.add(p)
            remaining -= costs[p]
    return chosen, explanations


def greedy_welfare(election: Election, satisfaction: str, rule: str) -> Outcome:
    """pabutools' greedy_utilitarian_welfare with an additive satisfaction measure."""
    chosen, explanations = greedy_fill(election, welfare_density(election, satisfaction))
    return make_outcome(rule, election, chosen, explanations)


def complete_with_greedy(
    election: Election,
    first: Outcome,
    satisfaction: str,
    rule: str,
) -> Outcome:
    """Greedy completion from an earlier outcome (pabutools' initial_budget_allocation)."""
    index = {pid: i for i, pid in enumerate(election.project_ids)}
    initial = [index[pid] for pid in first.selection_order]
    chosen, explanations = greedy_fill(
        election,
        welfare_density(election, satisfaction),
        initial,
        earlier=first.explanations,
    )
    return make_outcome(rule, election, chosen, explanations, first.per_voter_budget)


def greedy_rule(satisfaction: str) -> Callable[[Election, str], Outcome]:
    """A registry entry for greedy welfare under one satisfaction measure."""

    def rule(election: Election, key: str) -> Outcome:
        return greedy_welfare(election, satisfaction, key)

    rule.__doc__ = f"Greedy utilitarian welfare with {satisfaction} satisfaction."
    return rule
