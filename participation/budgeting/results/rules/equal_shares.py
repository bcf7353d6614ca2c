"""Method of Equal Shares rules: plain, add1 (iterated budget) and greedy completions."""

from __future__ import annotations

import math
from fractions import Fraction

from .greedy import complete_with_greedy
from .mes_certificate import certify_line, line_certificate
from .mes_engine import MesRun
from .mes_exact import exact_winners
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
        lambda: _proven(setup, _iterate_budget(election, setup, exhaustive_stop)),
    )
    if run is None:  # even the first run overspent (cannot happen with budget / voters)
        return _outcome_of(election, rule, setup, None, election.budget / election.num_voters)
    return _outcome_of(election, rule, setup, run, run.t)


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
    stride = _Stride(setup, base, last_k)
    previous: tuple[int, MesRun] | None = None  # last covered increment, a run proving it
    k = 0
    while True:
        run = MesRun(setup, base + k).run()
        covered = stride.cover(run, k)
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


class _Stride:
    """Chooses the ranges to certify after each run.

    A certificate proves its whole window, part of it (up to where a check's lines cross)
    or nothing. After a change of outcome the first window reaches twice the last piece
    (the increments one outcome lasted) and grows fourfold while whole proofs come back,
    up to half of the last window that failed. A partial proof usually stops 85-100% of
    the way to the real change, so one shorter window follows from there (half of what
    was proven) and the next run goes where that one stops; when a run there still finds
    the same outcome, its first window is as long as that last proof. A proof of nothing
    narrows to where a failing check's lines cross, or (soon after a change, when long
    windows are loose at their far end) to an eighth. Where even the run's own next
    increment fails in a short window, no certificates are tried for a few runs (1, 4, 16,
    64 in a row): where the outcome changes at nearly every increment (small per-voter
    budgets, e.g. Lodz) the loop is then a plain one-by-one loop.
    """

    def __init__(self, setup: MesSetup, base: Fraction, last_k: int | None) -> None:
        self.setup, self.base, self.last_k = setup, base, last_k
        self.pause, self.backoff = 0, 1
        self.piece: tuple[list[int], int] = ([], 0)  # current winners, increment they began
        self.piece_length = 4  # how many increments the last finished piece lasted
        self.near = 0  # a window for the next run, when a partial proof stopped short of it

    def cover(self, run: MesRun, k: int) -> int:
        """The last increment known to give `run`'s purchases (at least k, the run's own).

        Increments past k count only when an exact certificate proves them."""
        winners = [purchase.project for purchase in run.purchases]
        fresh = winners != self.piece[0]
        if fresh:  # a new piece: its first windows are long, loose at the far end
            if self.piece[0]:
                self.piece_length = max(1, k - self.piece[1])
            self.piece = (winners, k)
        # the last proof stopped just before k (same winners): the change is near
        window = self.near if self.near and not fresh else 2 * self.piece_length
        self.near = 0
        covered = k
        if self.pause:  # a plain one-by-one stretch: certificates kept failing
            self.pause -= 1
            return covered
        ceiling = None  # half the last window that failed (its far end was too loose)
        target, closing = k, False  # closing: a proof stopped short, the change is near
        while self.last_k is None or covered < self.last_k:
            start = covered + 1
            target = start + window - 1
            if self.last_k is not None:
                target = min(target, self.last_k)
            reach, hint = line_certificate(
                self.setup, winners, self.base + start, self.base + target
            )
            end = min(target, self._last_increment(reach)) if reach else start - 1
            if end == target:
                covered = target
                window = 4 * window if ceiling is None else max(window, min(4 * window, ceiling))
                continue
            ceiling = max(1, (target - start + 1) // 2)
            proven = end - start + 1
            if proven > 0:
                covered = end
                if closing:  # the second stop in a row: the change is right after it
                    self.near = max(4, proven)
                    break
                # proofs stop 85-100% of the way to the change (or short in a loose long
                # window): a short window from there stops at it
                closing, window = True, max(4, proven // 2 if 8 * proven >= window else 2 * proven)
                continue
            if closing:
                break  # nothing proven right after a stop: the change is there
            end = math.ceil(hint - self.base) - 1 if hint is not None else start - 1
            if start <= end < target:  # retry up to where the failing check's lines cross
                window = end - start + 1
                continue
            if fresh and target - start >= 8:  # nothing proven, not even `start`, so
                window //= 8  # soon after a change: its far end is likely too loose
                continue
            break  # where a change was expected, it is likely here: a fresh run
        if covered == k and target - k <= 8:  # not even k + 1 in a short window: the outcome
            # may really change at every increment
            self.pause, self.backoff = self.backoff, min(4 * self.backoff, 64)
        else:
            self.backoff = 1
        return covered

    def _last_increment(self, reach: tuple[Fraction, bool]) -> int:
        """The last k with base + k inside a certificate's reach."""
        x, inclusive = reach
        return math.floor(x - self.base) if inclusive else math.ceil(x - self.base) - 1


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
