"""The add1 loop on a compiled float MES (numba), exact where it matters.

Where the outcome changes at almost every increment (large city-wide votes: a per-voter
budget far below most projects' cost per supporter) certificates cannot skip much, and the
time is one MES run per increment. mes_fast_kernels.mes_float_run runs one in a fraction of
a millisecond: float money with error bounds, deciding only with a margin far above them
(the standard MesRun's floats keep too) and answering AMBIGUOUS otherwise, where the exact
MesRun decides instead. Where one outcome lasts long enough for certificates to pay (see
_Timer) the loop asks them to skip increments (mes_stride.Stride), as the exact loop does.
The increment the rule reports is run again with MesRun and checked exactly
(equal_shares.prove_run), and the increment that stopped the loop is confirmed with MesRun.

PARTICIPATION_MES_FAST=0 switches this off (the exact loop only); so does a missing numba.
numba is imported on the first fast tally only: the web app does not load it otherwise.
"""

from __future__ import annotations

import importlib.util
import math
import os
import time
from fractions import Fraction

import numpy as np

from .mes_engine import MesRun
from .mes_setup import MesSetup, mes_setup
from .mes_stride import Stride
from .model import Election

SWITCH = "PARTICIPATION_MES_FAST"
STEADY = 8  # runs of one outcome before certificates may be tried
PROOF_RUNS = 256  # what a stride of certificates is guessed to cost, in runs, before one
_SMALL = 2**31  # exact price numerators / denominators multiplied in int64


