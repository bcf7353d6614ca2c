"""Per-election arrays the Method of Equal Shares works on (built once, cached)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .model import Election
from .profile import APPROVAL, POINTS, support

# MES satisfaction -> (score kind, utility = score x cost?)
MES_SATISFACTIONS: dict[str, tuple[str, bool]] = {
    "cost": (APPROVAL, True),  # Cost_Sat: a supporter's utility is the project's cost
    "cardinality": (APPROVAL, False),  # Cardinality_Sat: utility 1
    "cardinal": (POINTS, False),  # Additive_Cardinal_Sat: utility = points given
}

# Float filters decide only when the gap exceeds this share of the quantities' magnitude;
# double rounding over the sums and rounds involved stays below 1e-11 of it, so closer
# calls are always settled with exact Fractions.
BASE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class MesSetup:
    """Projects, supporter pairs and utilities; pairs are grouped per project (CSR)."""

    names: tuple[str, ...]
    costs: tuple[Fraction, ...]
    cost_f: np.ndarray
    num_types: int
    ptr: np.ndarray
    sup_type: np.ndarray
    sup_level: np.ndarray
    sup_proj: np.ndarray
    sup_w: np.ndarray  # float weight (voters) of each pair's ballot type
    sup_u: np.ndarray  # float utility of each pair
    type_ptr: np.ndarray  # the same pairs grouped per ballot type (CSR by type)
    type_proj: np.ndarray  # project of each pair in type order
    type_w: np.ndarray  # float voters per ballot type
    utils: tuple[tuple[Fraction, ...], ...]  # exact utility levels per project
    utils_f: tuple[np.ndarray, ...]
    total_util: tuple[Fraction, ...]
    total_util_f: np.ndarray
    supporters: np.ndarray
    supporters_f: np.ndarray
    candidates: tuple[int, ...]  # supported projects with a positive cost
    free: tuple[int, ...]  # supported projects costing nothing: funded up front
    tolerance: float
    _cosupport: dict = field(default_factory=dict, repr=False, compare=False)

    def pairs(self, project: int) -> slice:
        return slice(int(self.ptr[project]), int(self.ptr[project + 1]))

    def cosupport(self, project: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For the supporters of `project` (in pair order): every project each of them also
        supports, the index of that supporter, and its voters (its type's weight); cached,
        it makes a purchase's update of every project's held money one bincount."""
        cached = self._cosupport.get(project)
        if cached is None:
            types = self.sup_type[self.pairs(project)]
            starts = self.type_ptr[types]
            lengths = self.type_ptr[types + 1] - starts
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            projects = self.type_proj[offsets + np.arange(int(lengths.sum()))]
            owner = np.repeat(np.arange(types.size), lengths)
            cached = self._cosupport[project] = (projects, owner, self.type_w[types][owner])
        return cached


def rank_in(present: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """For each key (every one of them in `present`, which ascends), its index in `present`:
    a lookup table, several times quicker than np.searchsorted on these sizes."""
    table = np.empty(int(present[-1]) + 1 if present.size else 0, dtype=np.int64)
    table[present] = np.arange(present.size)
    return table[keys]


def mes_setup(election: Election, satisfaction: str) -> MesSetup:
    """Cached MesSetup for an election and an MES satisfaction measure."""
    key = ("mes", satisfaction)
    cached = election._cache.get(key)
    if cached is None:
        cached = election._cache[key] = _build(election, satisfaction)
    return cached


def _build(election: Election, satisfaction: str) -> MesSetup:
    kind, times_cost = MES_SATISFACTIONS[satisfaction]
    sup = support(election, kind)
    costs = election.costs
    utils = tuple(
        tuple(level * cost for level in levels) if times_cost else levels
        for levels, cost in zip(sup.levels, costs, strict=True)
    )
    utils_f = tuple(np.array([float(u) for u in levels], dtype=np.float64) for levels in utils)
    sup_proj = sup.sup_project
    sup_u = np.zeros(len(sup.sup_type), dtype=np.float64)
    for q, levels_f in enumerate(utils_f):
        span = slice(int(sup.ptr[q]), int(sup.ptr[q + 1]))
        if span.stop > span.start:
            sup_u[span] = levels_f[sup.sup_level[span]]
    total_util = tuple(
        total * cost if times_cost else total
        for total, cost in zip(sup.total_score, costs, strict=True)
    )
    supported = [q for q, total in enumerate(total_util) if total > 0]
    sup_w = sup.weights[sup.sup_type].astype(np.float64)
    by_type = np.argsort(sup.sup_type, kind="stable")
    type_ptr = np.zeros(sup.num_types + 1, dtype=np.int64)
    type_ptr[1:] = np.cumsum(np.bincount(sup.sup_type, minlength=sup.num_types))
    # Float error grows with the number of summed terms and, for a price near a supporter's
    # money per utility, with total utility / smallest utility; keep a wide margin over both.
    spread = max(
        (
            float(total / levels[0])
            for total, levels in zip(total_util, utils, strict=True)
            if levels and levels[0] > 0
        ),
        default=1.0,
    )
    tolerance = max(BASE_TOLERANCE, 1e-15 * len(sup.sup_type), 1e-14 * spread)
    return MesSetup(
        names=election.project_ids,
        costs=costs,
        cost_f=np.array([float(c) for c in costs], dtype=np.float64),
        num_types=sup.num_types,
        ptr=sup.ptr,
        sup_type=sup.sup_type,
        sup_level=sup.sup_level,
        sup_proj=sup_proj,
        sup_w=sup_w,
        sup_u=sup_u,
        type_ptr=type_ptr,
        type_proj=sup_proj[by_type],
        type_w=sup.weights.astype(np.float64),
        utils=utils,
        utils_f=utils_f,
        total_util=total_util,
        total_util_f=np.array([float(u) for u in total_util], dtype=np.float64),
        supporters=sup.supporters,
        supporters_f=sup.supporters.astype(np.float64),
        candidates=tuple(q for q in supported if costs[q] > 0),
        free=tuple(q for q in supported if costs[q] == 0),
        tolerance=tolerance,
    )
