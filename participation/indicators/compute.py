"""Indicator rows for a period: counts from the database, disclosure control, then the
figures derived from the published counts only (rates, shares, indices)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass

from ..core.disclosure import MIN_CELL, is_small, suppress_counts
from ..core.types import utcnow
from .cells import (
    DIMENSIONS,
    UNKNOWN,
    area_codes,
    margin,
    people_cube,
)
from .definitions import (
    AGE_GROUPS,
    BAND_TO_GROUP,
    INDICATORS,
    LANGUAGE_GROUPS,
    PB_ELIGIBLE_BANDS,
)
from .periods import Period
from .pipeline import other_rows
from .population import Populations

COLUMNS = ("indicator_id", "period", "area_code", "age_band", "language_group", "value",
           "numerator", "denominator", "lower", "upper", "suppressed", "computed_at",
           "denominator_year")
PAIRS = (("area", "age_band"), ("area", "language_group"), ("age_band", "language_group"))
Z = 1.959964  # 95%


@dataclass
class Row:
    indicator_id: str
    period: str
    area_code: str = ""  # "" = every area; a code 1-7; "unknown"
    age_band: str = ""
    language_group: str = ""
    value: float | int | None = None
    numerator: int | None = None
    denominator: float | int | None = None
    lower: float | None = None
    upper: float | None = None
    suppressed: bool = False
    computed_at: str = ""
    denominator_year: int | None = None

    @property
    def key(self) -> tuple:
        return (self.indicator_id, self.area_code, self.age_band, self.language_group)

    def as_dict(self) -> dict:
        return asdict(self)


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """Wilson score interval (95%) of a proportion."""
    if trials <= 0:
        return (0.0, 0.0)
    p = successes / trials
    spread = Z * Z / trials
    centre = (p + spread / 2) / (1 + spread)
    half = Z * math.sqrt(p * (1 - p) / trials + spread / (4 * trials)) / (1 + spread)
    return max(0.0, centre - half), min(1.0, centre + half)


def _where(dimension: str, value: str) -> dict:
    return {"area": {"area_code": value}, "age_band": {"age_band": value},
            "language_group": {"language_group": value}}[dimension]


def _key(**where) -> tuple:
    return (where.get("area_code", ""), where.get("age_band", ""),
            where.get("language_group", ""))


def _hide_one_more(equation: tuple, cells: dict, hidden: set) -> None:
    """Hide the smallest published non-zero part of the equation, else its total."""
    total, parts = equation
    candidates = sorted((cells[key], key) for key in parts
                        if key not in hidden and cells[key] > 0)
    hidden.add(candidates[0][1] if candidates else total)


def protect(cells: dict, equations: list[tuple]) -> set:
    """Cells to hide so that no equation (total = sum of parts) gives a hidden cell back.

    Rule 1 hides every count of 1 to 4. Then, until nothing changes, for every equation:
    a single hidden member (the total or one part) can be worked out from the others, and
    hidden parts of fewer than 5 people in all would show beside a published total; either
    way one more member is hidden (the smallest published non-zero part, else the total).
    """
    hidden = {key for key, count in cells.items() if is_small(count)}
    changed = True
    while changed:
        changed = False
        for equation in equations:
            total, parts = equation
            hidden_parts = [key for key in parts if key in hidden and cells[key] > 0]
            members = len(hidden_parts) + (total in hidden)
            small_rest = total not in hidden and hidden_parts and \
                sum(cells[key] for key in hidden_parts) < MIN_CELL
            if members == 1 or small_rest:
                _hide_one_more(equation, cells, hidden)
                changed = True
    return hidden


INCLUSIVE = "inclusive"  # marks the inclusive-channel cells among the people cells


def known_values(dimension: str) -> list[str]:
    if dimension == "age_band":
        return list(AGE_GROUPS)
    if dimension == "language_group":
        return list(LANGUAGE_GROUPS)
    return sorted(area_codes().values(), key=int)


def publish_people(cube: Counter) -> dict[tuple, tuple[int, int | None]]:
    """Every published people cell: key -> (true count, published count or None).

    Cells: the total, each group of one dimension and each pair of groups of two. Equations:
    the total is the sum of each line of groups, a group the sum of its row or column in each
    table of two dimensions."""
    cells = {("", "", ""): sum(cube.values())}
    equations = []
    for dimension in DIMENSIONS:
        line = margin(cube, dimension)
        for value in known_values(dimension):  # a group nobody came from reads 0
            line.setdefault(value, 0)
        keys = [_key(**_where(dimension, value)) for value in line]
        cells.update(zip(keys, line.values(), strict=True))
        equations.append((("", "", ""), keys))
    for first, second in PAIRS:
        rows: dict = {}
        columns: dict = {}
        for (a, b), count in margin(cube, first, second).items():
            key = _key(**_where(first, a), **_where(second, b))
            cells[key] = count
            rows.setdefault(_key(**_where(first, a)), []).append(key)
            columns.setdefault(_key(**_where(second, b)), []).append(key)
        equations += list(rows.items()) + list(columns.items())
    # Inclusive channels by language: ("inclusive", language or "", used one?) cells, tied
    # to the total and the language groups, so their shares give no hidden cell back.
    channel_keys: dict = {}
    for (language, inclusive), count in margin(cube, "language_group", "inclusive").items():
        cells[(INCLUSIVE, language, inclusive)] = count
        channel_keys.setdefault(_key(language_group=language), []).append(
            (INCLUSIVE, language, inclusive))
    for flag in (True, False):
        cells[(INCLUSIVE, "", flag)] = sum(count for person, count in cube.items()
                                           if person.inclusive == flag)
        channel_keys.setdefault((INCLUSIVE, "", flag), []).extend(
            key for key in cells if key[0] == INCLUSIVE and key[1] and key[2] == flag)
    equations += list(channel_keys.items())
    equations.append((("", "", ""), [(INCLUSIVE, "", True), (INCLUSIVE, "", False)]))
    hidden = protect(cells, equations)
    return {key: (count, None if key in hidden else count) for key, count in cells.items()}


def compute(period: Period, populations: Populations | None = None, *,
            rollup: bool = True) -> list[Row]:
    """Every indicator row of the period (rollup=False: count from the events only)."""
    populations = populations or Populations()
    start, end = period.bounds()
    stamp = utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
    cube = people_cube(start, end, period, rollup=rollup)
    rows: list[Row] = []

    def add(indicator_id, key=("", "", ""), **fields) -> Row:
        row = Row(indicator_id, period.code, *key, computed_at=stamp, **fields)
        rows.append(row)
        return row

    published = publish_people(cube)
    people = {key: cell for key, cell in published.items() if key[0] != INCLUSIVE}
    channels = {key: cell for key, cell in published.items() if key[0] == INCLUSIVE}
    for key, (_true, shown) in sorted(people.items()):
        add("participants", key, value=shown, numerator=shown, suppressed=shown is None)
    rates = _rates(people, populations, period.year, add)
    _representation(people, populations, period.year, add)
    _equity_gap(rates, add)
    _turnout(cube, populations, period.year, add)
    _repeat(cube, add)
    _inclusive(channels, people, add)
    answered = sum(count for person, count in cube.items() if person.answered)
    shown = None if is_small(answered) else answered
    add("hearing_responses", value=shown, numerator=shown, suppressed=shown is None)
    for indicator_id, value, numerator, denominator in other_rows(start, end):
        add(indicator_id, value=value, numerator=numerator, denominator=denominator)
    order = {indicator.id: index for index, indicator in enumerate(INDICATORS)}
    rows.sort(key=lambda row: order[row.indicator_id])
    return rows


def _denominator(populations, year, key, bands=None):
    area, age, language = key
    if UNKNOWN in key:
        return None
    return populations.denominator(
        year, area_id=populations_area(populations, area), age_group=age or None,
        bands=bands, language=language or None)


def populations_area(populations: Populations, code: str):
    if not code:
        return None
    return next((area_id for area_id, area_code in populations.area_codes.items()
                 if str(area_code) == code), -1)


def _rate(add, indicator_id, key, shown, denominator, scale) -> Row:
    if shown is None:
        return add(indicator_id, key, suppressed=True,
                   denominator=denominator.population if denominator else None,
                   denominator_year=denominator.year if denominator else None)
    if denominator is None or denominator.population <= 0:
        return add(indicator_id, key, numerator=shown)
    low, high = wilson(min(shown, denominator.population), denominator.population)
    return add(indicator_id, key, value=round(scale * shown / denominator.population, 2),
               numerator=shown, denominator=denominator.population,
               lower=round(scale * low, 2), upper=round(scale * high, 2),
               denominator_year=denominator.year)


def _rates(people, populations, year, add) -> dict:
    rates = {}
    for key, (_true, shown) in sorted(people.items()):
        if UNKNOWN in key:
            continue
        rates[key] = _rate(add, "participation_rate", key, shown,
                           _denominator(populations, year, key), 1000)
    return rates


def _representation(people, populations, year, add) -> None:
    for index in range(len(DIMENSIONS)):
        line = {key: shown for key, (_true, shown) in people.items()
                if key[index] and key[index] != UNKNOWN
                and all(not part for i, part in enumerate(key) if i != index)}
        residents = {key: _denominator(populations, year, key) for key in line}
        usable = {key: shown for key, shown in line.items()
                  if shown is not None and residents[key] is not None}
        people_sum = sum(usable.values())
        resident_sum = sum(residents[key].population for key in usable)
        for key, shown in sorted(line.items()):
            if shown is None:
                add("representation_index", key, suppressed=True)
            elif key not in usable or not people_sum or not resident_sum:
                add("representation_index", key, numerator=shown)
            else:
                share = (shown / people_sum) / (residents[key].population / resident_sum)
                add("representation_index", key, value=round(share, 2), numerator=shown,
                    denominator=residents[key].population,
                    denominator_year=residents[key].year)


def _equity_gap(rates: dict, add) -> None:
    values = [row.numerator / row.denominator for key, row in rates.items()
              if key[0] and not key[1] and not key[2] and row.value]
    if len(values) >= 2:
        add("equity_gap", value=round(max(values) / min(values), 2))
    else:
        add("equity_gap")


def _turnout(cube, populations, year, add) -> None:
    voters = {key: count for key, count in cube.items() if key.voted}
    total = sum(voters.values())
    lines = {"area": margin(voters, "area"), "age_band": margin(voters, "age_band")}
    shown_total = None if is_small(total) else total
    published = {}
    for dimension, line in lines.items():
        suppressed = suppress_counts(line, total=total)
        shown_total = shown_total if suppressed.total is not None else None
        for value in line:
            published[_key(**_where(dimension, value))] = suppressed.value(value)
    published[("", "", "")] = shown_total
    for key, shown in sorted(published.items()):
        if UNKNOWN in key or key[1] == "under_13":
            continue
        bands = tuple(band for band in PB_ELIGIBLE_BANDS
                      if not key[1] or BAND_TO_GROUP[band] == key[1])
        _rate(add, "pb_turnout", key, shown,
              _denominator(populations, year, (key[0], "", ""), bands=bands), 100)


def _repeat(cube, add) -> None:
    total = sum(cube.values())
    repeat = sum(count for person, count in cube.items() if person.repeat)
    suppressed = suppress_counts({"first": total - repeat, "repeat": repeat}, total=total)
    for name in ("first", "repeat"):
        shown = suppressed.value(name)
        add(f"{'first_time' if name == 'first' else 'repeat'}_participants", value=shown,
            numerator=shown, suppressed=shown is None)


def _inclusive(channels, people, add) -> None:
    """Shares of published counts only: the denominators are the published participants."""
    lines = [(("", "", ""), channels[(INCLUSIVE, "", True)][1], people[("", "", "")][1])]
    for language in sorted({key[1] for key in channels if key[1]}):
        inclusive = channels.get((INCLUSIVE, language, True), (0, 0))[1]
        lines.append((("", "", language), inclusive, people[("", "", language)][1]))
    for key, numerator, denominator in lines:
        if numerator is None or not denominator:
            add("inclusive_channel_share", key, suppressed=numerator is None or
                denominator is None)
            continue
        add("inclusive_channel_share", key, value=round(100 * numerator / denominator, 1),
            numerator=numerator, denominator=denominator)
