"""How far the per-voter budget t may grow before an MES run could decide differently.

Within one run every class's money is affine in t, and so is each round's price rho(t) while
the same supporters pay in full. A run's outcome therefore stays the same for every t' >= t
up to the first point where one of these recorded decisions could flip:

* the winner's supporters each stay poor (money < rho * utility) or rich (money >= it):
  affine in t, so the flip point is exact;
* every other affordable project q keeps losing: rho_q(t') > rho_winner(t') (or equal with
  the winner's id first). rho_q is convex in t' (the money of each supporter is affine, so
  {(rho, t'): supporters can pay the cost at price rho} is convex), and a later round's
  rho_q is never below an earlier one's. So a tangent line taken at any earlier round is
  a lower bound on rho_q for all later rounds and t' (the run keeps one per project);
* a project dropped as unaffordable stays so: held money - cost < 0, affine in t'.

Bounds come from floats padded by error margins, and from Fractions when too close to call.
`run.bound` ends as the lowest flip point; each snapshot keeps the bound of its rounds.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from .mes_prices import STEEP, Keys, Purchase, RunState, float_rho, price


def _after(run: RunState, distance: Fraction) -> float:
    """t + distance as a float no larger than the exact value."""
    return math.nextafter(float(run.t + distance), -math.inf)


def _float_bounds(run: RunState, upper: np.ndarray, rate: np.ndarray) -> None:
    """Lower the bound to where a line upper + rate * (t' - t) (upper < 0) reaches 0."""
    rising = rate > 0
    if rising.any():
        distance = -upper[rising] / rate[rising]
        run.bound = min(run.bound, float(run.tf + distance.min() * (1 - 1e-12)))


def bound_dropped(run: RunState, dropped: np.ndarray) -> None:
    """Unaffordable projects stay unaffordable: held money - cost < 0 (affine in t)."""
    s = run.setup
    held, scale = run.held_now(dropped)
    cost = s.cost_f[dropped]
    upper = held - cost + s.tolerance * (scale + cost)
    rate = run.held[1][dropped] + s.tolerance * s.supporters_f[dropped] * 2.0 * run.peak[1]
    sure = upper < 0
    _float_bounds(run, upper[sure], rate[sure])
    for q in dropped[~sure].tolist():
        keys = run.keys(q)
        gap = run.exact_held(keys) - s.costs[q]
        weights = [round(w) for w in keys.weight.tolist()]
        slope = sum(
            (w * run.exact_ab(c)[1] for c, w in zip(keys.cls.tolist(), weights, strict=True)),
            Fraction(0),
        )
        if slope > 0:
            run.bound = min(run.bound, _after(run, -gap / slope))


def bound_round(run: RunState, bought: Purchase, keys: Keys, poor: np.ndarray) -> None:
    """Bounds for one round's decisions (before the winner's supporters pay)."""
    _bound_winner(run, bought, keys, poor)
    others = run.remaining[run.remaining != bought.project]
    if others.size:
        _bound_competitors(run, bought, others)


def _bound_winner(run: RunState, bought: Purchase, keys: Keys, poor: np.ndarray) -> None:
    """Each of the winner's key groups stays poor (g < 0) or rich (g >= 0), g = m - rho*u."""
    s = run.setup
    rho, err_rho = bought.float_at(run.tf)
    rho_b = bought.rho_b_f
    gap = keys.money - rho * keys.util
    slope = run.cb[keys.cls] - rho_b * keys.util
    err_gap = s.tolerance * (keys.scale + abs(rho) * keys.util) + err_rho * keys.util
    err_slope = s.tolerance * (run.bmag[keys.cls] + abs(rho_b) * keys.util)
    err_slope = err_slope + bought.err_b * keys.util
    # Poor groups: g must stay < 0; rich groups: -g must stay <= 0. Upper bounds of both.
    upper = np.where(poor, gap, -gap) + err_gap
    rate = np.where(poor, slope, -slope) + err_slope
    sure = upper < 0
    _float_bounds(run, upper[sure], rate[sure])
    utils = s.utils[bought.project]
    for i in np.flatnonzero(~sure).tolist():
        a, b = run.exact_ab(int(keys.cls[i]))
        rho_a, rho_b = bought.exact(run)
        util = utils[int(keys.level[i])]
        g_b = b - rho_b * util
        g = a - rho_a * util + g_b * run.t
        if poor[i] and g_b > 0:
            run.bound = min(run.bound, _after(run, -g / g_b))
        elif not poor[i] and g_b < 0:
            run.bound = min(run.bound, _after(run, g / -g_b))


def _bound_competitors(run: RunState, bought: Purchase, others: np.ndarray) -> None:
    """Each other project's rho stays above the winner's: compare lower-bound lines."""
    rho, err_rho = bought.float_at(run.tf)
    lines = run.lines
    slope = lines[1][others]
    floor = lines[0][others] + slope * (run.tf - lines[2][others])
    ceiling = rho + err_rho
    rate_high = bought.rho_b_f + bought.err_b
    margin = floor - ceiling
    sure = (margin > 0) & (slope > STEEP)
    _float_bounds(run, -margin[sure], (rate_high - slope)[sure])
    for q in others[~sure].tolist():
        _exact_competitor(run, bought, q)


def _exact_competitor(run: RunState, bought: Purchase, q: int) -> None:
    """A near tie with the winner: compare exact prices and their slopes in t."""
    keys = run.keys(q)
    rho_f, err, _ = float_rho(run, q, keys, False)
    rival, _, tied = price(run, q, keys, rho_f, err)
    names = run.setup.names
    mine, theirs = bought.rho_at(run), rival.rho_at(run)
    if theirs < mine or (theirs == mine and names[q] < names[bought.project]):
        raise AssertionError("MES picked a project that another one beats")
    my_rate, their_rate = bought.exact(run)[1], rival.exact(run)[1]
    if tied:  # its slope in t is one-sided: do not skip past this t
        run.bound = min(run.bound, math.nextafter(run.tf, -math.inf))
    elif their_rate < my_rate:
        run.bound = min(run.bound, _after(run, (theirs - mine) / (my_rate - their_rate)))
