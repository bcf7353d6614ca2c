"""Certify that MES makes the same purchases for every per-voter budget t in [a, b].

Interval arithmetic over one MES run: every voter's money is kept as bounds [lo, hi] valid
for all t in [a, b] (at the start [a, b] itself). A project's price rho falls as its
supporters' money rises, and a supporter's money after paying, max(0, m - rho * u), rises
with m and falls with rho, so bounds stay bounds through every round:

* the expected winner must be affordable even with `lo` money, and its price is at most
  rho(lo);
* every other project must be unaffordable even with `hi` money, or cost more even then:
  rho_q(hi) > rho_winner(lo) (strictly: ties are left to the exact runs);
* after the last purchase no project may be affordable with `hi` money.

Floats with margins far above their rounding; any doubt answers False, and the caller then
falls back to exact runs. True proves the outcome for every t in [a, b].
"""

from __future__ import annotations

import math

import numpy as np

from .mes_prices import Keys, float_rho
from .mes_setup import MesSetup

MARGIN = 1e-9  # relative slack on every bound (float rounding is ~1e-13 of these sizes)


class _Bounds:
    """Money bounds per payment-history class, and per-project held-money bounds."""

    def __init__(self, setup: MesSetup, a: float, b: float) -> None:
        self.setup = setup
        self.class_of_type = np.zeros(setup.num_types, dtype=np.int64)
        self.lo, self.hi = np.array([a]), np.array([b])
        self.num_classes = 1
        self.pad = MARGIN * b
        supporters = setup.supporters_f
        self.held_lo, self.held_hi = supporters * a, supporters * b

    def keys(self, q: int, upper: bool) -> Keys:
        s = self.setup
        span = s.pairs(q)
        levels = len(s.utils[q])
        index = self.class_of_type[s.sup_type[span]] * levels + s.sup_level[span]
        weight = np.bincount(index, weights=s.sup_w[span], minlength=self.num_classes * levels)
        present = weight.nonzero()[0]
        cls, level = present // levels, present % levels
        money = (self.hi if upper else self.lo)[cls]
        return Keys(present, cls, level, weight[present], money, s.utils_f[q][level], money)

    def price(self, q: int, upper: bool, rise: int) -> float:
        """Float rho of q with all supporters at their upper (or lower) money bound, moved
        by its error bound up (rise=1) or down (rise=-1)."""
        rho, err, _ = float_rho(self, q, self.keys(q, upper), False)
        return rho + rise * (err + MARGIN * abs(rho))

    def pay(self, winner: int, rho_low: float, rho_high: float) -> None:
        s = self.setup
        keys = self.keys(winner, True)
        util = keys.util
        fresh = np.arange(self.num_classes, self.num_classes + keys.cls.size)
        low = np.maximum(0.0, self.lo[keys.cls] - rho_high * util - self.pad)
        high = np.maximum(0.0, self.hi[keys.cls] - rho_low * util + self.pad)
        self.lo, self.hi = np.concatenate([self.lo, low]), np.concatenate([self.hi, high])
        self.num_classes += keys.cls.size
        span = s.pairs(winner)
        types = s.sup_type[span]
        before = self.class_of_type[types]
        position = np.searchsorted(keys.index, before * len(s.utils[winner]) + s.sup_level[span])
        after = fresh[position]
        self.class_of_type[types] = after
        projects, owner = s.cosupport(winner)
        weight = s.type_w[types]
        n = len(s.names)
        change_lo = (weight * (self.lo[after] - self.lo[before]))[owner]
        change_hi = (weight * (self.hi[after] - self.hi[before]))[owner]
        self.held_lo += np.bincount(projects, change_lo, minlength=n)
        self.held_hi += np.bincount(projects, change_hi, minlength=n)

    def held_slack(self, projects: np.ndarray) -> np.ndarray:
        return MARGIN * self.setup.supporters_f[projects] * max(self.pad / MARGIN, 1.0)


def certify(setup: MesSetup, winners: list[int], a: float, b: float) -> bool:
    """True only if MES at every per-voter budget in [a, b] buys exactly `winners`."""
    if not (math.isfinite(a) and math.isfinite(b)) or b < a:
        return False
    bounds = _Bounds(setup, a, b)
    remaining = set(setup.candidates)
    floor = {q: float(setup.cost_f[q] / setup.total_util_f[q]) * (1 - MARGIN) for q in remaining}
    for winner in winners:
        if winner not in remaining:
            return False
        slack = bounds.held_slack(np.array([winner]))[0]
        if bounds.held_lo[winner] - slack < setup.cost_f[winner]:
            return False
        rho_high = bounds.price(winner, upper=False, rise=1)
        rho_low = bounds.price(winner, upper=True, rise=-1)
        remaining.discard(winner)
        for q in sorted(remaining, key=floor.__getitem__):
            if floor[q] > rho_high:
                break  # prices only rise through the rounds: the rest are dearer still
            if bounds.held_hi[q] + bounds.held_slack(np.array([q]))[0] < setup.cost_f[q]:
                continue
            floor[q] = max(floor[q], bounds.price(q, upper=True, rise=-1))
            if floor[q] <= rho_high:  # might win (or tie) somewhere in [a, b]
                return False
        bounds.pay(winner, rho_low, rho_high)
    rest = np.array(sorted(remaining), dtype=np.int64)
    if rest.size == 0:
        return True
    held = bounds.held_hi[rest] + bounds.held_slack(rest)
    return bool(np.all(held < setup.cost_f[rest]))
