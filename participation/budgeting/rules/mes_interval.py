"""Prove, exactly, that MES makes the same purchases for every per-voter budget t in [a, b].

Every voter's money is bounded below and above by affine functions of t on [a, b], kept by
their values at a and at b: integers in units of 1/D (D a power of two), lower bounds
rounded down and upper bounds rounded up. Prices are exact rationals of those integers.
line_certificate explains the rounds; every comparison is between integers (numpy int64,
with D chosen so that no product can overflow) or Fractions, so True is a proof that MES
buys exactly `winners`, in that order, at every t in [a, b]. False only means "not proven"
(a real change, or bounds too loose).
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np

from .mes_setup import MesSetup

SMALL = 48  # up to this many groups, plain Python ints beat numpy's per-call overhead
HEADROOM = 2**60  # every int64 product below stays under this (int64 max is ~9.2e18)


class _Exact:
    """Per-setup integer data: utility levels as small integers g with rho = pi * scale."""

    def __init__(self, setup: MesSetup) -> None:
        self.g_levels: list[np.ndarray] = []
        self.scale: list[Fraction] = []  # rho = pi * scale, pi = payment per unit of g
        gmax = 1
        for levels in setup.utils:
            if not levels:
                self.g_levels.append(np.zeros(0, dtype=np.int64))
                self.scale.append(Fraction(1))
                continue
            den = math.lcm(*(u.denominator for u in levels))
            nums = [int(u * den) for u in levels]
            common = math.gcd(*nums) or 1
            g = [n // common for n in nums]
            gmax = max(gmax, max(g))
            self.g_levels.append(np.array(g, dtype=np.int64))
            self.scale.append(Fraction(den, common))
        self.gmax = gmax
        self.floor = [  # no price can be below cost / total utility
            setup.costs[q] / setup.total_util[q] if setup.total_util[q] else None
            for q in range(len(setup.names))
        ]
        self.type_w = setup.type_w.astype(np.int64)
        self._scatter: dict[int, tuple] = {}

    def scatter(self, setup: MesSetup, winner: int) -> tuple:
        """`cosupport(winner)` sorted by project: (order, owner, projects, run starts)."""
        cached = self._scatter.get(winner)
        if cached is None:
            projects, owner = setup.cosupport(winner)
            order = np.argsort(projects, kind="stable")
            ordered = projects[order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if ordered.size else (
                np.zeros(0, dtype=np.int64)
            )
            cached = (order, owner[order], ordered[starts], starts)
            self._scatter[winner] = cached
        return cached


def _exact_data(setup: MesSetup) -> _Exact:
    cached = setup._cosupport.get("exact")
    if cached is None:
        cached = setup._cosupport["exact"] = _Exact(setup)
    return cached


def _floor_div(num: int, den: int) -> int:
    return num // den


def _ceil_div(num: int, den: int) -> int:
    return -((-num) // den)


class _Bounds:
    """Integer money bounds per payment-history class, and per-project held-money bounds."""

    def __init__(self, setup: MesSetup, a: Fraction, b: Fraction, top: Fraction) -> None:
        self.setup, self.x = setup, _exact_data(setup)
        voters = max(1, int(setup.type_w.sum()))
        top = max(1, math.ceil(top)) + 1
        # D = 2**shift: voters * top * D * gmax * 4 must stay below HEADROOM
        self.shift = (HEADROOM // (4 * voters * top * self.x.gmax)).bit_length() - 1
        self.limit = 2 * voters * top * self._scale(1)  # above any money held by anyone
        self.money_cap = top * self._scale(1)  # above any one voter's money
        self.class_of_type = np.zeros(setup.num_types, dtype=np.int64)
        self.lo = np.array([self._floor(a)], dtype=np.int64)
        self.hi = np.array([self._ceil(b)], dtype=np.int64)
        self.num_classes = 1
        supporters = setup.supporters.astype(np.int64)
        self.held_lo, self.held_hi = supporters * self.lo[0], supporters * self.hi[0]
        # costs in units of 1/D, rounded up (to prove affordability, price upper bounds)
        # and down (to prove unaffordability, price lower bounds); capped far above any money
        self.cost_up = [min(self._ceil(c), self.limit) for c in setup.costs]
        self.cost_down = [min(self._floor(c), self.limit) for c in setup.costs]

    def _scale(self, value: int) -> int:
        return value << self.shift if self.shift >= 0 else value >> -self.shift

    def _floor(self, value: Fraction) -> int:
        num, den = value.numerator, value.denominator
        return _floor_div(num << self.shift, den) if self.shift >= 0 else _floor_div(
            num, den << -self.shift
        )

    def _ceil(self, value: Fraction) -> int:
        return -self._floor(-value)

    def groups(self, q: int):
        """q's supporters grouped by (class, level): index, class, voters, g."""
        s = self.setup
        span = s.pairs(q)
        levels = len(s.utils[q])
        index = self.class_of_type[s.sup_type[span]] * levels + s.sup_level[span]
        weight = np.bincount(index, weights=s.sup_w[span], minlength=self.num_classes * levels)
        present = np.flatnonzero(weight)
        cls = present // levels
        g = self.x.g_levels[q][present % levels]
        return present, cls, np.rint(weight[present]).astype(np.int64), g

    def price(self, cost: int, money: np.ndarray, weight: np.ndarray, g: np.ndarray):
        """Exact payment per unit of g, (num, den) with num/den in units of 1/D, at which the
        groups' money covers `cost`: sum w * min(m, pi * g) = cost. None if they cannot."""
        if money.size <= SMALL:
            return _solve(cost, money.tolist(), weight.tolist(), g.tolist())
        if int(np.dot(weight, money)) < cost:
            return None
        order = np.argsort(money / g, kind="stable")  # a float order, verified below
        m, w, gg = money[order], weight[order], g[order]
        paid_all = w * m
        before = np.cumsum(paid_all) - paid_all
        rest = np.cumsum((w * gg)[::-1])[::-1]
        fits = (cost - before) * gg <= m * rest
        j = int(fits.argmax()) if fits.any() else len(m) - 1
        num, den = cost - int(before[j]), int(rest[j])
        # exact check of the pass: poor groups hold at most pi * g, the others at least it
        poor = np.zeros(len(m), dtype=bool)
        poor[:j] = True
        lhs, rhs = m * den, num * gg
        if np.all(np.where(poor, lhs <= rhs, lhs >= rhs)):
            return num, den
        return self._price_exact(cost, m, w, gg)

    @staticmethod
    def _price_exact(cost: int, m, w, g):
        """The same pass sorted by exact ratios (only if float ordering was ambiguous)."""
        items = sorted(
            zip(m.tolist(), w.tolist(), g.tolist(), strict=True),
            key=lambda item: Fraction(item[0], item[2]),
        )
        before = 0
        rest = sum(wi * gi for _, wi, gi in items)
        for mi, wi, gi in items:
            if (cost - before) * gi <= mi * rest:
                return cost - before, rest
            before += wi * mi
            rest -= wi * gi
        return None

    def rho(self, q: int, pi: tuple[int, int]) -> Fraction:
        """rho = pi / D * scale, as an exact Fraction (pi already a rounded-out bound)."""
        num, den = pi
        value = Fraction(num, den) * self.x.scale[q]
        return value / (1 << self.shift) if self.shift >= 0 else value * (1 << -self.shift)

    def apply(self, winner: int, groups, low: np.ndarray, high: np.ndarray) -> None:
        """The winner's supporter groups move to fresh classes with these money bounds."""
        s = self.setup
        index, cls, _, _ = groups
        fresh = np.arange(self.num_classes, self.num_classes + cls.size)
        self.lo = np.concatenate([self.lo, low])
        self.hi = np.concatenate([self.hi, high])
        self.num_classes += cls.size
        span = s.pairs(winner)
        types = s.sup_type[span]
        before = self.class_of_type[types]
        position = np.searchsorted(index, before * len(s.utils[winner]) + s.sup_level[span])
        after = fresh[position]
        self.class_of_type[types] = after
        _, owner, targets, starts = self.x.scatter(s, winner)
        weight = self.x.type_w[types]
        change_lo = (weight * (self.lo[after] - self.lo[before]))[owner]
        change_hi = (weight * (self.hi[after] - self.hi[before]))[owner]
        # exact int64 sums per project (np.bincount would add in float64)
        self.held_lo[targets] += np.add.reduceat(change_lo, starts)
        self.held_hi[targets] += np.add.reduceat(change_hi, starts)


