"""Reference-data rules: reading population figures from a CSV file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from . import audit
from .models import AGE_BANDS, TOTAL, Area, PopulationFigure

REQUIRED_COLUMNS = {"population"}
AREA_COLUMNS = ("area_code", "code", "area")
# Language groups a figure may name (the indicators' groups; "other" = foreign languages).
POPULATION_LANGUAGE_GROUPS = ("fi", "sv", "other")
# An area cell meaning the whole city (Espoo's language figures are city-wide).
CITY_WIDE_NAMES = ("all", "espoo", "esbo", "0")


class PopulationImportError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class PopulationRow:
    area: Area | None  # None: the whole city
    year: int
    age_band: str
    population: int
    language_group: str = TOTAL


def _area_lookup() -> dict[str, Area]:
    lookup = {}
    for area in db.session.scalars(sa.select(Area)):
        lookup[str(area.code)] = area
        for name in (area.name_fi, area.name_sv, area.name_en):
            lookup[name.casefold()] = area
    return lookup


def parse_population_csv(text: str, default_year: int | None = None) -> list[PopulationRow]:
    """Rows of `area_code|area, population[, year][, age_band][, language_group]`.

    An area of `all` (or `Espoo`, `0`) is the whole city. Errors name the line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {name.strip().lower() for name in (reader.fieldnames or [])}
    area_column = next((c for c in AREA_COLUMNS if c in columns), None)
    if area_column is None or not REQUIRED_COLUMNS <= columns:
        raise PopulationImportError(
            1, "the header must have an area column (area_code or area) and population"
        )
    if "year" not in columns and default_year is None:
        raise PopulationImportError(1, "no year column: give the year with --year")
    areas = _area_lookup()
    rows, seen = [], set()
    for number, raw in enumerate(reader, start=2):
        record = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not any(record.values()):
            continue
        city_wide = record[area_column].casefold() in CITY_WIDE_NAMES
        area = areas.get(record[area_column]) or areas.get(record[area_column].casefold())
        if area is None and not city_wide:
            raise PopulationImportError(number, f"unknown area {record[area_column]!r}")
        year_text = record.get("year") or str(default_year or "")
        if not (year_text.isdigit() and 1900 <= int(year_text) <= 2100):
            raise PopulationImportError(number, f"year {year_text!r} is not a year")
        band = record.get("age_band") or TOTAL
        if band != TOTAL and band not in AGE_BANDS:
            raise PopulationImportError(
                number, f"age band {band!r} is not one of {', '.join(AGE_BANDS)} or total"
            )
        group = record.get("language_group") or TOTAL
        if group != TOTAL and group not in POPULATION_LANGUAGE_GROUPS:
            raise PopulationImportError(
                number, f"language group {group!r} is not one of fi, sv, other or total"
            )
        population_text = record["population"].replace(" ", "").replace("\u00a0", "")
        if not population_text.isdigit():
            raise PopulationImportError(
                number, f"population {record['population']!r} is not a whole number"
            )
        key = (area.id if area else None, int(year_text), band, group)
        if key in seen:
            raise PopulationImportError(
                number, "the same area, year, age band and language group twice")
        seen.add(key)
        rows.append(PopulationRow(area, int(year_text), band, int(population_text), group))
    if not rows:
        raise PopulationImportError(2, "the file has no data rows")
    return rows


def import_population(rows: list[PopulationRow], *, source: str, actor=None,
                      progress=None) -> int:
    """Insert or replace the figures; returns how many rows were written."""
    for row in rows:
        area_id = row.area.id if row.area else None
        figure = db.session.scalar(
            sa.select(PopulationFigure).filter_by(
                area_id=area_id, year=row.year, age_band=row.age_band,
                language_group=row.language_group,
            )
        )
        if figure is None:
            figure = PopulationFigure(area_id=area_id, year=row.year, age_band=row.age_band,
                                      language_group=row.language_group)
            db.session.add(figure)
        figure.population = row.population
        figure.source = source[:300]
        if progress:
            progress(1)
    db.session.flush()
    audit.record(actor, "population.import", "population_figure", None, reason=source,
                 after={"rows": len(rows)})
    return len(rows)


def latest_population(area: Area, age_band: str = TOTAL) -> PopulationFigure | None:
    return db.session.scalar(
        sa.select(PopulationFigure)
        .filter_by(area_id=area.id, age_band=age_band, language_group=TOTAL)
        .order_by(PopulationFigure.year.desc())
        .limit(1)
    )
