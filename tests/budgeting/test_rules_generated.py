"""The add1 rules on generated real-shaped instances (bench/generate_pb.py, small sizes):
the fast loop (certificates, skipped increments) against the plain one-by-one loop."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from participation.budgeting.results.pabulib import parse_pb
from participation.budgeting.results.rules import tally
from participation.budgeting.results.rules.equal_shares import add1_one_by_one

GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "generate_pb.py"


def generator():
    spec = importlib.util.spec_from_file_location("generate_pb", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def small_instance(seed: int):
    """A generated approval instance small enough for the one-by-one loop: 8-12 projects,
    30-66 voters choosing 1-3, a budget of 40 % of all costs (so add1 soon overspends)."""
    make = generator().instance_text
    voters, projects = 30 + 4 * seed, 8 + seed % 5
    total = sum(parse_pb(make(seed, voters, projects, 1, median_cost=200)).costs)
    return parse_pb(make(seed, voters, projects, int(total * 2 / 5), median_cost=200))


def test_generator_is_deterministic_and_real_shaped() -> None:
    make = generator().instance_text
    text = make(15, 300, 40, 1_000_000)
    assert text == make(15, 300, 40, 1_000_000)
    assert text != make(16, 300, 40, 1_000_000)
    election = parse_pb(text)
    assert election.num_voters == 300 and len(election.project_ids) == 40
    assert election.budget == 1_000_000 and election.vote_type == "approval"
    assert all(1 <= len(ballot) <= 3 for ballot in election.ballots)
    assert all(5_000 <= cost <= 2_000_000 for cost in election.costs)
    supporters = sorted((sum(q in b for b in election.ballots) for q in range(40)), reverse=True)
    assert supporters[0] > 5 * supporters[20]  # skewed popularity


@pytest.mark.parametrize("seed", range(10))
def test_add1_fast_loop_matches_one_by_one_on_generated_instances(seed: int) -> None:
    election = small_instance(seed)
    for rule, stop in (("mes_cost_add1", True), ("mes_cost_add1_until_over_budget", False)):
        k, run = add1_one_by_one(election, "cost", stop)
        outcome = tally(election, rule)
        assert outcome.selection_order == tuple(election.project_ids[q] for q in run.order)
        assert outcome.per_voter_budget == run.t == election.budget / election.num_voters + k
        assert outcome.total_cost == run.total_cost()
