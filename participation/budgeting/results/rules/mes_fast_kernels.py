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
SMALL = 2**31  # exact prices' numerators and denominators, multiplied in int64


@njit(cache=True)
def _gcd(x, y):
    while y:
        x, y = y, x % y
    return x


@njit(cache=True)
def _evaluate(q, t, tol, a, x, money, scale, touched, rho, err, lower, alive, num, den):
    """Affordability and price of q from the current money; False when too close to call.

    a = (cost, ptr, sup_type, sup_u, type_w, total_util, weight, umax, rho0): floats and
    the supporter pairs; x = (cost_int, sup_u_int, type_w_int, rho0_num, rho0_den, int_ok):
    the integers of exact prices. num[q] / den[q] is q's exact price when den[q] > 0: when
    nobody pays all, or only those left with exactly nothing do."""
    cost, ptr, sup_type, sup_u, type_w, total_util, weight, umax, rho0 = a
    cost_int, sup_u_int, type_w_int, rho0_num, rho0_den, int_ok = x
    c = cost[q]
    den[q] = 0
    if not touched[q]:  # every supporter still holds t (exactly): no sums needed
        held = t * weight[q]
        gap = held - c
        if gap < -tol * (held + c):
            alive[q] = False
            return True
        if gap <= tol * (held + c):
            return False
        r = rho0[q]
        if t > r * umax[q] * (1.0 + 1e-9):  # nobody pays all: the price is cost / utility
            rho[q], err[q] = r, tol * (c + held) / total_util[q]
            lower[q] = r - err[q]
            num[q], den[q] = rho0_num[q], rho0_den[q]
            return True
    start, stop = ptr[q], ptr[q + 1]
    held = 0.0
    held_scale = 0.0
    for i in range(start, stop):
        v = sup_type[i]
        held += type_w[v] * money[v]
        held_scale += type_w[v] * scale[v]
    gap = held - c
    margin = tol * (held_scale + c)
    if gap < -margin:
        alive[q] = False
        return True
    if gap <= margin:
        return False
    # the least r with sum w * min(m, r * u) = c: start below it (no one pays all), then
    # let those who cannot pay r * u pay all they have, until nobody else falls short
    r = rho0[q]
    rich_util = total_util[q]
    rich_int = 0
    zero_poor = True  # every one paying all holds exactly 0
    settled = False
    for _ in range(MAX_PASSES):
        poor_money = 0.0
        rich_util = 0.0
        rich_int = 0
        zero_poor = True
        for i in range(start, stop):
            v = sup_type[i]
            if money[v] < r * sup_u[i]:
                poor_money += type_w[v] * money[v]
                if money[v] != 0.0 or scale[v] != 0.0:
                    zero_poor = False
            else:
                rich_util += type_w[v] * sup_u[i]
                rich_int += type_w_int[v] * sup_u_int[i]
        if rich_util <= 0.0:
            return False
        following = (c - poor_money) / rich_util
        if following <= r:
            r = following
            settled = True
            break
        r = following
    if not settled:
        return False
    e = tol * (c + held_scale) / rich_util
    # groups at the edge of paying all: the exact price may sit on the other side of them,
    # where fewer pay r * u; allow for it while they are at most half the payers' utility
    edge_util = 0.0
    for i in range(start, stop):
        v = sup_type[i]
        u = sup_u[i]
        if money[v] >= r * u and abs(money[v] - r * u) <= tol * (scale[v] + 2 * r * u) + 2 * e * u:
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
def mes_float_run(t, tol, a, x, type_ptr, type_proj, name_rank, candidate, winners):
    """MES at per-voter budget t: (status, number of winners written to `winners`)."""
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
    count = 0
    while True:
        # the project with the lowest lower bound, once its bound is its current price
        best = -1
        while True:
            best = -1
            low = np.inf
            for q in range(n):
                if alive[q] and lower[q] < low:
                    low = lower[q]
                    best = q
            if best < 0 or not stale[best]:
                break
            if not _evaluate(best, t, tol, a, x, money, scale, touched, rho, err, lower,
                             alive, num, den):
                return AMBIGUOUS, count
            stale[best] = False
        if best < 0:
            return OK, count  # nothing affordable is left
        # every project that might be as cheap as the cheapest upper bound, priced now
        high = rho[best] + err[best]
        changed = True
        while changed:
            changed = False
            for q in range(n):
                if alive[q] and lower[q] <= high:
                    if stale[q]:
                        if not _evaluate(q, t, tol, a, x, money, scale, touched, rho, err,
                                         lower, alive, num, den):
                            return AMBIGUOUS, count
                        stale[q] = False
                        changed = True
                    if alive[q] and rho[q] + err[q] < high:
                        high = rho[q] + err[q]
                        changed = True
        winner = -1
        contenders = 0
        for q in range(n):
            if alive[q] and lower[q] <= high:
                contenders += 1
                if winner < 0:
                    winner = q
        if contenders > 1:  # too close for floats: exact prices, then names
            winner = -1
            for q in range(n):
                if not (alive[q] and lower[q] <= high):
                    continue
                if den[q] == 0:
                    return AMBIGUOUS, count
                if winner < 0:
                    winner = q
                    continue
                left, right = num[q] * den[winner], num[winner] * den[q]
                if left < right or (left == right and name_rank[q] < name_rank[winner]):
                    winner = q
        _pay(winner, tol, ptr, sup_type, sup_u, type_ptr, type_proj, money, scale, rho, err,
             stale, touched)
        alive[winner] = False
        winners[count] = winner
        count += 1


@njit(cache=True)
def _pay(w, tol, ptr, sup_type, sup_u, type_ptr, type_proj, money, scale, rho, err, stale,
         touched):
    """w's supporters pay r * u, or all they have; every project they support is stale."""
    r, e = rho[w], err[w]
    grow = r + e / tol  # the error scale a payment adds per unit of utility
    for i in range(ptr[w], ptr[w + 1]):
        v = sup_type[i]
        u = sup_u[i]
        pay = r * u
        gap = money[v] - pay
        if gap < -(tol * (scale[v] + 2 * pay) + e * u):
            money[v] = 0.0  # surely pays all: exactly 0 left
            scale[v] = 0.0
        else:  # pays r * u, or all at the edge: either way within the scale of max(gap, 0)
            money[v] = gap if gap > 0.0 else 0.0
            scale[v] += grow * u
        for j in range(type_ptr[v], type_ptr[v + 1]):
            stale[type_proj[j]] = True
            touched[type_proj[j]] = True
