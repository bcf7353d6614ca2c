"""One exact run of the Method of Equal Shares (MES) at a per-voter budget t.

Voters with the same payment history share a money *class*. A class's money is kept as an
affine function a + b*t of the per-voter budget t (a, b exact Fractions, built lazily from
the payment history; floats mirror them). Every round funds the affordable project with the
lowest price per unit of utility (rho), ties by project id as strings (pabutools'
lexico_tie_breaking); supporters pay min(money, rho * utility).

Floats only shortlist: any comparison closer than the tolerance is settled with Fractions, so
the funded projects are exactly those of exact arithmetic. The affine form lets the add1 loop
ask how far t may grow before any decision could flip (mes_bounds), and restart a later run
from the last round whose decisions still hold (snapshots).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from . import mes_bounds
from .mes_prices import Keys, Purchase, float_rho, price, project_keys
from .mes_setup import MesSetup, rank_in

UNTOUCHED, EMPTY = 0, 1  # money class ids: money t (nothing paid yet) and money 0


@dataclass(frozen=True)
class Snapshot:
    """State after some rounds; `bound` limits the t' for which those rounds stay the same."""

    class_of_type: np.ndarray
    num_classes: int
    held: np.ndarray  # rows: a, b of the money each project's supporters hold
    peak: tuple[float, float]
    lines: np.ndarray  # rows: lower-bound line of each project's rho: value, slope, at t
    remaining: np.ndarray
    rounds: int
    bound: float


