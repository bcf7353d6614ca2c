"""Weighted ballot types in sparse per-project form: who supports which project, how much."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .model import POINT_VOTE_TYPES, Election, RuleNotApplicable

# Score kinds: how a ballot scores a project it names.
APPROVAL = "approval"  # 1 for every project named (with positive points, if any)
POINTS = "points"  # the cumulative/scoring points
POSITIONAL = "positional"  # len(ballot) - position: 3, 2, 1 on a three-project ranking


@dataclass(frozen=True)
class Support:
    """Identical ballots merged into weighted types, stored per project (CSR by project).

    For project q, pairs `ptr[q]:ptr[q+1]` give the supporting ballot types `sup_type` and,
    through `sup_level`, each type's score `levels[q][sup_level]` (an exact Fraction).
    """

    num_voters: int
    weights: np.ndarray  # int64, voters per ballot type
    ptr: np.ndarray  # int64, len = projects + 1
    sup_type: np.ndarray  # int64, ballot type of each (project, type) pair
    sup_level: np.ndarray  # int64, index into levels[q]
    levels: tuple[tuple[Fraction, ...], ...]  # distinct positive scores per project, ascending
    supporters: np.ndarray  # int64, voters supporting each project
    total_score: tuple[Fraction, ...]  # exact sum of scores per project

    @property
    def num_types(self) -> int:
        return int(self.weights.shape[0])

    @property
    def sup_project(self) -> np.ndarray:
        """Project index of every pair (cached on first use)."""
        cached = self.__dict__.get("_sup_project")
        if cached is None:
            counts = np.diff(self.ptr)
            cached = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
            object.__setattr__(self, "_sup_project", cached)
        return cached


def support(election: Election, kind: str = APPROVAL) -> Support:
    """The (cached) weighted support structure of an election for one score kind."""
    key = ("support", kind)
    cached = election._cache.get(key)
    if cached is None:
        cached = election._cache[key] = _build_support(election, kind)
    return cached


def _ballot_key(election: Election, kind: str, voter: int) -> tuple:
    """Canonical (project, score) tuple of one ballot; identical ballots share a key."""
    ballot = election.ballots[voter]
    if kind == POSITIONAL:
        length = len(ballot)
        return tuple(sorted((p, length - pos) for pos, p in enumerate(ballot)))
    if election.points is None:
        return tuple(sorted(ballot))
    pairs = ((p, pts) for p, pts in zip(ballot, election.points[voter], strict=True) if pts > 0)
    if kind == APPROVAL:
        return tuple(sorted(p for p, _ in pairs))
    return tuple(sorted(pairs))


def _build_support(election: Election, kind: str) -> Support:
    if kind == POINTS and election.vote_type not in POINT_VOTE_TYPES:
        raise RuleNotApplicable("this rule needs cumulative or scoring ballots (points)")
    if kind == POSITIONAL and election.vote_type != "ordinal":
        raise RuleNotApplicable("this rule needs ordinal (ranked) ballots")
    if election.points is None and kind != POSITIONAL:  # the common case, in C loops
        types = Counter(map(tuple, map(sorted, election.ballots)))
    else:
        types = Counter(_ballot_key(election, kind, v) for v in range(election.num_voters))
    n = election.num_projects
    weights = np.fromiter(types.values(), dtype=np.int64, count=len(types))
    lengths = np.fromiter((len(key) for key in types), dtype=np.int64, count=len(types))
    pair_type = np.repeat(np.arange(len(types), dtype=np.int64), lengths)
    if kind == APPROVAL:
        pair_proj = np.fromiter((p for key in types for p in key), np.int64, int(lengths.sum()))
        values: list[Fraction] = [Fraction(1)]
        pair_code = np.zeros(pair_proj.size, dtype=np.int64)
    else:
        pair_proj = np.fromiter((p for key in types for p, _ in key), np.int64, int(lengths.sum()))
        scores = [score for key in types for _, score in key]
        values = sorted({Fraction(x) for x in set(scores)})
        code = {value: i for i, value in enumerate(values)}
        pair_code = np.fromiter((code[x] for x in scores), np.int64, len(scores))
    by_project = np.argsort(pair_proj, kind="stable")
    sup_type, sup_proj, sup_code = (
        pair_type[by_project],
        pair_proj[by_project],
        pair_code[by_project],
    )
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(sup_proj, minlength=n))
    pair_weight = weights[sup_type].astype(np.float64)
    supporters = np.rint(np.bincount(sup_proj, weights=pair_weight, minlength=n)).astype(np.int64)
    sup_level = np.zeros(sup_type.size, dtype=np.int64)
    if kind == APPROVAL:  # one level, 1: a project's total score is its supporters
        counts = supporters.tolist()
        levels = [(values[0],) if count else () for count in counts]
        totals = [Fraction(count) for count in counts]
    else:
        levels, totals = [], []
        for q in range(n):
            span = slice(int(ptr[q]), int(ptr[q + 1]))
            codes = np.unique(sup_code[span])
            sup_level[span] = np.searchsorted(codes, sup_code[span])
            voters = np.bincount(sup_level[span], weights=pair_weight[span], minlength=codes.size)
            levels.append(tuple(values[c] for c in codes.tolist()))
            pairs = zip(codes.tolist(), voters.tolist(), strict=True)
            totals.append(sum((round(v) * values[c] for c, v in pairs), Fraction(0)))
    return Support(
        num_voters=election.num_voters,
        weights=weights,
        ptr=ptr,
        sup_type=sup_type,
        sup_level=sup_level,
        levels=tuple(levels),
        supporters=supporters,
        total_score=tuple(totals),
    )
