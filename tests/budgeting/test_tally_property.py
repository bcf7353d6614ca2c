"""Property: whatever people cast (and re-cast), the published result is the tally of exactly
the ballots they last cast, online and on paper, after the envelopes are opened and shuffled."""

from __future__ import annotations

import random
from collections import Counter

import pytest
import sqlalchemy as sa

from participation.budgeting.results.rules import Election
from participation.budgeting.results.tally import tally_budget
from participation.budgeting.rounds.models import Budget, BudgetResult, BudgetRound
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_paper import _enter, _register
from tests.budgeting.test_results import _publish
from tests.budgeting.test_voting import _cast

COSTS = [40_000, 30_000, 20_000, 10_000]


def _random_ballot(rng: random.Random, ids: list[int], cumulative: bool) -> dict[int, int]:
    if cumulative:
        chosen = rng.sample(ids, rng.randint(1, 3))
        points = {pid: 1 for pid in chosen}
        for _ in range(rng.randint(0, 5 - len(chosen))):
            points[rng.choice(chosen)] += 1
        return points
    while True:
        chosen = rng.sample(ids, rng.randint(1, len(ids)))
        if sum(COSTS[ids.index(pid)] for pid in chosen) <= 100_000:
            return {pid: 1 for pid in chosen}


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("ballot_type", ["approval", "cumulative"])
def test_published_result_is_the_tally_of_the_cast_ballots(app, pb, factory, seed, ballot_type):
    rng = random.Random(f"{seed}-{ballot_type}")
    cumulative = ballot_type == "cumulative"
    ref = pb.round(ballot_type=ballot_type, points_total=5 if cumulative else None,
                   rule="greedy", budgets={"city": 100_000}, costs={"city": COSTS})
    ids = ref.proposals["city"]
    voters = pb.voters(rng.randint(3, 12))
    last: dict[int, dict[int, int]] = {}
    for _ in range(len(voters) + rng.randint(0, 6)):  # some vote twice: the last one counts
        voter = rng.choice(voters)
        last[voter.id] = _random_ballot(rng, ids, cumulative)
        _cast(app, ref, voter, last[voter.id])
    staff = factory.user(roles=("staff",))
    paper = [_random_ballot(rng, ids, cumulative) for _ in range(rng.randint(0, 2))]
    for sheet, choices in enumerate(paper, start=1):
        _register(app, ref, factory.user(), staff)
        _enter(app, ref, staff, sheet, choices)
    _publish(app, pb, ref)
    cast = list(last.values()) + paper
    with en(app):
        result = db.session.scalar(sa.select(BudgetResult).filter_by(budget_id=ref.budget()))
        budget_round = db.session.get(BudgetRound, ref.id)
        expected = tally_budget(budget_round, db.session.get(Budget, ref.budget()),
                                election=Election.from_ballots(
            budget=100_000, costs={str(pid): cost for pid, cost in zip(ids, COSTS, strict=True)},
            ballots=[[str(pid) for pid in sorted(b)] for b in cast],
            points=[[b[pid] for pid in sorted(b)] for b in cast] if cumulative else None,
            vote_type="cumulative" if cumulative else "approval"))
        assert result.ballots == len(cast)
        supporters = Counter(pid for b in cast for pid in b)
        points = Counter()
        for b in cast:
            points.update(b)
        for pid in ids:
            assert result.details[str(pid)]["votes"] == supporters[pid]
            assert result.details[str(pid)]["points"] == points[pid]
        assert sorted(result.selected) == sorted(int(pid) for pid in expected.selected)
