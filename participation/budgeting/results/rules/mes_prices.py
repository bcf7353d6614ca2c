"""A project's MES price rho: a float estimate with an error bound, and the exact value."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

import numpy as np

from .mes_setup import MesSetup

STEEP = -1e300  # slope of a lower-bound line that must not be trusted beyond its own t


@dataclass
class Keys:
    """A project's supporters grouped by (money class, utility level)."""

    index: np.ndarray  # class * levels + level, ascending
    cls: np.ndarray
    level: np.ndarray
    weight: np.ndarray  # voters (float holding an exact integer)
    money: np.ndarray  # float money at t
    util: np.ndarray  # float utility
    scale: np.ndarray  # float error scale of `money`


class RunState(Protocol):
    """What prices and bounds read and write of a run (mes_engine.MesRun has all of it),
    so that they need not import the engine that imports them."""

    setup: MesSetup
    t: Fraction
    tf: float
    bound: float
    class_of_type: np.ndarray
    ca: np.ndarray
    cb: np.ndarray
    amag: np.ndarray
    bmag: np.ndarray
    num_classes: int
    held: np.ndarray
    peak: tuple[float, float]
    lines: np.ndarray
    remaining: np.ndarray

    def exact_ab(self, cls: int) -> tuple[Fraction, Fraction]: ...

    def exact_held(self, keys: Keys) -> Fraction: ...

    def keys(self, q: int) -> Keys: ...

    def held_now(self, projects: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...


def project_keys(run: RunState, q: int) -> Keys:
    """Supporters of q grouped by (money class, utility level)."""
    s = run.setup
    span = s.pairs(q)
    levels = len(s.utils[q])
    index = run.class_of_type[s.sup_type[span]] * levels + s.sup_level[span]
    weight = np.bincount(index, weights=s.sup_w[span], minlength=run.num_classes * levels)
    present = np.flatnonzero(weight)
    cls, level = present // levels, present % levels
    return Keys(
        index=present,
        cls=cls,
        level=level,
        weight=weight[present],
        money=run.ca[cls] + run.cb[cls] * run.tf,
        util=s.utils_f[q][level],
        scale=run.amag[cls] + run.bmag[cls] * run.tf,
    )


def float_rho(
    run: RunState, q: int, keys: Keys, with_slope: bool = True
) -> tuple[float, float, float]:
    """Float rho of q, an absolute error bound, and a lower bound on d rho / dt at t.

    The textbook pass: supporters by money per utility; the poorest pay all they have while
    the price for the rest, (cost - their money) / rest's utility, exceeds their ratio.
    """
    s = run.setup
    ratio = keys.money / keys.util
    order = np.argsort(ratio, kind="stable")
    weight = keys.weight[order]
    paid_all = weight * keys.money[order]
    before = np.cumsum(paid_all) - paid_all  # money of the poorer supporters, no cancels
    util_w = weight * keys.util[order]
    rest = np.cumsum(util_w[::-1])[::-1]  # utility of this and richer supporters
    rho = (s.cost_f[q] - before) / rest
    fits = rho <= ratio[order]
    j = int(fits.argmax()) if fits.any() else len(order) - 1
    price, rich_util = float(rho[j]), float(rest[j])
    err = s.tolerance * (s.cost_f[q] + float(np.dot(keys.weight, keys.scale))) / rich_util
    if not with_slope:
        return price, err, STEEP
    near = np.abs(ratio - price) <= s.tolerance * keys.scale / keys.util + 2 * err
    if near.any():  # a supporter at the edge of paying all: the slope is not certain
        return price, err, STEEP
    poor = keys.cls[order[:j]]
    rate = -float(np.dot(weight[:j], run.cb[poor])) / rich_util
    rate_err = s.tolerance * (float(np.dot(weight[:j], run.bmag[poor])) + 1)
    return price, err, rate - rate_err / rich_util - s.tolerance * abs(rate)


class Purchase:
    """One MES round: the project bought, who paid all they had, and its price rho(t).

    rho(t) = rho_a + rho_b * t while the run's decisions hold. Floats (with error bounds)
    drive the run; the exact Fractions are derived only when something needs them.
    """

    def __init__(self, project: int, keys: Keys, poor: np.ndarray, floats, exact=None):
        self.project = project
        # the groups paying all they had: money class, voters, utility level
        self.poor_cls, self.poor_weight = keys.cls[poor], keys.weight[poor]
        self.poor_level = keys.level[poor]
        self.rho_a_f, self.rho_b_f, self.err_a, self.err_b = floats
        self._exact = exact

    def exact(self, run: RunState) -> tuple[Fraction, Fraction]:
        """Exact (rho_a, rho_b)."""
        if self._exact is None:
            s = run.setup
            utils = s.utils[self.project]
            sum_a = sum_b = util_poor = Fraction(0)
            groups = zip(
                self.poor_cls.tolist(),
                [round(w) for w in self.poor_weight.tolist()],
                self.poor_level.tolist(),
                strict=True,
            )
            for cls, weight, level in groups:
                a, b = run.exact_ab(cls)
                sum_a, sum_b = sum_a + weight * a, sum_b + weight * b
                util_poor += weight * utils[level]
            rich_util = s.total_util[self.project] - util_poor
            self._exact = ((s.costs[self.project] - sum_a) / rich_util, -sum_b / rich_util)
        return self._exact

    def rho_at(self, run: RunState) -> Fraction:
        rho_a, rho_b = self.exact(run)
        return rho_a + rho_b * run.t

    def float_at(self, tf: float) -> tuple[float, float]:
        """Float rho at tf and its error bound."""
        return self.rho_a_f + self.rho_b_f * tf, self.err_a + self.err_b * abs(tf)


def price(
    run: RunState, q: int, keys: Keys, rho_f: float, err: float
) -> tuple[Purchase, np.ndarray, bool]:
    """Buy-q data: who pays all (decided exactly), the price, and whether a group sits
    exactly at the edge (money == rho * utility), where rho's slope in t is one-sided."""
    s = run.setup
    gap = keys.money - rho_f * keys.util
    tol = s.tolerance * (keys.scale + 2 * abs(rho_f) * keys.util) + err * keys.util
    poor = gap < -tol
    unclear = (np.abs(gap) <= tol).nonzero()[0]
    if unclear.size:
        return _exact_price(run, q, keys, poor, unclear)
    return Purchase(q, keys, poor, _float_price(run, q, keys, poor)), poor, False


def _float_price(run: RunState, q: int, keys: Keys, poor: np.ndarray):
    """Float rho_a, rho_b from the poor groups, with error bounds (no cancelling sums)."""
    s = run.setup
    rich_util = float(np.dot(keys.weight[~poor], keys.util[~poor]))
    weight, cls = keys.weight[poor], keys.cls[poor]
    rho_a = (s.cost_f[q] - float(np.dot(weight, run.ca[cls]))) / rich_util
    rho_b = -float(np.dot(weight, run.cb[cls])) / rich_util
    err_a = s.tolerance * (s.cost_f[q] + float(np.dot(weight, run.amag[cls]))) / rich_util
    err_b = s.tolerance * float(np.dot(weight, run.bmag[cls])) / rich_util
    return rho_a, rho_b, err_a, err_b


def _exact_price(run: RunState, q: int, keys: Keys, poor: np.ndarray, unclear: np.ndarray):
    """The textbook pass in exact arithmetic over the groups whose status floats left open."""
    s = run.setup
    utils = s.utils[q]
    sum_a = sum_b = util_poor = Fraction(0)
    for i in np.flatnonzero(poor).tolist():
        a, b = run.exact_ab(int(keys.cls[i]))
        weight = round(keys.weight[i])
        sum_a, sum_b = sum_a + weight * a, sum_b + weight * b
        util_poor += weight * utils[keys.level[i]]
    total, cost, t = s.total_util[q], s.costs[q], run.t
    pending = []
    for i in unclear.tolist():
        a, b = run.exact_ab(int(keys.cls[i]))
        util = utils[keys.level[i]]
        pending.append(((a + b * t) / util, i, a, b, util))
    pending.sort(key=lambda item: item[0])
    rest = []
    for position, (ratio, i, a, b, util) in enumerate(pending):
        if (cost - sum_a - sum_b * t) / (total - util_poor) <= ratio:
            rest = pending[position:]
            break
        weight = round(keys.weight[i])
        sum_a, sum_b = sum_a + weight * a, sum_b + weight * b
        util_poor += weight * util
        poor[i] = True
    rich_util = total - util_poor
    rho_a, rho_b = (cost - sum_a) / rich_util, -sum_b / rich_util
    tied = bool(rest) and rest[0][0] == rho_a + rho_b * t
    floats = (float(rho_a), float(rho_b), 1e-15 * abs(float(rho_a)), 1e-15 * abs(float(rho_b)))
    purchase = Purchase(q, keys, poor, floats, (rho_a, rho_b))
    return purchase, poor, tied
