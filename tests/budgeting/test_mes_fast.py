"""The add1 rules' fast path (mes_fast: a compiled float MES at each increment) against exact
MES: the kernel run by run against MesRun, and the whole loop against the one-by-one loop."""

from __future__ import annotations

import logging
import random
import subprocess
import sys

import pytest

from participation.budgeting.results.rules import Election, mes_fast, tally
from participation.budgeting.results.rules.equal_shares import add1_one_by_one
from participation.budgeting.results.rules.mes_engine import MesRun
from participation.budgeting.results.rules.mes_setup import mes_setup
from tests.budgeting.test_rules_generated import small_instance
from tests.budgeting.test_rules_unit import random_election

ADD1 = (("mes_cost_add1", "cost", True), ("mes_cost_add1_until_over_budget", "cost", False))


@pytest.fixture(autouse=True)
def fast_on(monkeypatch):
    monkeypatch.setenv(mes_fast.SWITCH, "1")


def tied_election(seed: int) -> Election:
    """Few cost levels and supporter counts: exact ties between prices, with and without
    supporters who paid all they had, at many per-voter budgets."""
    rng = random.Random(seed)
    ids = [str(i) for i in rng.sample(range(1, 30), rng.randint(3, 8))]
    costs = {pid: rng.choice([30, 60, 60, 90]) for pid in ids}
    groups = [rng.sample(ids, rng.randint(1, min(3, len(ids)))) for _ in range(4)]
    ballots = [rng.choice(groups) for _ in range(rng.randint(4, 16))]
    return Election.from_ballots(rng.choice([90, 120, 150, 240]), costs, ballots)


def elections():
    for seed in range(30):
        yield random_election(seed, cumulative=seed % 3 == 0)
        yield tied_election(seed)
    for seed in range(0, 10, 3):
        yield small_instance(seed)


def test_kernel_buys_what_mesrun_buys_or_says_it_cannot_tell() -> None:
    decided = undecided = 0
    for election in elections():
        kinds = ["cost", "cardinality"]
        if election.vote_type == "cumulative":
            kinds.append("cardinal")
        for satisfaction in kinds:
            setup = mes_setup(election, satisfaction)
            fast = mes_fast.FloatMes(setup, election.budget)
            base = election.budget / election.num_voters
            for k in (0, 1, 2, 3, 5, 8, 13, 21, 40, 77, 150):
                winners = fast.winners(base + k)
                exact = [p.project for p in MesRun(setup, base + k).run().purchases]
                if winners is None:
                    undecided += 1
                else:
                    decided += 1
                    assert winners == exact, (satisfaction, k)
    assert decided > 0.95 * (decided + undecided)


def test_kernel_settles_exact_ties_by_name() -> None:
    # Equal prices (1/2 per unit of cost, nobody paying all): '10' < '9' as strings.
    election = Election.from_ballots(10, {"9": 10, "10": 10}, [["9", "10"], ["9", "10"]])
    fast = mes_fast.FloatMes(mes_setup(election, "cost"), election.budget)
    assert fast.winners(election.budget / 2 + 1) == [1]
    # Equal prices after a supporter spent everything: A's and B's remaining payers are
    # the same three voters, so both cost 1/3 per unit; 'A' < 'B'.
    election = Election.from_ballots(
        150, {"A": 60, "B": 60, "C": 30}, [["C"], ["A", "B"], ["A", "B"], ["A", "B"]]
    )
    run = MesRun(mes_setup(election, "cost"), election.budget / 4).run()
    fast = mes_fast.FloatMes(mes_setup(election, "cost"), election.budget)
    assert fast.winners(election.budget / 4) == [p.project for p in run.purchases]


def test_floats_that_cannot_tell_leave_it_to_exact_mes() -> None:
    # float(10**18 + 1) == float(10**18): the kernel must not guess.
    big = 10**18
    election = Election.from_ballots(big + 1, {"A": big + 1, "B": big}, [["A", "B"]] * 2)
    fast = mes_fast.FloatMes(mes_setup(election, "cardinality"), election.budget)
    assert fast.winners(election.budget / 2) is None
    assert tally(election, "mes_cost_add1").selected == ("A",)


@pytest.mark.parametrize("proofs", ["always", "timed"])
def test_fast_loop_matches_one_by_one(monkeypatch, proofs: str) -> None:
    if proofs == "always":  # certificates after every run: small instances skip too
        monkeypatch.setattr(mes_fast, "STEADY", 1)
        monkeypatch.setattr(mes_fast._Timer, "worth_proving", lambda self, same, piece: True)
    for election in elections():
        for rule, satisfaction, stop in ADD1:
            proven = add1_one_by_one(election, satisfaction, stop)
            outcome = tally(election, rule)
            if proven is None:
                assert outcome.per_voter_budget == election.budget / election.num_voters
                continue
            k, run = proven
            assert outcome.selection_order == tuple(election.project_ids[q] for q in run.order)
            assert outcome.per_voter_budget == run.t


def test_fractional_costs_and_budget_are_totalled_exactly() -> None:
    # costs and budget in cents, and a budget a thousandth over what {A, B} cost
    election = Election.from_ballots(
        "100.001",
        {"A": "40.25", "B": "59.751", "C": "33.3", "D": "12.5"},
        [["A", "B"], ["A"], ["B", "C"], ["C", "D"], ["D"], ["A", "D"]],
    )
    for rule, satisfaction, stop in ADD1:
        k, run = add1_one_by_one(election, satisfaction, stop)
        outcome = tally(election, rule)
        assert outcome.selection_order == tuple(election.project_ids[q] for q in run.order)
        assert outcome.per_voter_budget == run.t


def test_without_the_kernel_the_loop_is_still_exact(monkeypatch) -> None:
    monkeypatch.setattr(mes_fast.FloatMes, "run", lambda self, t: None)
    for seed in range(8):
        election = random_election(seed)
        for rule, satisfaction, stop in ADD1:
            k, run = add1_one_by_one(election, satisfaction, stop)
            assert tally(election, rule).per_voter_budget == run.t


def test_a_wrong_kernel_is_caught_and_the_exact_loop_answers(monkeypatch, caplog) -> None:
    real = mes_fast.FloatMes.run

    def wrong(self, t):  # forgets the last purchase: cheaper, so the loop runs too far
        winners = real(self, t)[0][:-1]
        return (winners, *self.costs.spending(winners))

    monkeypatch.setattr(mes_fast.FloatMes, "run", wrong)
    election = small_instance(2)
    k, run = add1_one_by_one(election, "cost", False)
    with caplog.at_level(logging.ERROR):
        outcome = tally(election, "mes_cost_add1_until_over_budget")
    assert outcome.per_voter_budget == run.t
    assert "disagreed" in caplog.text


def test_switched_off_the_exact_loop_runs(monkeypatch) -> None:
    monkeypatch.setenv(mes_fast.SWITCH, "0")
    assert not mes_fast.enabled()

    def refuse(*args):
        raise AssertionError("the fast loop ran although switched off")

    monkeypatch.setattr(mes_fast, "iterate", refuse)
    election = random_election(5)
    k, run = add1_one_by_one(election, "cost", True)
    assert tally(election, "mes_cost_add1").per_voter_budget == run.t


def test_the_web_app_does_not_load_numba() -> None:
    code = (
        "import sys; from participation import create_app; "
        "from participation.budgeting.results import rules; "
        "create_app({'TESTING': True, 'SQLALCHEMY_DATABASE_URI': 'sqlite://', "
        "'SECRET_KEY': 'x', 'PSEUDONYM_KEY': 'y'}); "
        "assert 'numba' not in sys.modules, 'numba imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
