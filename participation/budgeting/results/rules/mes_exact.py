"""The Method of Equal Shares in plain Fractions: the slow, obviously exact reference.

Used only where the integer certificate (mes_certificate) cannot prove a fast run's purchases,
which in practice means exact ties between prices; small elections are full of them.
"""

from __future__ import annotations

from fractions import Fraction

from .mes_setup import MesSetup


def exact_winners(setup: MesSetup, t: Fraction) -> list[int]:
    """Projects MES buys at per-voter budget t, in order (free projects excluded)."""
    money = [Fraction(t)] * setup.num_types
    weight = [round(w) for w in setup.type_w.tolist()]
    pairs = {
        q: list(
            zip(
                setup.sup_type[setup.pairs(q)].tolist(),
                setup.sup_level[setup.pairs(q)].tolist(),
                strict=True,
            )
        )
        for q in setup.candidates
    }
    remaining = set(setup.candidates)
    bought: list[int] = []
    while True:
        best = None
        for q in sorted(remaining, key=lambda p: setup.names[p]):
            cost, utils = setup.costs[q], setup.utils[q]
            if sum(weight[v] * money[v] for v, _ in pairs[q]) < cost:
                remaining.discard(q)
                continue
            rho = _rho(cost, [(money[v], weight[v], utils[lv]) for v, lv in pairs[q]])
            if best is None or rho < best[0]:  # names ascending: the first of a tie stays
                best = (rho, q)
        if best is None:
            return bought
        rho, q = best
        for v, level in pairs[q]:
            money[v] = max(Fraction(0), money[v] - rho * setup.utils[q][level])
        remaining.discard(q)
        bought.append(q)


def _rho(cost: Fraction, groups: list[tuple[Fraction, int, Fraction]]) -> Fraction:
    """The least rho with sum w * min(m, rho * u) >= cost (the supporters can afford it)."""
    groups.sort(key=lambda item: item[0] / item[2])
    paid = Fraction(0)
    rest = sum(w * u for _, w, u in groups)
    for m, w, u in groups:
        rho = (cost - paid) / rest
        if rho * u <= m:
            return rho
        paid += w * m
        rest -= w * u
    raise AssertionError("an affordable project has a price")