def _solve(cost: int, money: list[int], weight: list[int], g: list[int]):
    """The price as in _Bounds.price, (num, den); None if the groups cannot cover `cost`.

    Newton's method on the concave, increasing f(pi) = sum w * min(m, pi * g), from the
    lower bound cost / sum w * g, in exact integers: with P the groups strictly poor at pi,
    the next pi solves money(P) + pi * utility(rest) = cost. That line lies above f, so
    every pi stays at most the price and grows while P grows; when pi repeats, P is poor
    and the rest are not (money >= pi * g) at pi, so it is the price exactly. At most one
    step per group; the rest never empties (the richest group is never strictly poor).
    """
    paid_all = list(map(operator.mul, weight, money))
    if sum(paid_all) < cost:
        return None
    util = list(map(operator.mul, weight, g))
    items = list(zip(money, g, paid_all, util, strict=True))
    num, den = cost, sum(util)
    while den > 0:
        paid = rest = 0
        for m, gg, wm, wg in items:
            if m * den < num * gg:
                paid += wm
            else:
                rest += wg
        if rest == 0:
            return None
        if (cost - paid) * den == num * rest:  # pi repeats: the exact price
            return cost - paid, rest
        num, den = cost - paid, rest
    return None


def _line_low(end: _Bounds, other: _Bounds, cost: int, cls, weight, g):
    """An affine lower bound on a price over [a, b], by its values at `end` and `other`.

    For ANY set P of supporters, rho >= (cost - money of P) / utility of the rest (the
    rest pay at most rho * utility, P at most all they have). With P = those paying all at
    `end` (the bound is the exact price there) and upper money bounds, affine in t, this is
    a line below the price everywhere in [a, b]. Returns ((num, den) at end, (num, den) at
    other), payments per unit of g in units of 1/D; None if no price exists at `end`.
    """
    if cls.size > SMALL:
        return _line_low_numpy(end, other, cost, cls, weight, g)
    weights, money, gs = weight.tolist(), end.hi[cls].tolist(), g.tolist()
    pi = _solve(cost, money, weights, gs)
    if pi is None:
        return None
    num, den = pi
    paid_end = paid_other = rest = 0
    for w, m, m_other, gg in zip(weights, money, other.hi[cls].tolist(), gs, strict=True):
        if m * den < num * gg:  # strictly poor: their whole money is paid
            paid_end += w * m
            paid_other += w * m_other
        else:
            rest += w * gg
    if rest == 0:
        return None
    return (cost - paid_end, rest), (cost - paid_other, rest)