def enabled() -> bool:
    """Whether the add1 rules use this module (default yes, when numba is installed)."""
    if os.environ.get(SWITCH, "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    return importlib.util.find_spec("numba") is not None


class FloatMes:
    """The kernel's arrays for one MesSetup; winners(t) runs it at a per-voter budget t."""

    def __init__(self, setup: MesSetup, budget: Fraction) -> None:
        from . import mes_fast_kernels

        self.kernel = mes_fast_kernels
        n = len(setup.names)
        candidate = np.zeros(n, dtype=np.bool_)
        candidate[list(setup.candidates)] = True
        total = setup.total_util_f
        rho0 = np.full(n, np.inf)
        rho0[candidate] = setup.cost_f[candidate] / total[candidate]
        rho0_num = np.zeros(n, dtype=np.int64)
        rho0_den = np.zeros(n, dtype=np.int64)  # 0: too large for the exact comparison
        umax = np.zeros(n)
        # integers for exact prices cost / (utility of the payers); int_ok: q has them
        int_ok = np.zeros(n, dtype=np.bool_)
        cost_int = np.full(n, -1, dtype=np.int64)
        sup_u_int = np.zeros(setup.sup_u.size, dtype=np.int64)
        for q in setup.candidates:
            exact = setup.costs[q] / setup.total_util[q]
            if exact.numerator < _SMALL and exact.denominator < _SMALL:
                rho0_num[q], rho0_den[q] = exact.numerator, exact.denominator
            span = setup.pairs(q)
            umax[q] = float(setup.sup_u[span].max())
            levels = setup.utils[q]
            cost = setup.costs[q]
            if (
                cost.denominator == 1
                and all(u.denominator == 1 for u in levels)
                and setup.total_util[q] < 2**62
            ):
                int_ok[q] = True
                cost_int[q] = cost.numerator
                sup_u_int[span] = [int(levels[level]) for level in setup.sup_level[span].tolist()]
        rank = np.empty(n, dtype=np.int64)
        rank[sorted(range(n), key=lambda q: setup.names[q])] = np.arange(n)
        self.floats = (
            setup.cost_f,
            setup.ptr.astype(np.int64),
            setup.sup_type.astype(np.int64),
            setup.sup_u,
            setup.type_w,
            total,
            setup.supporters_f,
            umax,
            rho0,
        )
        type_w_int = np.rint(setup.type_w).astype(np.int64)
        self.ints = (cost_int, sup_u_int, type_w_int, rho0_num, rho0_den, int_ok)
        self.by_type = (setup.type_ptr.astype(np.int64), setup.type_proj.astype(np.int64))
        self.rank, self.candidate = rank, candidate
        self.tolerance = setup.tolerance
        self.out = np.zeros(n, dtype=np.int64)
        self.costs = Costs(setup, budget)

    def run(self, t: Fraction) -> tuple[list[int], int, int] | None:
        """MES's purchases at t in order, their total cost and the cost of the cheapest
        candidate left (-1: none; both in Costs' integer units), or None when floats
        cannot decide the purchases."""
        status, count, spent, left = self.kernel.mes_float_run(
            float(t), self.tolerance, self.floats, self.ints, *self.by_type, self.rank,
            self.candidate, self.out, self.costs.arrays,
        )
        if status != self.kernel.OK:
            return None
        winners = self.out[:count].tolist()
        if not self.costs.small:
            spent, left = self.costs.spending(winners)
        return winners, spent, left

    def winners(self, t: Fraction) -> list[int] | None:
        """MES's purchases at t in order, or None when floats cannot decide them."""
        found = self.run(t)
        return None if found is None else found[0]


def float_mes(election: Election, setup: MesSetup, satisfaction: str) -> FloatMes:
    """The cached FloatMes of an election and satisfaction (the add1 rules share it)."""
    key = ("mes-fast", satisfaction)
    if key not in election._cache:
        election._cache[key] = FloatMes(setup, election.budget)
    return election._cache[key]


class Disagreement(Exception):
    """The exact engine found other purchases than the float kernel: a bug to report; the
    caller then runs the exact loop, so the outcome stays exact."""


class Costs:
    """Projects' costs as integers (times a common denominator of costs and budget), in
    int64 arrays for the kernel when every total fits (`small`), else as Python ints."""

    def __init__(self, setup: MesSetup, budget: Fraction) -> None:
        self.unit = math.lcm(budget.denominator, *(c.denominator for c in setup.costs))
        self.budget = int(budget * self.unit)
        self.cost = [int(c * self.unit) for c in setup.costs]
        self.cheapest_first = sorted(setup.candidates, key=self.cost.__getitem__)
        self.small = sum(self.cost) < 2**62
        cost64 = np.array(self.cost if self.small else [0] * len(self.cost), dtype=np.int64)
        self.arrays = (cost64, np.array(self.cheapest_first, dtype=np.int64))

    def spending(self, winners: list[int]) -> tuple[int, int]:
        """Total cost of the winners, the cost of the cheapest candidate left (-1: none)."""
        chosen = set(winners)
        left = next((self.cost[q] for q in self.cheapest_first if q not in chosen), -1)
        return sum(self.cost[q] for q in winners), left


def iterate(
    election: Election, setup: MesSetup, satisfaction: str, exhaustive_stop: bool
) -> MesRun | None:
    """equal_shares._iterate_budget's answer (the run at the increment the rule reports, or
    None): the float kernel at each increment, certificates where an outcome lasts.

    Raises Disagreement if MesRun contradicts the kernel at the increments that decide."""
    fast = float_mes(election, setup, satisfaction)
    budget = election.budget
    base = budget / election.num_voters
    last_k = None if exhaustive_stop else math.floor(budget)
    costs = fast.costs
    limit = costs.budget
    stride = Stride(setup, base, last_k)
    timer = _Timer()
    previous: tuple[int, list[int]] | None = None  # last covered increment, its winners
    seen: list[int] | None = None
    same = 0  # runs in a row that found `seen`
    began = piece = 0  # where `seen` began; how many increments the outcome before lasted
    proving = False  # certificates have started on `seen`
    k = 0
    while True:
        found = timer.run(fast, base + k)
        exact = found is None
        if exact:
            winners = _purchases(MesRun(setup, base + k).run())
            spent, left = costs.spending(winners)
        else:
            winners, spent, left = found
        if winners != seen:
            if seen is not None:
                piece = k - began
            seen, same, began, proving = winners, 0, k, False
        same += 1
        covered = k
        if proving or timer.worth_proving(same, piece):
            if not proving:
                stride.restart(max(same, piece))
                proving = True
            covered = timer.prove(stride, winners, k)
        if spent > limit:
            if not exact:
                _confirm(setup, base + k, winners)
            return None if previous is None else _confirmed(setup, base, *previous)
        if exhaustive_stop and (left < 0 or spent + left > limit):  # nothing else fits
            return _confirmed(setup, base, k, winners)
        previous = (covered, winners)
        if last_k is not None and covered >= last_k:
            return _confirmed(setup, base, last_k, winners)
        k = covered + 1


class _Timer:
    """When certificates pay: once the runs an outcome has lasted, or the increments the
    outcome before it lasted (outcomes tend to last alike), take the kernel as long as a
    stride of certificates has taken on average (at least STEADY runs). Where outcomes
    change every few increments (large votes, small per-voter budgets) no certificate is
    tried; where they last thousands (Budapest) certificates start after a few runs.
    Timing only chooses between two exact ways; it never changes an outcome."""

    def __init__(self) -> None:
        self.runs, self.run_seconds = 0, 0.0
        self.proofs, self.proof_seconds = 0, 0.0

    def run(self, fast: FloatMes, t: Fraction):
        start = time.perf_counter()
        found = fast.run(t)
        self.run_seconds += time.perf_counter() - start
        self.runs += 1
        return found

    def worth_proving(self, same: int, piece: int) -> bool:
        if same < STEADY:
            return False
        run = self.run_seconds / self.runs
        proof = self.proof_seconds / self.proofs if self.proofs else PROOF_RUNS * run
        return max(same, piece) * run >= proof

    def prove(self, stride: Stride, winners: list[int], k: int) -> int:
        start = time.perf_counter()
        covered = stride.cover(winners, k)
        self.proof_seconds += time.perf_counter() - start
        self.proofs += 1
        return covered


def _purchases(run: MesRun) -> list[int]:
    return [purchase.project for purchase in run.purchases]


def _confirm(setup: MesSetup, t: Fraction, winners: list[int]) -> MesRun:
    run = MesRun(setup, t).run()
    if _purchases(run) != winners:
        raise Disagreement(f"the float MES kernel and MesRun disagree at t = {t}")
    return run


def _confirmed(setup: MesSetup, base: Fraction, k: int, winners: list[int]) -> MesRun:
    """The exact run at increment k, which must buy `winners` (the kernel's or proven)."""
    return _confirm(setup, base + k, winners)


def warm_up() -> None:
    """Compile the kernels into numba's cache (beside them), so that the first tally of a
    fresh install does not wait for it (`make install`)."""
    if not enabled():
        print(f"mes_fast: off ({SWITCH}=0 or numba missing): the add1 rules use the exact loop")
        return
    election = Election.from_ballots(10, {"a": 4, "b": 6}, [["a"], ["a", "b"], ["b"]])
    FloatMes(mes_setup(election, "cost"), election.budget).run(Fraction(4))
    print("mes_fast: kernels compiled")
