"""Open data: tidy CSV and JSON rows, and JSON-stat 2.0 (the format Aluesarjat serves).

A suppressed people count is ".." (Statistics Finland's mark) in CSV and JSON-stat's status,
null with `"suppressed": true` in JSON; a rate without a population figure is empty (null).
"""

from __future__ import annotations

import json

from ..core.csvsafe import write_csv
from ..core.disclosure import format_count
from .compute import COLUMNS, Row, compute
from .definitions import AGE_GROUPS, BY_ID, INDICATORS, LANGUAGE_GROUPS
from .periods import Period

FORMATS = {"csv": ("text/csv; charset=utf-8", "csv"),
           "json": ("application/json", "json"),
           "jsonstat": ("application/json", "jsonstat.json")}
ALL = "total"  # the JSON-stat category of "every area / age / language"


def _cell(row: Row, name: str):
    value = getattr(row, name)
    if row.suppressed and name in ("value", "numerator"):
        return format_count(None, export=True)
    if name == "suppressed":
        return "true" if value else "false"
    return value


def to_csv(rows: list[Row]) -> str:
    return write_csv(([_cell(row, name) for name in COLUMNS] for row in rows), header=COLUMNS)


def to_json_rows(rows: list[Row]) -> list[dict]:
    return [row.as_dict() for row in rows]


def to_json(rows: list[Row], period: Period) -> str:
    return json.dumps({"period": period.code, "columns": list(COLUMNS),
                       "rows": to_json_rows(rows)}, ensure_ascii=False, indent=1)


def _categories(rows: list[Row], name: str, known: tuple) -> list[str]:
    present = {getattr(row, name) or ALL for row in rows}
    ordered = [ALL, *known]
    return [value for value in ordered if value in present] + sorted(present - set(ordered))


def to_jsonstat(rows: list[Row], period: Period, *, labels=None) -> dict:
    """One JSON-stat 2.0 dataset: indicator × period × area × age × language."""
    labels = labels or {}
    indicator_ids = [indicator.id for indicator in INDICATORS
                     if any(row.indicator_id == indicator.id for row in rows)]
    areas = _categories(rows, "area_code", tuple(str(code) for code in range(1, 8)))
    ages = _categories(rows, "age_band", AGE_GROUPS)
    languages = _categories(rows, "language_group", LANGUAGE_GROUPS)
    dimensions = {
        "indicator": indicator_ids, "period": [period.code], "area": areas, "age": ages,
        "language": languages,
    }
    sizes = [len(values) for values in dimensions.values()]
    positions = {name: {value: index for index, value in enumerate(values)}
                 for name, values in dimensions.items()}
    total = 1
    for size in sizes:
        total *= size
    values: list = [None] * total
    status: dict[str, str] = {}
    for row in rows:
        coordinates = (positions["indicator"][row.indicator_id], 0,
                       positions["area"][row.area_code or ALL],
                       positions["age"][row.age_band or ALL],
                       positions["language"][row.language_group or ALL])
        index = 0
        for coordinate, size in zip(coordinates, sizes, strict=True):
            index = index * size + coordinate
        values[index] = row.value
        if row.suppressed:
            status[str(index)] = ".."
    def category(name):
        return {"index": dimensions[name],
                "label": {value: str(labels.get((name, value), value))
                          for value in dimensions[name]}}

    indicator = category("indicator")
    indicator["unit"] = {indicator_id: {"label": BY_ID[indicator_id].unit,
                                        "decimals": 0 if BY_ID[indicator_id].unit == "people"
                                        else 2}
                         for indicator_id in indicator_ids}
    return {
        "version": "2.0", "class": "dataset",
        "label": str(labels.get("title", "Osallistu Espoo: participation indicators")),
        "source": "City of Espoo, Osallistu Espoo",
        "updated": rows[0].computed_at if rows else None,
        "id": list(dimensions), "size": sizes,
        "role": {"time": ["period"], "geo": ["area"], "metric": ["indicator"]},
        "dimension": {"indicator": {"label": "indicator", "category": indicator},
                      "period": {"label": "period", "category": category("period")},
                      "area": {"label": "area", "category": category("area")},
                      "age": {"label": "age group", "category": category("age")},
                      "language": {"label": "language group",
                                   "category": category("language")}},
        "value": values, "status": status,
        "note": ["'..' marks a count of fewer than 5 people, or one hidden so that it "
                 "cannot be worked out by subtraction."],
    }


def english_labels() -> dict:
    """Category labels in English (the dataset's language, like Aluesarjat's English tables)."""
    import sqlalchemy as sa
    from flask_babel import force_locale

    from ..core.models import Area
    from ..extensions import db
    from .definitions import AGE_GROUP_LABELS, LANGUAGE_GROUP_LABELS

    with force_locale("en"):
        labels = {("indicator", i.id): str(i.name) for i in INDICATORS}
        labels.update({("age", key): str(label) for key, label in AGE_GROUP_LABELS.items()})
        labels.update({("language", key): str(label)
                       for key, label in LANGUAGE_GROUP_LABELS.items()})
    labels.update({("area", str(code)): name for code, name in
                   db.session.execute(sa.select(Area.code, Area.name_en)).all()})
    for dimension in ("area", "age", "language"):
        labels[(dimension, ALL)] = "Total"
        labels[(dimension, "unknown")] = "Not known"
    return labels


def render(period: Period, fmt: str, rows: list[Row] | None = None) -> tuple[str, str, str]:
    """(body, mimetype, file name) of the period's rows in csv, json or jsonstat."""
    rows = compute(period) if rows is None else rows
    mimetype, extension = FORMATS[fmt]
    filename = f"osallistu-espoo-indicators-{period.code.replace('..', '_')}.{extension}"
    if fmt == "csv":
        return to_csv(rows), mimetype, filename
    if fmt == "json":
        return to_json(rows, period), mimetype, filename
    body = json.dumps(to_jsonstat(rows, period, labels=english_labels()), ensure_ascii=False)
    return body, mimetype, filename
