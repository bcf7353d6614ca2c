"""What the dashboard shows: a period's rows beside the previous period's, the monthly trend
and the breakdowns, all from published (disclosure-controlled) figures only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..core.disclosure import suppress_counts
from .cells import UNKNOWN, months_cube
from .compute import Row, compute, known_values
from .definitions import BY_ID, INDICATORS
from .periods import Period
from .population import Populations

# The headline figures of the overview, in order.
OVERVIEW = ("participants", "participation_rate", "pb_turnout", "first_time_participants",
            "repeat_participants", "inclusive_channel_share", "equity_gap", "ideas_submitted",
            "ideas_answered_share", "idea_answer_median_days", "hearings_held",
            "hearing_responses", "hearing_feedback_on_time", "moderation_median_hours")
DIMENSION_FIELDS = {"area": "area_code", "age_band": "age_band",
                    "language_group": "language_group"}


@dataclass(frozen=True)
class Filters:
    area: str = ""
    age_band: str = ""
    language_group: str = ""

    @property
    def key(self) -> tuple:
        return (self.area, self.age_band, self.language_group)

    def chosen(self) -> list[str]:
        return [name for name, value in zip(DIMENSION_FIELDS, self.key, strict=True) if value]


@dataclass
class Figures:
    period: Period
    rows: list[Row]
    previous: dict = field(default_factory=dict)  # row key -> previous period's Row

    def row(self, indicator_id: str, key: tuple) -> Row | None:
        return next((row for row in self.rows if row.key == (indicator_id, *key)), None)

    def before(self, row: Row) -> Row | None:
        return self.previous.get(row.key)

    def by(self, indicator_id: str, dimension: str, filters: Filters) -> list[Row]:
        """The indicator's rows across one dimension, the other filters held."""
        wanted = dict(zip(DIMENSION_FIELDS.values(), filters.key, strict=True))
        field_name = DIMENSION_FIELDS[dimension]
        wanted[field_name] = None
        order = {value: index for index, value in enumerate(known_values(dimension))}
        rows = [row for row in self.rows if row.indicator_id == indicator_id
                and getattr(row, field_name) not in ("", UNKNOWN)
                and all(value is None or getattr(row, name) == value
                        for name, value in wanted.items())]
        return sorted(rows, key=lambda row: order.get(getattr(row, field_name), len(order)))


def figures(period: Period) -> Figures:
    populations = Populations()
    rows = compute(period, populations)
    previous = {row.key: row for row in compute(period.previous(), populations)}
    return Figures(period, rows, previous)


def trend_months(period: Period) -> list[Period]:
    """Twelve months ending with the period's last month."""
    last = date(period.last.year, period.last.month, 1)
    months = []
    for _ in range(12):
        end = (last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        months.append(Period("month", last, end))
        last = (last - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def trends(period: Period, *, rollup: bool = True) -> tuple[list[Period], dict]:
    """Monthly participants: {(dimension, value) or ("", ""): [count or None per month]}.

    Each month's lines by area, age band and language get the same disclosure control as
    the period's (their month total is published), so no month reveals a hidden cell.
    """
    months = trend_months(period)
    cube = months_cube(months, rollup=rollup)
    series: dict = {("", ""): [None] * len(months)}
    for index in range(len(months)):
        month = Counter()
        for (bucket, *key), count in cube.items():
            if bucket == index:
                month[tuple(key)] += count
        total = sum(month.values())
        hidden_total = 0 < total < 5
        for position, dimension in enumerate(DIMENSION_FIELDS):
            line = Counter()
            for key, count in month.items():
                line[key[position]] += count
            suppressed = suppress_counts(dict(line), total=total)
            hidden_total = hidden_total or suppressed.total is None
            for value in [*known_values(dimension), UNKNOWN]:
                series.setdefault((dimension, value), [None] * len(months))
                series[(dimension, value)][index] = (
                    suppressed.value(value) if value in line else 0)
        series[("", "")][index] = None if hidden_total else total
    return months, series


def trend_key(filters: Filters) -> tuple | None:
    """The trend series the filters name: everyone, or one group; None for two or more."""
    chosen = filters.chosen()
    if not chosen:
        return ("", "")
    if len(chosen) == 1:
        return (chosen[0], getattr(filters, chosen[0]))
    return None


def overview_indicators():
    return [BY_ID[indicator_id] for indicator_id in OVERVIEW]


def all_indicators():
    return INDICATORS
