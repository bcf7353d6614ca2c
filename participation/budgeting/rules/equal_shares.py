"""Method of Equal Shares rules: plain, add1 (iterated budget) and greedy completions."""

from __future__ import annotations

import math
from fractions import Fraction

from .greedy import complete_with_greedy
from .mes_engine import MesRun
from .mes_interval import certify
from .mes_setup import MesSetup, mes_setup
from .model import (
    NO_SUPPORTERS,
    NOT_AFFORDABLE,
    SELECTED,
    Election,
    Outcome,
    ProjectExplanation,
    make_outcome,
)


def mes(election: Election, satisfaction: str, rule: str) -> Outcome:
    """pabutools' method_of_equal_shares: every voter starts with budget / voters."""
    setup = mes_setup(election, satisfaction)
    if election.num_voters == 0:
        return _outcome_of(election, rule, setup, None, Fraction(0))
    run = _cached(
        election,
        ("mes-run", satisfaction),
        lambda: MesRun(setup, election.budget / election.num_voters).run(),
    )
    return _outcome_of(election, rule, setup, run, run.t)


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
        lambda: _iterate_budget(election, setup, exhaustive_stop),
    )
    if run is None:  # even the first run overspent (cannot happen with budget / voters)
        return _outcome_of(election, rule, setup, None, election.budget / election.num_voters)
    return _outcome_of(election, rule, setup, run, run.t)


def _iterate_budget(election: Election, setup: MesSetup, exhaustive_stop: bool) -> MesRun | None:
    """The last run before the first increment k that overspends (or the first exhaustive).

    Rerunning MES for every k = 0, 1, 2, ... is what makes pabutools slow (Budapest needs
    ~10^5 increments). The outcome as a function of k is not monotone, so no bisection is
    safe; instead each exact run at b0 + k also reports `bound`: a point below which no
    decision of that run can change (mes_bounds). All k' with b0 + k' < bound give the very
    same outcome, hence the same cost and exhaustiveness, so the loop jumps straight to the
    first k' at or past the bound. Every k' is thus either run or proven identical to a run,
    and the first overspending / exhaustive k is the same as in the one-by-one loop. The
    result is re-evaluated at the exact increment pabutools would return (same projects;
    it fixes the reported per-voter budget and prices).
    """
    budget, voters = election.budget, election.num_voters
    base = budget / voters
    # exhaustion_by_budget_increase stops once budget + k * voters > budget * (voters + 1).
    last_k = None if exhaustive_stop else math.floor(budget)
    previous: MesRun | None = None
    stride = _Stride(setup, base, last_k)
    k = 0
    while True:
        run = _run_at(setup, base + k, previous)
        if run.total_cost() > budget:
            return _run_at(setup, base + k - 1, previous) if previous else None
        if exhaustive_stop and _exhaustive(setup, run, budget):
            return run
        previous = run
        if math.isinf(run.bound):  # nothing changes any more: the loop ends at its bound
            return _run_at(setup, base + last_k, run) if last_k is not None else run
        margin = 1e-7 * (1.0 + abs(run.bound))
        k = max(k + 1, math.ceil(run.bound - float(base) - margin))
        k = stride.extend(run, k - 1) + 1  # interval certificates may reach further
        if last_k is not None and k > last_k:
            return _run_at(setup, base + last_k, run)


class _Stride:
    """Extends a run's outcome over further increments with interval certificates.

    Between outcome changes the exact runs stop at every change of who pays in full
    (frequent, harmless); one certificate over [b0 + k, b0 + k'] proves the outcome for all
    of it. The window doubles on success; a failure hands over to an exact run (the
    outcome may really change there) and shrinks the window; after repeated failures at
    the smallest window certificates pause for a few runs so that misses stay cheap.
    """

    def __init__(self, setup: MesSetup, base: Fraction, last_k: int | None) -> None:
        self.setup, self.base, self.last_k = setup, base, last_k
        self.window, self.pause, self.backoff = 8, 0, 1

    def extend(self, run: MesRun, covered: int) -> int:
        """The last increment known to give `run`'s outcome (at least `covered`)."""
        if self.pause:
            self.pause -= 1
            return covered
        winners = [purchase.project for purchase in run.purchases]
        while self.last_k is None or covered < self.last_k:
            target = covered + self.window
            if self.last_k is not None:
                target = min(target, self.last_k)
            low = math.nextafter(float(self.base + covered), -math.inf)
            high = math.nextafter(float(self.base + target), math.inf)
            if not certify(self.setup, winners, low, high):
                if self.window == 1:
                    self.pause, self.backoff = self.backoff, min(2 * self.backoff, 16)
                self.window = max(1, self.window // 4)
                break
            covered, self.window, self.backoff = target, 2 * self.window, 1
        return covered


def _run_at(setup: MesSetup, t: Fraction, previous: MesRun | None) -> MesRun:
    """MES at t, reusing the leading rounds of `previous` that provably hold at t."""
    if previous is None:
        return MesRun(setup, t, with_bound=True).run()
    if previous.t == t:
        return previous
    return MesRun(setup, t, True, (previous, previous.valid_rounds(float(t)))).run()


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
    money_left = run.money_left() if run else None
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
            held = float(money_left[q]) if money_left is not None else 0.0
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
