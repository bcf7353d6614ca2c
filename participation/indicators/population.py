"""Denominators: the newest population figure for an area (or the city), age group and
language group, read from `population_figure` (the shipped Espoo figures or an import)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from ..core.models import AGE_BANDS, TOTAL, Area, PopulationFigure
from ..extensions import db
from .definitions import BAND_TO_GROUP


@dataclass(frozen=True)
class Denominator:
    population: int
    year: int


class Populations:
    """All figures, loaded once (a few hundred rows) for one computation."""

    def __init__(self) -> None:
        self.area_codes = dict(db.session.execute(sa.select(Area.id, Area.code)).all())
        self.figures: dict[tuple, dict[int, int]] = defaultdict(dict)
        for figure in db.session.scalars(sa.select(PopulationFigure)):
            key = (figure.area_id, figure.age_band, figure.language_group)
            self.figures[key][figure.year] = figure.population

    def _one(self, area_id, bands: tuple, language: str, year: int) -> int | None:
        """Residents of an area (None: the city) in the bands, from the figures of `year`."""
        attempts = [bands] + ([AGE_BANDS] if bands == (TOTAL,) else [])
        for band_set in attempts:  # a total may also be the sum of every band
            values = [self.figures.get((area_id, band, language), {}).get(year)
                      for band in band_set]
            if all(value is not None for value in values):
                return sum(values)
        if area_id is None and self.area_codes:  # the city: the sum of its areas
            values = [self._one(area, bands, language, year) for area in self.area_codes]
            if all(value is not None for value in values):
                return sum(values)
        return None

    def _years(self) -> list[int]:
        return sorted({year for by_year in self.figures.values() for year in by_year})

    def denominator(self, year: int, *, area_id=None, age_group: str | None = None,
                    bands: tuple | None = None, language: str | None = None
                    ) -> Denominator | None:
        """The newest figure from `year` or before (else the oldest after); None if none."""
        if bands is None:
            bands = (TOTAL,) if age_group is None else tuple(
                band for band, group in BAND_TO_GROUP.items() if group == age_group)
        years = self._years()
        ordered = [y for y in reversed(years) if y <= year] + [y for y in years if y > year]
        for candidate in ordered:
            value = self._one(area_id, bands, language or TOTAL, candidate)
            if value is not None:
                return Denominator(value, candidate)
        return None


def population_sources() -> list[dict]:
    """Which population figures the denominators come from: source, year, how many figures."""
    query = (sa.select(PopulationFigure.source, PopulationFigure.year,
                       sa.func.count().label("figures"),
                       sa.func.max(PopulationFigure.language_group).label("language"))
             .group_by(PopulationFigure.source, PopulationFigure.year)
             .order_by(PopulationFigure.year.desc(), PopulationFigure.source))
    return [{"source": source, "year": year, "figures": figures}
            for source, year, figures, _language in db.session.execute(query)]
