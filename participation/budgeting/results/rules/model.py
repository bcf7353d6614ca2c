"""Plain data for tallies: an election (projects, costs, ballots) and a rule's outcome."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
POINT_VOTE_TYPES = ("cumulative", "scoring")

# Explanation status codes (the web layer turns them into translated sentences).
SELECTED = "selected"
DID_NOT_FIT = "did_not_fit"
BELOW_THRESHOLD = "below_threshold"
STOPPED_NO_SKIP = "stopped_no_skip"
NOT_AFFORDABLE = "not_affordable"
NO_SUPPORTERS = "no_supporters"


class UnknownRule(ValueError):
    """The rule key is not one this module knows."""


class RuleNotApplicable(ValueError):
    """The rule exists but cannot tally this election (wrong ballot type, unknown city rule)."""


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Sort key comparing digit runs as numbers: 'c2' < 'c10', '9' < '10' (as natsort does)."""
    parts: list[Any] = _DIGITS.split(text)
    parts[1::2] = [int(run) for run in parts[1::2]]
    return (tuple(parts), text)


def natural_sorted(ids: Iterable[str]) -> list[str]:
    """Project ids in natural order, the order reference outcomes use."""
    return sorted(ids, key=natural_key)


def exact_amount(value: int | str | Fraction) -> Fraction:
    """Read an amount exactly: '400000.0', '12,5' (decimal comma) or a Fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(str(value).strip().replace(",", "."))


def _whole(value: Fraction) -> Fraction | int:
    """Whole numbers as ints (exact, and quick to hash), others as Fractions."""
    return int(value) if value.denominator == 1 else value


def format_amount(value: Fraction) -> int | str:
    """An int when integral, else an exact decimal string ('1234.5'); 'p/q' if not decimal."""
    if value.denominator == 1:
        return int(value)
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = abs(value.numerator) * (10**places // value.denominator)
    sign = "-" if value < 0 else ""
    whole, frac = divmod(scaled, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}".rstrip("0")


@dataclass
class Election:
    """One PB vote: budget, projects (string ids, exact costs) and one ballot per voter.

    `ballots[v]` lists project indices in ballot order (the ranking for ordinal votes);
    `points[v]` gives the matching points for cumulative/scoring votes, else `points` is None.
    """

    budget: Fraction
    project_ids: tuple[str, ...]
    costs: tuple[Fraction, ...]
    ballots: tuple[tuple[int, ...], ...]
    points: tuple[tuple[Fraction | int, ...], ...] | None = None
    vote_type: str = "approval"
    meta: dict[str, str] = field(default_factory=dict)
    project_meta: tuple[dict[str, str], ...] = ()
    voter_ids: tuple[str, ...] = ()
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.project_ids)
        if len(set(self.project_ids)) != n:
            raise ValueError("project ids must be unique")
        if len(self.costs) != n:
            raise ValueError("one cost per project is required")
        if any(cost < 0 for cost in self.costs) or self.budget < 0:
            raise ValueError("costs and budget must not be negative")
        if self.vote_type not in VOTE_TYPES:
            raise ValueError(f"unknown vote type {self.vote_type!r}")
        if not self.project_meta:
            self.project_meta = tuple({} for _ in range(n))
        if not self.voter_ids:
            self.voter_ids = tuple(str(i + 1) for i in range(len(self.ballots)))
        if len(self.project_meta) != n or len(self.voter_ids) != len(self.ballots):
            raise ValueError("project_meta and voter_ids must match projects and ballots")
        if (self.points is None) == (self.vote_type in POINT_VOTE_TYPES):
            raise ValueError("points are required for, and only for, cumulative/scoring votes")
        for ballot in set(self.ballots):  # identical ballots are checked once
            if any(not 0 <= p < n for p in ballot) or len(set(ballot)) != len(ballot):
                raise ValueError("a ballot names an unknown project or one project twice")
        if self.points is not None and any(
            len(pts) != len(ballot) for pts, ballot in zip(self.points, self.ballots, strict=True)
        ):
            raise ValueError("each ballot needs one point value per project")

    @classmethod
    def from_ballots(
        cls,
        budget: int | str | Fraction,
        costs: Mapping[str, int | str | Fraction],
        ballots: Sequence[Sequence[str]],
        points: Sequence[Sequence[int | str | Fraction]] | None = None,
        vote_type: str | None = None,
        meta: Mapping[str, str] | None = None,
        project_meta: Mapping[str, Mapping[str, str]] | None = None,
        voter_ids: Sequence[str] | None = None,
    ) -> Election:
        """Build an election from ids: costs {id: cost}, ballots [[id, ...], ...]."""
        ids = tuple(str(pid) for pid in costs)
        index = {pid: i for i, pid in enumerate(ids)}
        unknown = {str(p) for ballot in ballots for p in ballot} - index.keys()
        if unknown:
            raise ValueError(f"ballots name unknown projects: {sorted(unknown)}")
        extra = project_meta or {}
        return cls(
            budget=exact_amount(budget),
            project_ids=ids,
            costs=tuple(exact_amount(c) for c in costs.values()),
            ballots=tuple(tuple(index[str(p)] for p in ballot) for ballot in ballots),
            points=None
            if points is None
            else tuple(tuple(_whole(exact_amount(x)) for x in pts) for pts in points),
            vote_type=vote_type or ("cumulative" if points is not None else "approval"),
            meta=dict(meta or {}),
            project_meta=tuple(dict(extra.get(pid, {})) for pid in ids),
            voter_ids=tuple(voter_ids or ()),
        )

    @property
    def num_projects(self) -> int:
        return len(self.project_ids)

    @property
    def num_voters(self) -> int:
        return len(self.ballots)

    def cost_of(self, project_id: str) -> Fraction:
        return self.costs[self.project_index(project_id)]

    def project_index(self, project_id: str) -> int:
        index = self._cache.get("index")
        if index is None:
            index = self._cache["index"] = {pid: i for i, pid in enumerate(self.project_ids)}
        return index[project_id]

    def official_winners(self) -> tuple[str, ...] | None:
        """The city's winners from a `selected` project column, or None without one."""
        if not any("selected" in extra for extra in self.project_meta):
            return None
        return tuple(
            natural_sorted(
                pid
                for pid, extra in zip(self.project_ids, self.project_meta, strict=True)
                if extra.get("selected", "").strip() not in ("", "0", "none", "None")
            )
        )


