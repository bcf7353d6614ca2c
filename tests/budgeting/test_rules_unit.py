"""Tally rules on small hand-made elections: worked examples, ties, exactness, add1 loop."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from participation.budgeting.results.rules import RULES, Election, UnknownRule, tally
from participation.budgeting.results.rules.mes_engine import MesRun
from participation.budgeting.results.rules.mes_setup import mes_setup
from participation.budgeting.results.rules.model import (
    BELOW_THRESHOLD,
    DID_NOT_FIT,
    NOT_AFFORDABLE,
    SELECTED,
    STOPPED_NO_SKIP,
)
from tests.budgeting.test_rules_pabulib import ISSUE_RULE_KEYS


def textbook() -> Election:
    """Budget 300, three voters (100 each). A=200 {v1, v2}, B=100 {v3}, C=150 {v1, v2, v3}."""
    return Election.from_ballots(
        300, {"A": 200, "B": 100, "C": 150}, [["A", "C"], ["A", "C"], ["B", "C"]]
    )


def test_mes_textbook_example_worked_by_hand() -> None:
    # Prices per unit of cost: A 200/(2*200) = 1/2, B 100/100 = 1, C 150/(3*150) = 1/3.
    # C wins; each voter pays 50 and keeps 50: A's supporters hold 100 < 200, B's 50 < 100.
    outcome = tally(textbook(), "mes_cost")
    assert outcome.selected == ("C",)
    assert outcome.total_cost == 150
    assert outcome.per_voter_budget == 100
    c, a, b = (outcome.explanations[pid] for pid in "CAB")
    assert (c.status, c.round, c.rho, c.price_per_supporter, c.supporters) == (
        SELECTED,
        1,
        Fraction(1, 3),
        50,
        3,
    )
    assert (a.status, a.supporters_money_left, a.supporters) == (NOT_AFFORDABLE, 100, 2)
    assert (b.status, b.supporters_money_left, b.selected) == (NOT_AFFORDABLE, 50, False)


def test_mes_greedy_completion_and_greedy_explanations() -> None:
    # 150 left after C: A (2 votes) costs 200 and does not fit, B (1 vote) does.
    outcome = tally(textbook(), "mes_cost_greedy")
    assert outcome.selected == ("B", "C")
    assert outcome.selection_order == ("C", "B")
    a, b = outcome.explanations["A"], outcome.explanations["B"]
    assert (a.status, a.stage, a.rank, a.remaining_budget) == (DID_NOT_FIT, "greedy", 2, 150)
    assert (b.status, b.stage, b.score) == (SELECTED, "greedy", 1)
    assert b.supporters_money_left == 50  # the MES facts stay alongside
    assert tally(textbook(), "greedy_cost").selected == ("B", "C")
    assert tally(textbook(), "mes_cardinality").selected == ("C",)


def test_ties_break_by_project_id_as_strings() -> None:
    # Equal votes and costs, room for one: '10' < '9' as strings.
    election = Election.from_ballots(10, {"9": 10, "10": 10}, [["9", "10"], ["9", "10"]])
    for rule in ("greedy_cost", "greedy_cardinality", "mes_cost", "mes_cardinality"):
        assert tally(election, rule).selected == ("10",), rule


def test_exact_arithmetic_decides_where_floats_cannot() -> None:
    # float(10**18 + 1) == float(10**18): only exact arithmetic sees that B is cheaper.
    big = 10**18
    election = Election.from_ballots(big + 1, {"A": big + 1, "B": big}, [["A", "B"]] * 2)
    assert float(big + 1) == float(big)
    assert tally(election, "greedy_cardinality").selected == ("B",)
    assert tally(election, "mes_cardinality").selected == ("B",)
    # Per unit of cost both cost exactly 1/2: a true tie, so the id decides.
    assert tally(election, "mes_cost").selected == ("A",)


def city_election(rule: str, threshold: str | None = None) -> Election:
    """A 60 (10 votes), B 50 (8 votes), C 10 (5 votes), D 5 (1 vote); budget 100."""
    ballots = [["A", "B", "C"]] * 5 + [["A", "B"]] * 3 + [["A"]] * 2 + [["D"]]
    meta = {"rule": rule}
    if threshold is not None:
        meta["min_project_score_threshold"] = threshold
    return Election.from_ballots(100, {"A": 60, "B": 50, "C": 10, "D": 5}, ballots, meta=meta)


def test_official_greedy_skips_what_does_not_fit() -> None:
    outcome = tally(city_election("greedy"), "official")
    assert outcome.selected == ("A", "C", "D")
    assert outcome.explanations["B"].status == DID_NOT_FIT


def test_official_threshold_bars_projects_below_it() -> None:
    outcome = tally(city_election("greedy-threshold", "5"), "official")
    assert outcome.selected == ("A", "C")  # C has exactly 5 votes: at least the threshold
    assert outcome.explanations["D"].status == BELOW_THRESHOLD


def test_official_no_skip_stops_at_first_project_that_does_not_fit() -> None:
    outcome = tally(city_election("greedy-no-skip"), "official")
    assert outcome.selected == ("A",)
    assert outcome.explanations["B"].status == DID_NOT_FIT
    assert outcome.explanations["C"].status == STOPPED_NO_SKIP


def test_official_needs_a_known_city_rule() -> None:
    with pytest.raises(ValueError, match="greedy-custom"):
        tally(city_election("greedy-custom"), "official")
    with pytest.raises(ValueError, match="min_project_score_threshold"):
        tally(city_election("greedy-threshold"), "official")


def test_unknown_rule_key() -> None:
    with pytest.raises(UnknownRule, match="mes_cost"):
        tally(textbook(), "mes_costs")


def test_cardinal_rules_need_points() -> None:
    with pytest.raises(ValueError, match="points"):
        tally(textbook(), "mes_cardinal")


def test_add1_worked_by_hand() -> None:
    # 100 per voter: A (300, two supporters holding 200) is out of reach, B costs 50 each.
    # At 150 per voter A becomes affordable at price 1/2 per unit, tying B: 'A' < 'B' wins,
    # then B still fits: {A, B} spends exactly 400, exhaustive, so add1 stops there.
    election = Election.from_ballots(400, {"A": 300, "B": 100}, [["A"], ["A"], ["B"], ["B"]])
    assert tally(election, "mes_cost").selected == ("B",)
    outcome = tally(election, "mes_cost_add1")
    assert outcome.selection_order == ("A", "B")
    assert outcome.per_voter_budget == 150
    # Without the exhaustive stop nothing ever overspends: the loop runs to its bound,
    # budget * (voters + 1), i.e. 100 + 400 per voter, with the same projects.
    outcome = tally(election, "mes_cost_add1_until_over_budget")
    assert outcome.selection_order == ("A", "B")
    assert outcome.per_voter_budget == 500


def random_election(seed: int, cumulative: bool = False) -> Election:
    rng = random.Random(seed)
    projects = {
        str(rng.choice([1, 2, 9, 10, 11, 20]) + i * 100): rng.choice([20, 40, 50, 60, 90, 150])
        for i in range(rng.randint(3, 7))
    }
    ids = list(projects)
    ballots, points = [], []
    for _ in range(rng.randint(3, 12)):
        ballot = rng.sample(ids, rng.randint(1, min(4, len(ids))))
        ballots.append(ballot)
        points.append([rng.randint(1, 3) for _ in ballot])
    budget = rng.randint(60, 300)
    return Election.from_ballots(budget, projects, ballots, points if cumulative else None)


def naive_add1(election: Election, satisfaction: str, exhaustive_stop: bool) -> MesRun:
    """The one-increment-at-a-time loop add1 must agree with."""
    setup = mes_setup(election, satisfaction)
    base = election.budget / election.num_voters
    previous = None
    for k in range(int(election.budget) + 1):
        run = MesRun(setup, base + k).run()
        if run.total_cost() > election.budget:
            return previous
        spent = run.total_cost()
        if exhaustive_stop and all(
            q in run.order or spent + setup.costs[q] > election.budget for q in setup.candidates
        ):
            return run
        previous = run
    return previous


@pytest.mark.parametrize("seed", range(40))
def test_add1_skipping_matches_one_by_one_loop(seed: int) -> None:
    cumulative = seed % 3 == 0
    election = random_election(seed, cumulative)
    cases = [("mes_cost_add1", "cost", True), ("mes_cost_add1_until_over_budget", "cost", False)]
    if cumulative:
        cases.append(("mes_cardinal_add1", "cardinal", True))
    for rule, satisfaction, stop in cases:
        expected = naive_add1(election, satisfaction, stop)
        outcome = tally(election, rule)
        assert outcome.selection_order == tuple(election.project_ids[q] for q in expected.order)
        assert outcome.per_voter_budget == expected.t


def test_rules_registry_has_the_required_keys() -> None:
    required = {*ISSUE_RULE_KEYS, "official"}
    assert required <= set(RULES)


def pabutools_selection(election: Election, rule: str) -> list[str]:
    """The same rule computed by pabutools 1.2.3 (dev dependency) on write_pb's file."""
    from pabutools.election import Additive_Cardinal_Sat, Cardinality_Sat, Cost_Sat
    from pabutools.election.pabulib import parse_pabulib_from_string
    from pabutools.rules import (
        completion_by_rule_combination,
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    from participation.budgeting.results.pabulib import write_pb

    instance, profile = parse_pabulib_from_string(write_pb(election))
    sats = {"cost": Cost_Sat, "cardinality": Cardinality_Sat, "cardinal": Additive_Cardinal_Sat}

    def greedy(sat, start=None):
        return greedy_utilitarian_welfare(
            instance, profile, sat_class=sats[sat], initial_budget_allocation=start
        )

    def mes(sat, **extra):
        return method_of_equal_shares(instance, profile, sat_class=sats[sat], **extra)

    def then_greedy(sat, first_params):
        return completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": sats[sat], **first_params}, {"sat_class": sats[sat]}],
        )

    def until_over_budget():
        return exhaustion_by_budget_increase(
            instance,
            profile,
            method_of_equal_shares,
            {"sat_class": Cost_Sat},
            budget_step=profile.num_ballots(),
            exhaustive_stop=False,
        )

    calls = {
        "greedy_cost": lambda: greedy("cost"),
        "greedy_cardinality": lambda: greedy("cardinality"),
        "greedy_cardinal": lambda: greedy("cardinal"),
        "mes_cost": lambda: mes("cost"),
        "mes_cardinality": lambda: mes("cardinality"),
        "mes_cardinal": lambda: mes("cardinal"),
        "mes_cost_greedy": lambda: then_greedy("cost", {}),
        "mes_cardinal_greedy": lambda: then_greedy("cardinal", {}),
        "mes_cost_add1": lambda: mes("cost", voter_budget_increment=1),
        "mes_cardinal_add1": lambda: mes("cardinal", voter_budget_increment=1),
        "mes_cost_add1_greedy": lambda: then_greedy("cost", {"voter_budget_increment": 1}),
        "mes_cardinal_add1_greedy": lambda: then_greedy("cardinal", {"voter_budget_increment": 1}),
        "mes_cost_add1_until_over_budget": until_over_budget,
        "mes_cost_add1_until_over_budget_greedy": lambda: greedy("cost", until_over_budget()),
    }
    return sorted(project.name for project in calls[rule]())


