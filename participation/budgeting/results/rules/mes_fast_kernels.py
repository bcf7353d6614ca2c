"""Compiled float MES at one per-voter budget (numba; imported only by mes_fast.py, lazily).

The same rounds as mes_engine.MesRun, on one float money per ballot type, each with an error
scale: the float money is within tolerance * scale of the exact money (MesRun's argument:
double rounding over the rounds and sums involved stays below 1e-11 of that). A decision
is taken only when its margin exceeds the error bounds; otherwise the run stops with
AMBIGUOUS and the caller settles that budget with the exact engine. The one near-tie
decided here is between projects none of whose supporters has paid yet: their prices are
exactly cost / total utility, compared as integer cross products (ties by name).

Prices only rise through the rounds (money only falls), so a project's last computed price
minus its error is a lower bound until its supporters pay again: each round recomputes only
the projects that could still win it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

OK, AMBIGUOUS = 0, 1
# A project's price needs at most this many passes (each one adds a poorer group to those
# paying all they have); more means something odd: let the exact engine decide.
MAX_PASSES = 200
DRIFT = 1e-9
SMALL = 2**31  # exact prices' numerators and denominators, multiplied in int64


@njit(cache=True)
def _gcd(x, y):
    while y:
        x, y = y, x % y
    return x


@njit(cache=True)
def _evaluate(q, t, tol, a, x, state):
    """Affordability and price of q from the current money; False when too close to call.

    a = (cost, ptr, sup_type, sup_u, type_w, total_util, weight, umax, rho0): floats and
    the supporter pairs; x = (cost_int, sup_u_int, type_w_int, rho0_num, rho0_den, int_ok):
    the integers of exact prices. num[q] / den[q] is q's exact price when den[q] > 0: when
    nobody pays all, or only those left with exactly nothing do. held / held_scale are kept
    by _pay, so an unaffordable project is dropped without a pass over its supporters."""
    cost, ptr, sup_type, sup_u, type_w, total_util, weight, umax, rho0 = a
    cost_int, sup_u_int, type_w_int, rho0_num, rho0_den, int_ok = x
    money, scale, touched, rho, err, lower, alive, num, den, held, held_scale, grown = state
    c = cost[q]
    den[q] = 0
    start, stop = ptr[q], ptr[q + 1]
    # the running sums drift by far less than DRIFT times the size of their terms: t per
    # supporter at the start, as much again paid (money only falls), and the error scales'
    # growth; closer calls are summed afresh
    slack = DRIFT * (2 * t * weight[q] + grown[q])
    gap = held[q] - c
    if gap < -(tol * (held_scale[q] + c) + slack):
        alive[q] = False
        return True
    if gap <= tol * (held_scale[q] + c) + slack:
        fresh = 0.0
        fresh_scale = 0.0
        for i in range(start, stop):
            v = sup_type[i]
            fresh += type_w[v] * money[v]
            fresh_scale += type_w[v] * scale[v]
        gap = fresh - c
        if gap < -tol * (fresh_scale + c):
            alive[q] = False
            return True
        if gap <= tol * (fresh_scale + c):
            return False
    magnitude = max(held_scale[q], 0.0) + slack  # of the supporters' money and its errors
    if not touched[q]:  # every supporter still holds t (exactly)
        r = rho0[q]
        if t > r * umax[q] * (1.0 + 1e-9):  # nobody pays all: the price is cost / utility
            rho[q], err[q] = r, tol * (c + magnitude) / total_util[q]
            lower[q] = r - err[q]
            num[q], den[q] = rho0_num[q], rho0_den[q]
            return True
    # the least r with sum w * min(m, r * u) = c: start below it (no one pays all), then
    # let those who cannot pay r * u pay all they have, until nobody else falls short
    r = rho0[q]
    rich_util = total_util[q]
    rich_int = 0
    zero_poor = True  # every one paying all holds exactly 0
    closest = np.inf  # least distance of a payer from paying all, less its error, per utility
    done = same = False
    for _ in range(MAX_PASSES):
        poor_money = 0.0
        rich_util = 0.0
        rich_int = 0
        zero_poor = True
        closest = np.inf
        for i in range(start, stop):
            v = sup_type[i]
            m = money[v]
            pay = r * sup_u[i]
            if m < pay:
                poor_money += type_w[v] * m
                if m != 0.0 or scale[v] != 0.0:
                    zero_poor = False
            else:
                rich_util += type_w[v] * sup_u[i]
                rich_int += type_w_int[v] * sup_u_int[i]
                d = (m - pay - tol * (scale[v] + 2 * pay)) / sup_u[i]
                if d < closest:
                    closest = d
        if rich_util <= 0.0:
            return False
        following = (c - poor_money) / rich_util
        if following <= r:
            done, same = True, following == r
            r = following
            break
        r = following
    if not done:
        return False
    e = tol * (c + magnitude) / rich_util
    if same and closest > 2 * e:  # no payer within 2e of paying all at r
        edge_util = 0.0
    else:
        # groups at the edge of paying all: the exact price may sit on the other side of
        # them, where fewer pay r * u; allow for it while they are at most half the
        # payers' utility
        edge_util = 0.0
        for i in range(start, stop):
            v = sup_type[i]
            u = sup_u[i]
            m = money[v]
            if m >= r * u and m - r * u <= tol * (scale[v] + 2 * r * u) + 2 * e * u:
                edge_util += type_w[v] * u
    if edge_util > 0.0:
        if 2.0 * edge_util > rich_util:
            return False
        e = 2.0 * e
    elif zero_poor and int_ok[q] and rich_int > 0:  # exactly cost / the payers' utility
        g = _gcd(cost_int[q], rich_int)
        p, d = cost_int[q] // g, rich_int // g
        if p < SMALL and d < SMALL:
            num[q], den[q] = p, d
    rho[q], err[q] = r, e
    lower[q] = r - e
    return True


@njit(cache=True)
def mes_float_run(t, tol, a, x, type_ptr, type_proj, name_rank, candidate, winners, money_of):
    """MES at per-voter budget t: (status, number of winners written to `winners`, their
    total cost, the cost of the cheapest candidate not bought or -1), the costs in
    money_of = (integer cost of each project, candidates cheapest first)."""
    cost, ptr, sup_type, sup_u, type_w, total_util, weight, umax, rho0 = a
    n = cost.size
    money = np.full(type_w.size, t)
    scale = np.full(type_w.size, t)
    alive = candidate.copy()
    stale = np.ones(n, dtype=np.bool_)
    touched = np.zeros(n, dtype=np.bool_)
    num = np.zeros(n, dtype=np.int64)
    den = np.zeros(n, dtype=np.int64)
    rho = np.zeros(n)
    err = np.zeros(n)
    lower = rho0 * (1.0 - 1e-9)  # no price is below cost / total utility
    held = t * weight  # money of each project's supporters, and its error scale
    held_scale = t * weight
    grown = np.zeros(n)  # what the error scales of each project's supporters have grown by
    state = (money, scale, touched, rho, err, lower, alive, num, den, held, held_scale, grown)
    live = np.flatnonzero(candidate)  # alive projects first, compacted every round
    size = live.size
    count = 0
    while True:
        kept = 0
        for i in range(size):
            if alive[live[i]]:
                live[kept] = live[i]
                kept += 1
        size = kept
        # the cheapest upper bound among current prices, and the lowest stale lower bound
        high = np.inf
        first = -1
        for i in range(size):
            q = live[i]
            if stale[q]:
                if first < 0 or lower[q] < lower[first]:
                    first = q
            elif rho[q] + err[q] < high:
                high = rho[q] + err[q]
        if first >= 0 and lower[first] < high:
            if not _evaluate(first, t, tol, a, x, state):
                return AMBIGUOUS, count, 0, 0
            stale[first] = False
            if alive[first]:
                high = min(high, rho[first] + err[first])
        # every project that might be as cheap as that bound, priced now (the bound only
        # falls during the pass, so one pass leaves none behind)
        for i in range(size):
            q = live[i]
            if stale[q] and alive[q] and lower[q] <= high:
                if not _evaluate(q, t, tol, a, x, state):
                    return AMBIGUOUS, count, 0, 0
                stale[q] = False
                if alive[q] and rho[q] + err[q] < high:
                    high = rho[q] + err[q]
        winner = -1
        contenders = 0
        for i in range(size):
            q = live[i]
            if alive[q] and lower[q] <= high:
                contenders += 1
                if winner < 0:
                    winner = q
        if winner < 0:  # nothing affordable is left
            spent, left = _spending(winners, count, alive, money_of)
            return OK, count, spent, left
        if contenders > 1:  # too close for floats: exact prices, then names
            winner = -1
            for i in range(size):
                q = live[i]
                if not (alive[q] and lower[q] <= high):
                    continue
                if den[q] == 0:
                    return AMBIGUOUS, count, 0, 0
                if winner < 0:
                    winner = q
                    continue
                left, right = num[q] * den[winner], num[winner] * den[q]
                if left < right or (left == right and name_rank[q] < name_rank[winner]):
                    winner = q
        _pay(winner, tol, a, type_ptr, type_proj, state, stale)
        alive[winner] = False
        winners[count] = winner
        count += 1


@njit(cache=True)
def _spending(winners, count, alive, money_of):
    """Total integer cost of the winners, and the cost of the cheapest candidate left."""
    cost, cheapest_first = money_of
    spent = 0
    for i in range(count):
        spent += cost[winners[i]]
    alive[:] = True
    for i in range(count):
        alive[winners[i]] = False
    for q in cheapest_first:
        if alive[q]:
            return spent, cost[q]
    return spent, -1


@njit(cache=True)
def _pay(w, tol, a, type_ptr, type_proj, state, stale):
    """w's supporters pay r * u, or all they have; every project they support is stale."""
    ptr, sup_type, sup_u, type_w = a[1], a[2], a[3], a[4]
    money, scale, touched, rho, err, lower, alive, num, den, held, held_scale, grown = state
    r, e = rho[w], err[w]
    grow = r + e / tol  # the error scale a payment adds per unit of utility
    for i in range(ptr[w], ptr[w + 1]):
        v = sup_type[i]
        u = sup_u[i]
        pay = r * u
        before, before_scale = money[v], scale[v]
        gap = before - pay
        if gap < -(tol * (before_scale + 2 * pay) + e * u):
            money[v] = 0.0  # surely pays all: exactly 0 left
            scale[v] = 0.0
        else:  # pays r * u, or all at the edge: either way within the scale of max(gap, 0)
            money[v] = gap if gap > 0.0 else 0.0
            scale[v] = before_scale + grow * u
        paid = type_w[v] * (money[v] - before)
        growth = type_w[v] * (scale[v] - before_scale)
        size = abs(growth)
        for j in range(type_ptr[v], type_ptr[v + 1]):
            p = type_proj[j]
            held[p] += paid
            held_scale[p] += growth
            grown[p] += size
            stale[p] = True
            touched[p] = True
