"""Method of Equal Shares rules: plain, add1 (iterated budget) and greedy completions."""

from __future__ import annotations

import logging
import math
from fractions import Fraction

from . import mes_fast
from .greedy import complete_with_greedy
from .mes_certificate import certify_line
from .mes_engine import MesRun
from .mes_exact import exact_winners
from .mes_setup import MesSetup, mes_setup
from .mes_stride import Stride
from .model import (
    NO_SUPPORTERS,
    NOT_AFFORDABLE,
    SELECTED,
    Election,
    Outcome,
    ProjectExplanation,
    make_outcome,
)

log = logging.getLogger(__name__)


def mes(election: Election, satisfaction: str, rule: str) -> Outcome:
    """pabutools' method_of_equal_shares: every voter starts with budget / voters."""
    setup = mes_setup(election, satisfaction)
    if election.num_voters == 0:
        return _outcome_of(election, rule, setup, None, Fraction(0))
    run = _cached(
        election,
        ("mes-run", satisfaction),
        lambda: _proven(setup, MesRun(setup, election.budget / election.num_voters).run()),
    )
    return _outcome_of(election, rule, setup, run, run.t)


def _proven(setup: MesSetup, run: MesRun | None) -> MesRun | None:
    """The run, once its purchases are checked exactly (certificate or Fraction MES)."""
    if run is not None:
        prove_run(setup, run)
    return run


def _cached(election: Election, key: tuple, compute):
    """One MES run per election and variant: 'X' and 'X_greedy' share it."""
    if key not in election._cache:
        run = compute()
        if run is not None:
            run.snapshots = []  # only needed while iterating; they hold the bulk of memory
        election._cache[key] = run
    return election._cache[key]


def mes_add1(election: Election, satisfaction: str, rule: str, exhaustive_stop: bool) -> Outcome:
    """MES with the per-voter budget raised by 1 per round until it would overspend.

    exhaustive_stop=True is pabutools' voter_budget_increment=1 (also stop at the first
    exhaustive outcome); False is exhaustion_by_budget_increase(budget_step=voters,
    exhaustive_stop=False), which only stops at overspending (or at its budget bound).
    """
    setup = mes_setup(election, satisfaction)
    if election.num_voters == 0:
        return _outcome_of(election, rule, setup, None, Fraction(0))
    run = _cached(
        election,
        ("add1-run", satisfaction, exhaustive_stop),
        lambda: _proven(setup, _iterate(election, setup, satisfaction, exhaustive_stop)),
    )
    if run is None:  # even the first run overspent (cannot happen with budget / voters)
        return _outcome_of(election, rule, setup, None, election.budget / election.num_voters)
    return _outcome_of(election, rule, setup, run, run.t)


def _iterate(
    election: Election, setup: MesSetup, satisfaction: str, exhaustive_stop: bool
) -> MesRun | None:
    """The add1 loop: on the compiled float MES (mes_fast) unless switched off."""
    if mes_fast.enabled():
        try:
            return mes_fast.iterate(election, setup, satisfaction, exhaustive_stop)
        except mes_fast.Disagreement:
            log.exception("fast add1 loop disagreed with exact MES; using the exact loop")
    return _iterate_budget(election, setup, exhaustive_stop)


def _iterate_budget(election: Election, setup: MesSetup, exhaustive_stop: bool) -> MesRun | None:
    """The last run before the first increment k that overspends (or the first exhaustive).

    Rerunning MES for every k = 0, 1, 2, ... is what makes pabutools slow (Budapest needs
    ~10^5 increments). The outcome as a function of k is not monotone, so no bisection is
    safe. Instead every increment is either run (an exact MesRun) or skipped only under an
    exact certificate (mes_certificate.line_certificate, integer arithmetic, no floats): a
    proof that MES buys the very same projects at every per-voter budget of a range
    [b0 + k, b0 + k'], hence with the same cost and exhaustiveness (a certificate may prove
    only the start of the range it was asked for; what it cannot prove, a run decides).
    So the first overspending / exhaustive k is exactly
    the one-by-one loop's. The result is re-evaluated at the increment pabutools would
    return (same projects, proven; it fixes the reported per-voter budget and prices).
    """
    budget, voters = election.budget, election.num_voters
    base = budget / voters
    # exhaustion_by_budget_increase stops once budget + k * voters > budget * (voters + 1).
    last_k = None if exhaustive_stop else math.floor(budget)
    stride = Stride(setup, base, last_k)
    previous: tuple[int, MesRun] | None = None  # last covered increment, a run proving it
    k = 0
    while True:
        run = MesRun(setup, base + k).run()
        covered = stride.cover([purchase.project for purchase in run.purchases], k)
        if run.total_cost() > budget:
            return _rerun(setup, base, previous)
        if exhaustive_stop and _exhaustive(setup, run, budget):
            return run
        previous = (covered, run)
        if last_k is not None and covered >= last_k:
            return _rerun(setup, base, (last_k, run))
        k = covered + 1