APPROVAL_RULES = [
    "greedy_cost",
    "greedy_cardinality",
    "mes_cost",
    "mes_cardinality",
    "mes_cost_greedy",
    "mes_cost_add1",
    "mes_cost_add1_greedy",
    "mes_cost_add1_until_over_budget",
    "mes_cost_add1_until_over_budget_greedy",
]
CARDINAL_RULES = [
    "greedy_cardinal",
    "mes_cardinal",
    "mes_cardinal_greedy",
    "mes_cardinal_add1",
    "mes_cardinal_add1_greedy",
    "greedy_cost",
    "mes_cost",
    "mes_cost_add1",
]


@pytest.mark.parametrize("seed", range(100, 124))
def test_random_elections_match_pabutools(seed: int) -> None:
    """Small random elections full of ties (few distinct costs, ids like '9' and '109')."""
    cumulative = seed % 2 == 0
    election = random_election(seed, cumulative)
    for rule in CARDINAL_RULES if cumulative else APPROVAL_RULES:
        assert sorted(tally(election, rule).selected) == pabutools_selection(election, rule), rule


def _certificate_cases(seeds: range, starts: range):
    """Small random elections (cardinal for even seeds) with MES winners at some starts."""
    for seed in seeds:
        election = random_election(seed, cumulative=seed % 2 == 0)
        setup = mes_setup(election, "cardinal" if seed % 2 == 0 else "cost")
        base = election.budget / election.num_voters
        for start in starts:
            winners = [p.project for p in MesRun(setup, base + start).run().purchases]
            yield seed, setup, base + start, winners