@dataclass(frozen=True)
class ProjectExplanation:
    """Why one project was or was not funded; plain data, no text."""

    project_id: str
    cost: Fraction
    selected: bool
    status: str
    stage: str
    supporters: int = 0
    score: Fraction | None = None
    rank: int | None = None
    remaining_budget: Fraction | None = None
    round: int | None = None
    rho: Fraction | None = None
    price_per_supporter: Fraction | None = None
    supporters_money_left: Fraction | None = None


@dataclass(frozen=True)
class Outcome:
    """A tally result: the funded projects (natural-sorted ids) and per-project explanations."""

    rule: str
    selected: tuple[str, ...]
    total_cost: Fraction
    budget: Fraction
    explanations: dict[str, ProjectExplanation]
    selection_order: tuple[str, ...] = ()
    per_voter_budget: Fraction | None = None

    def as_json(self) -> dict[str, Any]:
        """The CLI's --json shape: ids sorted as plain strings (Python's sorted(), so '10'
        comes before '9'); total_cost is an int when integral, else a decimal string."""
        return {
            "rule": self.rule,
            "selected": sorted(self.selected),  # plain string order: '10' < '9'
            "total_cost": format_amount(self.total_cost),
        }


def make_outcome(
    rule: str,
    election: Election,
    order: Sequence[int],
    explanations: dict[str, ProjectExplanation],
    per_voter_budget: Fraction | None = None,
) -> Outcome:
    """Package selected project indices (in selection order) as an Outcome."""
    ids = [election.project_ids[p] for p in order]
    return Outcome(
        rule=rule,
        selected=tuple(natural_sorted(ids)),
        total_cost=sum((election.costs[p] for p in order), Fraction(0)),
        budget=election.budget,
        explanations=explanations,
        selection_order=tuple(ids),
        per_voter_budget=per_voter_budget,
    )