def add1_one_by_one(
    election: Election, satisfaction: str, exhaustive_stop: bool
) -> tuple[int, MesRun] | None:
    """The plain loop the add1 rules must agree with: MES at every increment k = 0, 1, 2, ...
    until one overspends (or, with exhaustive_stop, is exhaustive), no skipping. Returns
    (k, run) of the increment whose run `mes_add1` reports, None if even k = 0 overspends.
    Slow by design (a run per increment): tests and `bench/tally.py --check` use it."""
    setup = mes_setup(election, satisfaction)
    budget = election.budget
    base = budget / election.num_voters
    previous = None
    for k in range(math.floor(budget) + 1):
        run = MesRun(setup, base + k).run()
        if run.total_cost() > budget:
            return previous
        if exhaustive_stop and _exhaustive(setup, run, budget):
            return k, run
        previous = (k, run)
    return previous


def _rerun(setup: MesSetup, base: Fraction, proven: tuple[int, MesRun] | None) -> MesRun | None:
    """The run at increment k of `proven` = (k, run proven to buy the same projects there)."""
    if proven is None:
        return None
    k, run = proven
    if run.t == base + k:
        return run
    again = MesRun(setup, base + k).run()
    if [p.project for p in again.purchases] != [p.project for p in run.purchases]:
        raise AssertionError("the MES engine contradicts a proven certificate")
    return again


def prove_run(setup: MesSetup, run: MesRun) -> None:
    """Check a (float-guided) run's purchases exactly; AssertionError if they are wrong."""
    winners = [purchase.project for purchase in run.purchases]
    if certify_line(setup, winners, run.t, run.t):
        return
    if exact_winners(setup, run.t) != winners:
        raise AssertionError("the MES engine's purchases differ from exact MES")


def _exhaustive(setup: MesSetup, run: MesRun, budget: Fraction) -> bool:
    """pabutools' is_exhaustive over the MES projects (supported, positive cost)."""
    spent = run.total_cost()
    chosen = set(run.order)
    return all(q in chosen or spent + setup.costs[q] > budget for q in setup.candidates)


def _outcome_of(
    election: Election, rule: str, setup: MesSetup, run: MesRun | None, t: Fraction
) -> Outcome:
    order = list(run.order) if run is not None else list(setup.free)
    return make_outcome(rule, election, order, mes_explanations(setup, run), t)


def mes_explanations(setup: MesSetup, run: MesRun | None) -> dict[str, ProjectExplanation]:
    """Per project: bought in which round at which price, or how short its supporters were."""
    bought = {p.project: (i + 1, p) for i, p in enumerate(run.purchases)} if run else {}
    explanations = {}
    for q, pid in enumerate(setup.names):
        cost = setup.costs[q]
        facts: dict = {
            "project_id": pid,
            "cost": cost,
            "stage": "mes",
            "supporters": int(setup.supporters[q]),
        }
        if q in bought:
            round_no, purchase = bought[q]
            levels = setup.utils[q]
            rho = purchase.rho_at(run)
            price = rho * levels[0] if len(levels) == 1 else None
            explanations[pid] = ProjectExplanation(
                selected=True,
                status=SELECTED,
                round=round_no,
                rho=rho,
                price_per_supporter=price,
                **facts,
            )
        elif q in setup.free:
            explanations[pid] = ProjectExplanation(selected=True, status=SELECTED, round=0, **facts)
        elif setup.total_util[q] == 0:
            explanations[pid] = ProjectExplanation(selected=False, status=NO_SUPPORTERS, **facts)
        else:
            # what its supporters held when MES found it unaffordable ("when it was its turn")
            held = run.money_at_turn(q) if run is not None else 0.0
            shown = Fraction(math.floor(held * 100), 100)  # display only: cents, rounded down
            if shown >= cost:
                shown = max(Fraction(0), cost - Fraction(1, 100))
            explanations[pid] = ProjectExplanation(
                selected=False, status=NOT_AFFORDABLE, supporters_money_left=shown, **facts
            )
    return explanations


def mes_then_greedy(
    election: Election,
    first: Outcome,
    greedy_satisfaction: str,
    rule: str,
) -> Outcome:
    """completion_by_rule_combination([MES, greedy]): greedy fills what MES left."""
    return complete_with_greedy(election, first, greedy_satisfaction, rule)
