"""The add1 loop on a compiled float MES (numba), exact where it matters.

Where the outcome changes at almost every increment (large city-wide votes: a per-voter
budget far below most projects' cost per supporter) certificates cannot skip much, and the
time is one MES run per increment. mes_fast_kernels.mes_float_run runs one in a fraction of
a millisecond: float money with error bounds, deciding only with a margin far above them
(the standard MesRun's floats keep too) and answering AMBIGUOUS otherwise, where the exact
MesRun decides instead. Once one outcome has lasted STEADY increments the loop asks the
exact certificates to skip (mes_stride.Stride), as the exact loop does. The increment the
rule reports is run again with MesRun and checked exactly (equal_shares.prove_run), and the
increment that stopped the loop is confirmed with MesRun too.

PARTICIPATION_MES_FAST=0 switches this off (the exact loop only); so does a missing numba.
numba is imported on the first fast tally only: the web app does not load it otherwise.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
from fractions import Fraction

import numpy as np

from .mes_engine import MesRun
from .mes_setup import MesSetup
from .mes_stride import Stride
from .model import Election

SWITCH = "PARTICIPATION_MES_FAST"
STEADY = 64  # unchanged increments before certificates are tried
_SMALL = 2**31  # exact price numerators / denominators multiplied in int64

log = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether the add1 rules use this module (default yes, when numba is installed)."""
    if os.environ.get(SWITCH, "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    return importlib.util.find_spec("numba") is not None


class FloatMes:
    """The kernel's arrays for one MesSetup; winners(t) runs it at a per-voter budget t."""

    def __init__(self, setup: MesSetup) -> None:
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

    def winners(self, t: Fraction) -> list[int] | None:
        """MES's purchases at t in order, or None when floats cannot decide them."""
        status, count = self.kernel.mes_float_run(
            float(t), self.tolerance, self.floats, self.ints, *self.by_type, self.rank,
            self.candidate, self.out,
        )
        if status != self.kernel.OK:
            return None
        return self.out[:count].tolist()


def float_mes(election: Election, setup: MesSetup, satisfaction: str) -> FloatMes:
    """The cached FloatMes of an election and satisfaction (the add1 rules share it)."""
    key = ("mes-fast", satisfaction)
    if key not in election._cache:
        election._cache[key] = FloatMes(setup)
    return election._cache[key]


class Disagreement(Exception):
    """The exact engine found other purchases than the float kernel: a bug to report; the
    caller then runs the exact loop, so the outcome stays exact."""


class _Costs:
    """Exact totals of lists of winners as Python ints (costs and budget times a common
    denominator): cheaper than summing Fractions at every increment."""

    def __init__(self, setup: MesSetup, budget: Fraction) -> None:
        scale = math.lcm(budget.denominator, *(c.denominator for c in setup.costs))
        self.cost = [int(c * scale) for c in setup.costs]
        self.budget = int(budget * scale)
        self.cheapest_first = sorted(setup.candidates, key=self.cost.__getitem__)

    def over(self, winners: list[int]) -> bool:
        return sum(self.cost[q] for q in winners) > self.budget

    def exhaustive(self, winners: list[int]) -> bool:
        """pabutools' is_exhaustive: no unchosen candidate still fits (free ones always do
        and are always chosen)."""
        left = self.budget - sum(self.cost[q] for q in winners)
        chosen = set(winners)
        for q in self.cheapest_first:
            if q not in chosen:
                return self.cost[q] > left
        return True


def iterate(
    election: Election, setup: MesSetup, satisfaction: str, exhaustive_stop: bool
) -> MesRun | None:
    """equal_shares._iterate_budget's answer (the run at the increment the rule reports, or
    None), with the float kernel at each increment until one outcome lasts STEADY of them.

    Raises Disagreement if MesRun contradicts the kernel at the increments that decide."""
    fast = float_mes(election, setup, satisfaction)
    budget = election.budget
    base = budget / election.num_voters
    last_k = None if exhaustive_stop else math.floor(budget)
    costs = _Costs(setup, budget)
    stride = Stride(setup, base, last_k)
    previous: tuple[int, list[int]] | None = None  # last covered increment, its winners
    seen: list[int] | None = None
    same = 0  # increments in a row (run or proven) that gave `seen`
    k = 0
    while True:
        winners = fast.winners(base + k)
        exact = winners is None
        if exact:
            winners = _purchases(MesRun(setup, base + k).run())
        same = same + 1 if winners == seen else 1
        seen = winners
        covered = k
        if same >= STEADY:
            if same == STEADY:
                stride.restart(STEADY)
            covered = stride.cover(winners, k)
        if costs.over(winners):
            if not exact:
                _confirm(setup, base + k, winners)
            return None if previous is None else _confirmed(setup, base, *previous)
        if exhaustive_stop and costs.exhaustive(winners):
            return _confirmed(setup, base, k, winners)
        previous = (covered, winners)
        if last_k is not None and covered >= last_k:
            return _confirmed(setup, base, last_k, winners)
        k = covered + 1


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
