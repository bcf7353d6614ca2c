"""Prove, exactly, that MES makes the same purchases for every per-voter budget t in [a, b],
or in the part of it before some decision could change.

line_certificate explains the rounds. Every comparison is between integers (numpy int64,
with D chosen so that no product can overflow, or Python ints): prices are kept as
(numerator, denominator) pairs and compared by cross products. A reach is a proof that MES
buys exactly `winners`, in that order, at every t it covers; no reach only means "not
proven" (a real change, or bounds too loose).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .mes_interval import _exact_data, _line_low, _Pair
from .mes_setup import MesSetup

Reach = tuple[Fraction, bool]  # (x, inclusive): proven for every t in [a, x) or [a, x]
Ratio = tuple[int, int]  # (numerator, denominator > 0)


def certify_line(setup: MesSetup, winners: list[int], a: Fraction, b: Fraction) -> bool:
    """True only if MES at every per-voter budget in [a, b] buys exactly `winners`."""
    reach, _ = line_certificate(setup, winners, a, b)
    return reach == (Fraction(b), True)


def _minus(x: Ratio, y: Ratio) -> Ratio:
    return x[0] * y[1] - y[0] * x[1], x[1] * y[1]


def _less(x: Ratio, y: Ratio) -> bool:
    return x[0] * y[1] < y[0] * x[1]


def _crossing(a: Fraction, b: Fraction, at_a: Ratio, at_b: Ratio) -> Fraction:
    """Where an affine quantity with these values at a and b (different signs) is 0."""
    (p1, q1), (p2, q2) = at_a, at_b
    return a + (b - a) * Fraction(p1 * q2, p1 * q2 - p2 * q1)


def _hint(a: Fraction, b: Fraction, at_a: int, at_b: int) -> Fraction | None:
    """Where a line, positive at a and not at b, reaches 0 (a hint, not a proof)."""
    if at_a <= 0 or at_b > 0:
        return None
    return _crossing(a, b, (at_a, 1), (at_b, 1))


def _holds(a: Fraction, b: Fraction, at_a: Ratio, at_b: Ratio, strict: bool) -> Reach | None:
    """How far from a a check on an affine quantity holds (> 0 if strict, else >= 0), by
    its exact values at a and b: None if not even at a, (b, True) if on all of [a, b]."""
    if at_a[0] < 0 or (strict and at_a[0] == 0):
        return None
    if at_b[0] > 0 or (not strict and at_b[0] == 0):
        return b, True
    return _crossing(a, b, at_a, at_b), not strict


def _first(one: Reach | None, other: Reach | None) -> Reach | None:
    """The shorter of two reaches (None: nothing proven)."""
    if one is None or other is None:
        return None
    return min(one, other)  # (x, False) < (x, True): [a, x) is inside [a, x]


def _last(one: Reach | None, other: Reach | None) -> Reach | None:
    """The longer of two reaches (either proof will do)."""
    if one is None or other is None:
        return one if other is None else other
    return max(one, other)


def line_certificate(
    setup: MesSetup, winners: list[int], a: Fraction, b: Fraction
) -> tuple[Reach | None, Fraction | None]:
    """(reach, hint): MES buys exactly `winners` (in order) at every per-voter budget t in
    [a, b] before reach = (x, inclusive), i.e. t < x, or t <= x if inclusive; (b, True)
    covers the whole range, None proves nothing. hint (if any, when nothing is proven) is
    where a failing check's lines cross: a good end for a retry, which must prove itself.

    Money bounds are affine functions of t on [a, b], kept by their values at a and at b
    (integers in units of 1/D, rounded outward at both ends). In each round:

    * the winner is affordable at both ends with lower money (held money is affine);
    * its price with lower money is convex in t (supporters' money is affine), so below
      the chord through its two end values: the upper line of its price;
    * _line_low gives a lower line (exact where who pays all does not change);
    * money after paying, max(0, m - rho * u): its upper bound is convex, so below the
      chord of its end values; its lower bound is m_low - (upper line) * u, kept while it
      is positive at a (else 0);
    * every other project is unaffordable with upper money, or has a lower line above the
      winner's upper line (on or above it if the winner's id comes first: ties go to the
      smaller id as a string). Both sides are affine, so each such check holds on all of
      [a, b] or up to where the lines cross. Ties are common: with Cost_Sat and no
      supporter paying all, rho = 1 / supporters.

    Every bound holds at each t in [a, b] where the earlier rounds decide as claimed, so
    the rounds together hold before the first point where some check stops holding: a
    failing check still proves the range up to its crossing. Where who pays all stays the
    same (long stretches of increments) all bounds are exact lines, so the reach is right
    at the real change.
    """
    a, b = Fraction(a), Fraction(b)
    if b < a or a < 0:
        return None, None
    x = _exact_data(setup)
    plan = x.plan(setup, winners)
    ends = _Pair(setup, plan, a, b)
    A, B = ends.A, ends.B
    # lowest possible prices so far: a later round's price is never lower
    floor: dict[int, Ratio] = {
        q: (f.numerator, f.denominator) for q, f in enumerate(x.floor) if f is not None
    }
    floor_f = np.full(len(setup.names), np.inf)  # the same as floats, only to shortlist
    for q, (num, den) in floor.items():
        floor_f[q] = num / den
    remaining = set(setup.candidates)
    alive = np.zeros(len(setup.names), dtype=bool)
    alive[list(remaining)] = True
    every_cost = np.array(A.cost_down, dtype=np.int64)  # cost_down of every project
    reach: Reach | None = (b, True)
    names = setup.names
    for r, winner in enumerate(winners):
        if winner not in remaining:
            return None, None
        groups, matrix = plan.round(r, winner)
        cls = groups.cls
        cost_up, cost_down = A.cost_up[winner], A.cost_down[winner]
        if cost_up >= A.limit:
            return None, None
        held_a, held_b = int(A.held_lo[winner]), int(B.held_lo[winner])
        if held_a < cost_up or held_b < cost_up:
            return None, _hint(a, b, held_a - cost_up + 1, held_b - cost_up + 1)
        low = _line_low(A, B, cost_down, groups)
        if low is None:
            return None, None
        # less money and a higher cost only raise prices: Newton starts from the low line
        high_a = A.price(cost_up, A.lo[cls], groups, low[0])
        high_b = B.price(cost_up, B.lo[cls], groups, low[1])
        if high_a is None or high_b is None:
            return None, None
        rho_a, rho_b = A.rho(winner, high_a), A.rho(winner, high_b)
        rho_top = rho_b if _less(rho_a, rho_b) else rho_a
        remaining.discard(winner)
        alive[winner] = False
        # skipped: projects unaffordable at both ends, so everywhere (held money is affine),
        # and those whose floor is dearer than the winner (prices only rise through the
        # rounds); floats only shortlist (a margin far above their rounding), then exactly
        affordable = (every_cost <= A.held_hi) | (every_cost <= B.held_hi)
        cheap = floor_f <= (rho_top[0] / rho_top[1]) * (1 + 1e-9)
        for q in np.flatnonzero(alive & affordable & cheap).tolist():
            if _less(rho_top, floor[q]):
                continue
            cost_q = A.cost_down[q]
            gap_a, gap_b = cost_q - int(A.held_hi[q]), cost_q - int(B.held_hi[q])
            # unaffordable, or dearer than the winner: either keeps q from winning
            harmless = _holds(a, b, (gap_a, 1), (gap_b, 1), strict=True)
            q_groups = plan.groups(r, q)
            loses_ties = names[winner] < names[q]
            for end, other, own, far in ((A, B, rho_a, rho_b), (B, A, rho_b, rho_a)):
                line = _line_low(end, other, cost_q, q_groups)
                if line is None:
                    continue
                near_q, far_q = A.rho(q, line[0]), A.rho(q, line[1])
                # an equal price still loses if the winner's id comes first (as strings)
                if end is A:
                    gaps = _minus(near_q, own), _minus(far_q, far)
                else:
                    gaps = _minus(far_q, far), _minus(near_q, own)
                dearer = _holds(a, b, *gaps, strict=not loses_ties)
                if dearer == (b, True):
                    raised = far_q if _less(far_q, near_q) else near_q
                    if _less(floor[q], raised):
                        floor[q], floor_f[q] = raised, raised[0] / raised[1]
                harmless = _last(harmless, dearer)
                if harmless == (b, True):
                    break
            reach = _first(reach, harmless)
            if reach is None:
                return None, None  # q might win (or tie) already at a
        # money after paying; `low` is the lower line of the price: upper money bounds
        ends.pay(plan.first_fresh[r], groups, matrix, (high_a, high_b), low)
    held_hi_a, held_hi_b = A.held_hi.tolist(), B.held_hi.tolist()
    for q in remaining:  # MES stops: nothing else is affordable
        cost_q = A.cost_down[q]
        gaps = (cost_q - held_hi_a[q], 1), (cost_q - held_hi_b[q], 1)
        reach = _first(reach, _holds(a, b, *gaps, strict=True))
        if reach is None:
            return None, None
    return reach, None