class MesRun:
    """MES at per-voter budget t; call run(), then read `order`, `purchases`, `bound`."""

    def __init__(
        self,
        setup: MesSetup,
        t: Fraction,
        with_bound: bool = False,
        resume: tuple[MesRun, int] | None = None,
    ) -> None:
        self.setup = setup
        self.t = t
        self.tf = float(t)
        self.with_bound = with_bound
        self.snapshots: list[Snapshot] = []
        if resume is None:
            self._start()
        else:
            self._resume(*resume)

    def _start(self) -> None:
        s = self.setup
        n = len(s.names)
        self.bound = math.inf  # lowest t' > t at which some decision might change
        self.order: list[int] = list(s.free)
        self.purchases: list[Purchase] = []
        self.class_of_type = np.zeros(s.num_types, dtype=np.int64)
        self.ca, self.cb = np.zeros(64), np.zeros(64)
        self.amag, self.bmag = np.zeros(64), np.zeros(64)  # bounds on |a|, |b| histories
        self.cb[UNTOUCHED] = self.bmag[UNTOUCHED] = 1.0
        self.num_classes = 2
        # payment history: parent class, purchase index, utility level paid for
        self.parent = np.full(64, -1, dtype=np.int64)
        self.paid_in = np.full(64, -1, dtype=np.int64)
        self.paid_level = np.zeros(64, dtype=np.int64)
        self._exact = {UNTOUCHED: (Fraction(0), Fraction(1)), EMPTY: (Fraction(0), Fraction(0))}
        self.held = np.vstack([np.zeros(n), s.supporters.astype(np.float64)])
        self.peak = (0.0, 1.0)  # largest amag, bmag of any class so far
        self.lines = np.zeros((3, n))
        self.remaining = np.array(s.candidates, dtype=np.int64)
        # project -> (round, float money its supporters held when MES found it unaffordable)
        self.dropped: dict[int, tuple[int, float]] = {}
        if self.remaining.size:  # no price can be below cost / total utility
            floor = s.cost_f[self.remaining] / s.total_util_f[self.remaining]
            self.lines[0, self.remaining] = floor * (1 - 1e-12)
        self._snapshot()

    def _resume(self, previous: MesRun, rounds: int) -> None:
        """Continue from `previous`'s state after `rounds` rounds, valid at this t too."""
        snap = previous.snapshots[rounds]
        k = snap.num_classes
        self.bound = snap.bound
        self.snapshots = previous.snapshots[: rounds + 1]
        self.purchases = previous.purchases[:rounds]  # prices are functions of t: reusable
        free = len(self.setup.free)
        self.order = previous.order[: free + rounds]
        self.class_of_type = snap.class_of_type.copy()
        self.ca, self.cb = previous.ca[:k].copy(), previous.cb[:k].copy()
        self.amag, self.bmag = previous.amag[:k].copy(), previous.bmag[:k].copy()
        self.num_classes = k
        self.parent, self.paid_in = previous.parent[:k].copy(), previous.paid_in[:k].copy()
        self.paid_level = previous.paid_level[:k].copy()
        self._exact = {c: ab for c, ab in previous._exact.items() if c < k}
        self.held, self.lines, self.peak = snap.held.copy(), snap.lines.copy(), snap.peak
        self.remaining = snap.remaining
        self.dropped = {q: d for q, d in previous.dropped.items() if d[0] < rounds}

    def _snapshot(self) -> None:
        if self.with_bound:
            self.snapshots.append(
                Snapshot(
                    self.class_of_type.copy(),
                    self.num_classes,
                    self.held.copy(),
                    self.peak,
                    self.lines.copy(),
                    self.remaining,
                    len(self.purchases),
                    self.bound,
                )
            )

    # ----- exact money -------------------------------------------------------------------

    def exact_ab(self, cls: int) -> tuple[Fraction, Fraction]:
        """Exact (a, b) of a class's money a + b*t, following its payment history."""
        chain = []
        while cls not in self._exact:
            chain.append(cls)
            cls = int(self.parent[cls])
        a, b = self._exact[cls]
        for child in reversed(chain):
            bought = self.purchases[int(self.paid_in[child])]
            rho_a, rho_b = bought.exact(self)
            util = self.setup.utils[bought.project][int(self.paid_level[child])]
            a, b = a - rho_a * util, b - rho_b * util
            self._exact[child] = (a, b)
        return a, b

    def exact_money(self, cls: int) -> Fraction:
        a, b = self.exact_ab(cls)
        return a + b * self.t

    def exact_held(self, keys: Keys) -> Fraction:
        """Exact money held by the supporters grouped in `keys`."""
        total = Fraction(0)
        for cls, weight in zip(keys.cls.tolist(), keys.weight.tolist(), strict=True):
            total += round(weight) * self.exact_money(cls)
        return total

    def keys(self, q: int) -> Keys:
        return project_keys(self, q)

    # ----- the rounds --------------------------------------------------------------------

    def run(self) -> MesRun:
        while self.remaining.size:
            self._drop_unaffordable()
            if not self.remaining.size:
                break
            winner, keys, poor, purchase = self._choose()
            if self.with_bound:
                mes_bounds.bound_round(self, purchase, keys, poor)
            self._pay(purchase, keys, poor)
            self._snapshot()
        return self

    def held_now(self, projects: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Float money held by each project's supporters, and its error scale.

        Every supporter's money has magnitude at most peak (its update errors too, so
        the incrementally kept sums stay far inside tolerance * supporters * peak).
        """
        held = self.held[0][projects] + self.held[1][projects] * self.tf
        peak = 2.0 * (self.peak[0] + self.peak[1] * self.tf)
        return held, self.setup.supporters_f[projects] * peak

    def _drop_unaffordable(self) -> None:
        """Keep the projects whose supporters still hold their cost (decided exactly)."""
        s = self.setup
        remaining = self.remaining
        held, scale = self.held_now(remaining)
        cost = s.cost_f[remaining]
        gap = held - cost
        tol = s.tolerance * (scale + cost)
        keep = gap > tol
        for i in np.flatnonzero(np.abs(gap) <= tol).tolist():
            q = int(remaining[i])
            keep[i] = self.exact_held(self.keys(q)) >= s.costs[q]
        if not keep.all():
            rounds = len(self.purchases)
            for q, money in zip(remaining[~keep].tolist(), held[~keep].tolist(), strict=True):
                self.dropped[q] = (rounds, money)
            if self.with_bound:
                mes_bounds.bound_dropped(self, remaining[~keep])
        self.remaining = remaining[keep]

    def _choose(self) -> tuple[int, Keys, np.ndarray, Purchase]:
        """The project with the lowest rho (exactly), lexico ties; its keys and poor mask."""
        remaining = self.remaining
        lines = self.lines
        floor = lines[0][remaining] + lines[1][remaining] * (self.tf - lines[2][remaining])
        best_high = math.inf
        tried: list[tuple[int, float, float, Keys]] = []
        for i in np.argsort(floor, kind="stable").tolist():
            if floor[i] > best_high:
                break  # a lower bound above the best price cannot win
            q = int(remaining[i])
            keys = self.keys(q)
            rho, err, rate = float_rho(self, q, keys, self.with_bound)
            lines[0, q], lines[1, q], lines[2, q] = rho - err, rate, self.tf
            best_high = min(best_high, rho + err)
            tried.append((q, rho, err, keys))
        contenders = [entry for entry in tried if entry[1] - entry[2] <= best_high]
        bids = [(q, keys) + price(self, q, keys, rho, err)[:2] for q, rho, err, keys in contenders]
        if len(bids) > 1:  # too close for floats: compare exact prices, then ids
            names = self.setup.names
            bids.sort(key=lambda bid: (bid[2].rho_at(self), names[bid[0]]))
        winner, keys, purchase, poor = bids[0]
        return winner, keys, poor, purchase

    def _pay(self, purchase: Purchase, keys: Keys, poor: np.ndarray) -> None:
        """Charge the winner's supporters: the poor pay all, the rest rho * utility."""
        s = self.setup
        winner = purchase.project
        step = len(self.purchases)
        self.purchases.append(purchase)
        self.order.append(winner)
        self.remaining = self.remaining[self.remaining != winner]
        rich = np.flatnonzero(~poor)
        fresh = np.arange(self.num_classes, self.num_classes + rich.size)
        self._grow(self.num_classes + rich.size)
        rho_a, rho_b = purchase.rho_a_f, purchase.rho_b_f
        # magnitudes cover the float error of rho too (err / tolerance = its magnitude)
        mag_a = abs(rho_a) + purchase.err_a / s.tolerance
        mag_b = abs(rho_b) + purchase.err_b / s.tolerance
        old, util = keys.cls[rich], keys.util[rich]
        self.ca[fresh] = self.ca[old] - rho_a * util
        self.cb[fresh] = self.cb[old] - rho_b * util
        self.amag[fresh] = self.amag[old] + mag_a * util
        self.bmag[fresh] = self.bmag[old] + mag_b * util
        if rich.size:
            self.peak = (
                max(self.peak[0], float(self.amag[fresh].max())),
                max(self.peak[1], float(self.bmag[fresh].max())),
            )
        utils = s.utils[winner]
        self.parent[fresh] = old
        self.paid_in[fresh] = step
        self.paid_level[fresh] = keys.level[rich]
        self.num_classes += rich.size
        new_class = np.full(keys.index.size, EMPTY, dtype=np.int64)
        new_class[rich] = fresh
        span = s.pairs(winner)
        types = s.sup_type[span]
        before = self.class_of_type[types]
        position = rank_in(keys.index, before * len(utils) + s.sup_level[span])
        self.class_of_type[types] = new_class[position]
        self._update_held(winner, position, keys.cls, new_class)

    def _update_held(self, winner: int, position, before: np.ndarray, after: np.ndarray) -> None:
        """Move the changed voters' money in every project they support: group j (position
        of each supporter pair) moved from class before[j] to after[j]; held money moves by
        (change of each group's money) @ (voters of each group supporting each project)."""
        s = self.setup
        projects, owner, weight = s.cosupport(winner)
        n = len(s.names)
        groups = before.size
        voters = np.bincount(position[owner] * n + projects, weight, minlength=groups * n)
        change = np.stack([self.ca[after] - self.ca[before], self.cb[after] - self.cb[before]])
        self.held += change @ voters.reshape(groups, n)

    def _grow(self, needed: int) -> None:
        if needed <= self.ca.size:
            return
        size = max(needed, 2 * self.ca.size)
        for name in ("ca", "cb", "amag", "bmag", "parent", "paid_in", "paid_level"):
            array = getattr(self, name)
            grown = np.zeros(size, dtype=array.dtype)
            grown[: self.num_classes] = array[: self.num_classes]
            setattr(self, name, grown)

    # ----- after the run -----------------------------------------------------------------

    def money_left(self) -> np.ndarray:
        """Float money each project's supporters hold at the end (display only)."""
        return self.held_now(np.arange(len(self.setup.names)))[0]

    def money_at_turn(self, q: int) -> float:
        """Float money q's supporters held when MES found q unaffordable (display only);
        the money at the end for a project never considered."""
        dropped = self.dropped.get(q)
        return dropped[1] if dropped is not None else float(self.money_left()[q])

    def total_cost(self) -> Fraction:
        return sum((self.setup.costs[q] for q in self.order), Fraction(0))

    def valid_rounds(self, t: float) -> int:
        """How many leading rounds (snapshots) certainly decide the same way at t."""
        margin = 1e-7 * (1.0 + abs(t))
        rounds = 0
        for index, snap in enumerate(self.snapshots):
            if snap.bound <= t + margin:
                break
            rounds = index
        return rounds