def _line_low_numpy(end: _Bounds, other: _Bounds, cost: int, cls, weight, g):
    """_line_low for many groups, in int64 arrays (the same products as price)."""
    money = end.hi[cls]
    pi = end.price(cost, money, weight, g)
    if pi is None:
        return None
    num, den = pi
    poor = money * den < num * g  # strictly poor: their whole money is paid
    rest = int(np.dot(weight[~poor], g[~poor]))
    if rest == 0:
        return None
    at_end = (cost - int(np.dot(weight[poor], money[poor])), rest)
    at_other = (cost - int(np.dot(weight[poor], other.hi[cls][poor])), rest)
    return at_end, at_other


Reach = tuple[Fraction, bool]  # (x, inclusive): proven for every t in [a, x) or [a, x]


def certify_line(setup: MesSetup, winners: list[int], a: Fraction, b: Fraction) -> bool:
    """True only if MES at every per-voter budget in [a, b] buys exactly `winners`."""
    reach, _ = line_certificate(setup, winners, a, b)
    return reach is not None and reach == (Fraction(b), True)


def _crossing(a: Fraction, b: Fraction, at_a, at_b) -> Fraction | None:
    """Where a line, positive at a and not at b, reaches 0 (a hint, not a proof)."""
    at_a, at_b = Fraction(at_a), Fraction(at_b)
    if at_a <= 0 or at_b > 0 or at_a == at_b:
        return None
    return a + (b - a) * at_a / (at_a - at_b)


