"""Integer money bounds for the MES certificates (mes_certificate.line_certificate).

Every voter's money is bounded below and above by affine functions of t on [a, b], kept by
their values at a and at b: integers in units of 1/D (D a power of two), lower bounds
rounded down and upper bounds rounded up. Prices are exact rationals of those integers;
every product stays inside int64 (D is chosen for that) or is a Python int.

Which voters share a money class depends on the winners only, not on t, so a _Plan (the
classes, groups and who-supports-what matrices of each round) is built once per list of
winners and shared by every certificate for it; a _Bounds holds one end's values.
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np

from .mes_setup import MesSetup, rank_in

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
        self._plans: dict[tuple[int, ...], _Plan] = {}
        self.cache: dict[tuple, tuple] = {}

    def plan(self, setup: MesSetup, winners: list[int]) -> _Plan:
        """The shared _Plan for these winners (the last few are kept)."""
        key = tuple(winners)
        plan = self._plans.pop(key, None) or _Plan(setup, self)
        self._plans[key] = plan
        while len(self._plans) > 4:
            self._plans.pop(next(iter(self._plans)))
        return plan


def _exact_data(setup: MesSetup) -> _Exact:
    cached = setup._cosupport.get("exact")
    if cached is None:
        cached = setup._cosupport["exact"] = _Exact(setup)
    return cached


class _Groups:
    """One project's supporters before a round, grouped by (money class, utility level):
    index (class * levels + level, ascending), class, voters w and level g per group, and
    for few groups the same as Python ints (the price solver's loop reads those)."""

    __slots__ = ("index", "cls", "weight", "g", "total_util", "w_list", "g_list", "util_list")

    def __init__(self, index: np.ndarray, cls: np.ndarray, weight: np.ndarray, g: np.ndarray):
        self.index, self.cls, self.weight, self.g = index, cls, weight, g
        self.total_util = int(np.dot(weight, g))
        if cls.size <= SMALL:
            self.w_list, self.g_list = weight.tolist(), g.tolist()
            self.util_list = list(map(operator.mul, self.w_list, self.g_list))


class _Plan:
    """Round by round, for one list of winners: each class's voters, the winner's
    supporter groups, and how many of each group support each project.

    A winner's supporters in one (class, utility level) group all pay alike and move to a
    fresh class together; `matrix[j, q]` counts the voters of group j who support q, so the
    money every project's supporters hold moves by one small integer product per round.
    """

    def __init__(self, setup: MesSetup, x: _Exact) -> None:
        self.setup, self.x = setup, x
        self.class_of_type = [np.zeros(setup.num_types, dtype=np.int64)]  # before each round
        self.first_fresh = [1]  # classes in use before each round
        self.rounds: list[tuple[_Groups, np.ndarray]] = []  # (winner's groups, matrix)
        self._groups: dict[tuple[int, int], _Groups] = {}

    def groups(self, r: int, q: int) -> _Groups:
        """q's supporters before round r grouped by (class, level)."""
        key = (r, q)
        cached = self._groups.get(key)
        if cached is None:
            s = self.setup
            span = s.pairs(q)
            levels = len(s.utils[q])
            index = self.class_of_type[r][s.sup_type[span]] * levels + s.sup_level[span]
            classes = self.first_fresh[r]
            weight = np.bincount(index, weights=s.sup_w[span], minlength=classes * levels)
            present = np.flatnonzero(weight)
            cls = present // levels
            g = self.x.g_levels[q][present % levels]
            cached = _Groups(present, cls, np.rint(weight[present]).astype(np.int64), g)
            self._groups[key] = cached
        return cached

    def round(self, r: int, winner: int) -> tuple[_Groups, np.ndarray]:
        """Round r's (winner's groups, matrix); rounds are built in order, once."""
        if r < len(self.rounds):
            return self.rounds[r]
        s = self.setup
        groups = self.groups(r, winner)
        index = groups.index
        span = s.pairs(winner)
        types = s.sup_type[span]
        cot = self.class_of_type[r]
        position = rank_in(index, cot[types] * len(s.utils[winner]) + s.sup_level[span])
        projects, owner, weight = s.cosupport(winner)
        n = len(s.names)
        counts = np.bincount(position[owner] * n + projects, weight, minlength=index.size * n)
        matrix = np.rint(counts).astype(np.int64).reshape(index.size, n)
        after = cot.copy()
        after[types] = self.first_fresh[r] + position
        self.class_of_type.append(after)
        self.first_fresh.append(self.first_fresh[r] + index.size)
        self.rounds.append((groups, matrix))
        return self.rounds[r]


class _Bounds:
    """Integer money bounds per class at one end, and the money each project's supporters
    hold (sums of the same bounds)."""

    def __init__(
        self, setup: MesSetup, plan: _Plan, t: Fraction, top, money: np.ndarray, held: np.ndarray
    ) -> None:
        """Bounds at per-voter budget t, in rows of the pair's arrays: money = (lo, hi) per
        class, held = (lo, hi) per project."""
        self.setup, self.x = setup, plan.x
        voters = max(1, int(setup.type_w.sum()))
        top = max(1, math.ceil(top)) + 1
        # D = 2**shift: voters * top * D * gmax * 4 must stay below HEADROOM
        self.shift = (HEADROOM // (4 * voters * top * self.x.gmax)).bit_length() - 1
        self.limit = 2 * voters * top * self._scale(1)  # above any money held by anyone
        self.money_cap = top * self._scale(1)  # above any one voter's money
        self.lo, self.hi = money[0], money[1]
        self.lo[0], self.hi[0] = self._floor(t), self._ceil(t)
        supporters = setup.supporters.astype(np.int64)
        self.held_lo, self.held_hi = held[0], held[1]
        self.held_lo[:], self.held_hi[:] = supporters * self.lo[0], supporters * self.hi[0]
        self.cost_up, self.cost_down, self.rho_factor = self._per_project()

    def _per_project(self) -> tuple[list[int], list[int], list[tuple[int, int]]]:
        """Costs in units of 1/D, rounded up (to prove affordability, price upper bounds)
        and down (to prove unaffordability, price lower bounds), capped far above any
        money; rho = pi * scale / D as (numerator, denominator) factors. Cached per D."""
        key = ("per-project", self.shift, self.limit)
        cached = self.x.cache.get(key)
        if cached is None:
            costs = self.setup.costs
            unit = 1 << self.shift if self.shift >= 0 else 1
            over = 1 << -self.shift if self.shift < 0 else 1
            cached = self.x.cache[key] = (
                [min(self._ceil(c), self.limit) for c in costs],
                [min(self._floor(c), self.limit) for c in costs],
                [(f.numerator * over, f.denominator * unit) for f in self.x.scale],
            )
        return cached

    def _scale(self, value: int) -> int:
        return value << self.shift if self.shift >= 0 else value >> -self.shift

    def _floor(self, value: Fraction) -> int:
        num, den = value.numerator, value.denominator
        return (num << self.shift) // den if self.shift >= 0 else num // (den << -self.shift)

    def _ceil(self, value: Fraction) -> int:
        return -self._floor(-value)

    def price(self, cost: int, money: np.ndarray, groups: _Groups, start=None):
        """Exact payment per unit of g, (num, den) with num/den in units of 1/D, at which the
        groups' money covers `cost`: sum w * min(m, pi * g) = cost. None if they cannot.
        `start`, if given, must be at most that price (Newton's method starts there)."""
        if money.size <= SMALL:
            found = _solve(cost, money.tolist(), groups, start)
            return found[0] if found is not None else None
        weight, g = groups.weight, groups.g
        if int(np.dot(weight, money)) < cost:
            return None
        if start is not None:  # a few exact Newton steps from a close lower bound
            found = _newton(cost, money, weight, g, start)
            if found is not None:
                return found[0]
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

    def rho(self, q: int, pi: tuple[int, int]) -> tuple[int, int]:
        """rho = pi / D * scale as (numerator, denominator), denominator > 0 (pi is already
        a rounded-out bound); compared by integer cross products."""
        num, den = pi
        factor_num, factor_den = self.rho_factor[q]
        return num * factor_num, den * factor_den


class _Pair:
    """The bounds at both ends of [a, b], stacked so one numpy call updates all four:
    money rows (lo at a, hi at a, lo at b, hi at b) per class, held rows the same per project.
    A and B are _Bounds whose arrays are rows of these."""

    def __init__(self, setup: MesSetup, plan: _Plan, a: Fraction, b: Fraction) -> None:
        size = 1 + len(setup.sup_type)  # each pair moves to a fresh class at most once
        self.money = np.zeros((4, size), dtype=np.int64)
        self.held = np.zeros((4, len(setup.names)), dtype=np.int64)
        self.A = _Bounds(setup, plan, a, b, self.money[0:2], self.held[0:2])
        self.B = _Bounds(setup, plan, b, b, self.money[2:4], self.held[2:4])

    def pay(self, first: int, groups: _Groups, matrix: np.ndarray, high, low) -> None:
        """The winner's supporter groups pay and move to fresh classes first, first + 1, ...

        high, low: the price's upper and lower bounds at a and at b, (num, den) per unit of
        g. Lower money pays the upper price rounded up, and stays a line while positive at
        a (else 0); upper money pays the lower price rounded down, never below 0. Every
        project's held money moves with them (one integer product with `matrix`)."""
        cls, g = groups.cls, groups.g
        old = self.money[:, cls]
        (ha, la), (hb, lb) = zip(high, low, strict=True)
        num = np.array([[-ha[0]], [la[0]], [-hb[0]], [lb[0]]], dtype=np.int64)
        den = np.array([[ha[1]], [la[1]], [hb[1]], [lb[1]]], dtype=np.int64)
        delta = (num * g) // den  # rows: -ceil(high * g), floor(low * g), at a, at b
        delta[1::2] *= -1
        new = old + delta
        np.maximum(new[1::2], 0, out=new[1::2])
        new[0::2] *= (new[0] > 0) & (new[2] >= -self.A.money_cap)
        self.money[:, first : first + cls.size] = new
        self.held += (new - old) @ matrix


def _solve(cost: int, money: list[int], groups: _Groups, start=None, other=None):
    """The price as in _Bounds.price, ((num, den), paid at `other`); None if the groups
    cannot cover `cost`. `other`, if given, is another money list for the same groups:
    what those who pay all at the price would hold there (else 0).

    Newton's method on the concave, increasing f(pi) = sum w * min(m, pi * g), from the
    lower bound cost / sum w * g (or `start` if higher; it must be at most the price,
    e.g. the price with more money or a lower cost), in exact integers: with P the groups
    strictly poor at pi,
    the next pi solves money(P) + pi * utility(rest) = cost. That line lies above f, so
    every pi stays at most the price and grows while P grows; when pi repeats, P is poor
    and the rest are not (money >= pi * g) at pi, so it is the price exactly. At most one
    step per group; the rest never empties (the richest group is never strictly poor).
    """
    weight = groups.w_list
    paid_all = list(map(operator.mul, weight, money))
    if sum(paid_all) < cost:
        return None
    held_other = list(map(operator.mul, weight, other)) if other is not None else paid_all
    items = list(zip(money, groups.g_list, paid_all, groups.util_list, held_other, strict=True))
    num, den = cost, groups.total_util
    if start is not None and start[0] * den > num * start[1]:
        num, den = start
    while den > 0:
        paid = rest = paid_other = 0
        for m, gg, wm, wg, wo in items:
            if m * den < num * gg:
                paid += wm
                paid_other += wo
            else:
                rest += wg
        if rest == 0:
            return None
        if (cost - paid) * den == num * rest:  # pi repeats: the exact price
            return (cost - paid, rest), (paid_other if other is not None else 0)
        num, den = cost - paid, rest
    return None


def _line_low(end: _Bounds, other: _Bounds, cost: int, groups: _Groups):
    """An affine lower bound on a price over [a, b], by its values at `end` and `other`.

    For ANY set P of supporters, rho >= (cost - money of P) / utility of the rest (the
    rest pay at most rho * utility, P at most all they have). With P = those paying all at
    `end` (the bound is the exact price there) and upper money bounds, affine in t, this is
    a line below the price everywhere in [a, b]. Returns ((num, den) at end, (num, den) at
    other), payments per unit of g in units of 1/D; None if no price exists at `end`.
    """
    cls = groups.cls
    if cls.size > SMALL:
        return _line_low_numpy(end, other, cost, groups)
    found = _solve(cost, end.hi[cls].tolist(), groups, other=other.hi[cls].tolist())
    if found is None:
        return None
    (num, den), paid_other = found
    return (num, den), (cost - paid_other, den)


def _newton(cost: int, money: np.ndarray, weight: np.ndarray, g: np.ndarray, start):
    """Up to three exact Newton steps (as in _solve) from `start`, at most the price:
    (price, mask of the strictly poor there) once pi repeats, else None."""
    num, den = start
    for _ in range(3):
        poor = money * den < num * g
        rest = int(np.dot(weight[~poor], g[~poor]))
        if rest == 0:
            return None
        paid = int(np.dot(weight[poor], money[poor]))
        if (cost - paid) * den == num * rest:
            return (cost - paid, rest), poor
        num, den = cost - paid, rest
    return None


def _line_low_numpy(end: _Bounds, other: _Bounds, cost: int, groups: _Groups):
    """_line_low for many groups, in int64 arrays (the same products as price)."""
    cls, weight, g = groups.cls, groups.weight, groups.g
    money = end.hi[cls]
    if int(np.dot(weight, money)) < cost:
        return None
    found = _newton(cost, money, weight, g, (cost, groups.total_util))
    if found is not None:  # the price, and who pays all there
        at_end, poor = found
        return at_end, (cost - int(np.dot(weight[poor], other.hi[cls][poor])), at_end[1])
    pi = end.price(cost, money, groups)
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