def test_interval_certificate_never_overclaims() -> None:
    """Whenever a certificate vouches for [t, t + w], exact MES agrees at every increment."""
    from participation.budgeting.results.rules.mes_certificate import certify_line as proves
    from participation.budgeting.results.rules.mes_exact import exact_winners

    claims = 0
    for seed, setup, t, winners in _certificate_cases(range(200, 218), range(0, 50, 9)):
        for width in (0, 2, 8, 24):
            if not proves(setup, winners, t, t + width):
                continue
            claims += 1
            for k in range(width + 1):
                assert exact_winners(setup, t + k) == winners, (seed, t, k)
    assert claims > 20


def test_partial_certificates_never_overclaim() -> None:
    """A certificate that proves only the start of its range is right there too, and such
    partial proofs happen (they are what lets the add1 loop jump to the next change)."""
    from participation.budgeting.results.rules.mes_certificate import line_certificate
    from participation.budgeting.results.rules.mes_exact import exact_winners

    partial = 0
    for seed, setup, t, winners in _certificate_cases(range(230, 246), range(0, 40, 13)):
        reach, _ = line_certificate(setup, winners, t, t + 60)
        if reach is None:
            continue
        x, inclusive = reach
        partial += x < t + 60
        for k in range(61):
            if t + k < x or (inclusive and t + k == x):
                assert exact_winners(setup, t + k) == winners, (seed, t, k)
    assert partial > 5


def test_exact_reference_mes_agrees_with_the_engine() -> None:
    from participation.budgeting.results.rules.mes_exact import exact_winners

    for seed in range(300, 330):
        election = random_election(seed, cumulative=seed % 2 == 0)
        setup = mes_setup(election, "cardinal" if seed % 2 == 0 else "cost")
        t = election.budget / election.num_voters
        for k in (0, 3, 17):
            run = MesRun(setup, t + k).run()
            assert exact_winners(setup, t + k) == [p.project for p in run.purchases]