def _holds(a: Fraction, b: Fraction, at_a, at_b, strict: bool) -> Reach | None:
    """How far from a a check on an affine quantity holds (> 0 if strict, else >= 0), by
    its exact values at a and b: None if not even at a, (b, True) if on all of [a, b]."""
    if at_a < 0 or (strict and at_a == 0):
        return None
    if at_b > 0 or (not strict and at_b == 0):
        return b, True
    return a + (b - a) * Fraction(at_a) / (at_a - at_b), not strict


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
      chord of its end values; its lower bound is m_low - (upper line) * u or 0;
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
    A, B = _Bounds(setup, a, a, b), _Bounds(setup, b, b, b)
    # lowest possible prices so far, (numerator, denominator): compared by integer products
    floor = {q: (f.numerator, f.denominator) for q, f in enumerate(A.x.floor) if f is not None}
    remaining = set(setup.candidates)
    reach: Reach | None = (b, True)
    for winner in winners:
        if winner not in remaining:
            return None, None
        groups = A.groups(winner)  # classes depend on the winners only: the same for B
        _, cls, weight, g = groups
        cost_up, cost_down = A.cost_up[winner], A.cost_down[winner]
        if cost_up >= A.limit:
            return None, None
        if int(A.held_lo[winner]) < cost_up or int(B.held_lo[winner]) < cost_up:
            gap_a, gap_b = int(A.held_lo[winner]) - cost_up, int(B.held_lo[winner]) - cost_up
            return None, _crossing(a, b, gap_a + 1, gap_b + 1)
        high_a = A.price(cost_up, A.lo[cls], weight, g)
        high_b = B.price(cost_up, B.lo[cls], weight, g)
        low = _line_low(A, B, cost_down, cls, weight, g)
        if high_a is None or high_b is None or low is None:
            return None, None
        rho_a, rho_b = A.rho(winner, high_a), A.rho(winner, high_b)
        rho_top = max(rho_a, rho_b)
        top_num, top_den = rho_top.numerator, rho_top.denominator
        remaining.discard(winner)
        for q in remaining:
            cost_q = A.cost_down[q]
            held_a, held_b = int(A.held_hi[q]), int(B.held_hi[q])
            if held_a < cost_q and held_b < cost_q:
                continue  # unaffordable at both ends, so everywhere (held money is affine)
            floor_num, floor_den = floor[q]
            if floor_num * top_den > top_num * floor_den:
                continue  # prices only rise through the rounds, and this one is dearer
            # unaffordable, or dearer than the winner: either keeps q from winning
            harmless = _holds(a, b, cost_q - held_a, cost_q - held_b, strict=True)
            _, q_cls, q_weight, q_g = A.groups(q)
            loses_ties = setup.names[winner] < setup.names[q]
            for end, other, own, far in ((A, B, rho_a, rho_b), (B, A, rho_b, rho_a)):
                line = _line_low(end, other, cost_q, q_cls, q_weight, q_g)
                if line is None:
                    continue
                near_q, far_q = A.rho(q, line[0]), A.rho(q, line[1])
                # an equal price still loses if the winner's id comes first (as strings)
                gaps = (near_q - own, far_q - far) if end is A else (far_q - far, near_q - own)
                dearer = _holds(a, b, *gaps, strict=not loses_ties)
                if dearer == (b, True):
                    raised = min(near_q, far_q)
                    if raised * floor_den > floor_num:
                        floor[q] = (raised.numerator, raised.denominator)
                harmless = _last(harmless, dearer)
                if harmless == (b, True):
                    break
            reach = _first(reach, harmless)
            if reach is None:
                return None, None  # q might win (or tie) already at a
        # money after paying; `low` is the lower line of the price: upper money bounds
        pay_a = (low[0][0] * g) // low[0][1]
        pay_b = (low[1][0] * g) // low[1][1]
        hi_a = np.maximum(A.hi[cls] - pay_a, 0)
        hi_b = np.maximum(B.hi[cls] - pay_b, 0)
        lo_a = A.lo[cls] - (-((-high_a[0] * g) // high_a[1]))
        lo_b = B.lo[cls] - (-((-high_b[0] * g) // high_b[1]))
        line = (lo_a > 0) & (lo_b >= -A.money_cap)
        lo_a, lo_b = np.where(line, lo_a, 0), np.where(line, lo_b, 0)
        A.apply(winner, groups, lo_a, hi_a)
        B.apply(winner, groups, lo_b, hi_b)
    for q in remaining:  # MES stops: nothing else is affordable
        cost_q = A.cost_down[q]
        gap_a, gap_b = cost_q - int(A.held_hi[q]), cost_q - int(B.held_hi[q])
        reach = _first(reach, _holds(a, b, gap_a, gap_b, strict=True))
        if reach is None:
            return None, None
    return reach, None
