"""Areas, districts and population figures, and their CSV import."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.core.models import AGE_BANDS, Area, PopulationFigure, age_band_for
from participation.core.services import (
    PopulationImportError,
    import_population,
    latest_population,
    parse_population_csv,
)
from participation.extensions import db
from participation.i18n import localized


def test_seven_areas_with_names_in_three_languages(app):
    with app.app_context():
        areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
        assert len(areas) == 7
        assert (areas[0].name_fi, areas[0].name_sv, areas[0].name_en) == (
            "Suur-Leppävaara", "Stor-Alberga", "Greater Leppävaara")
        assert localized(areas[5], "name", "sv") == "Gamla Esbo"
        assert sum(len(a.districts) for a in areas) == 52
        tapiola = next(d for d in areas[1].districts if d.name_fi == "Tapiola")
        assert localized(tapiola, "name", "sv") == "Hagalund"
        lahnus = next(d for d in areas[6].districts if d.name_fi == "Lahnus")
        assert localized(lahnus, "name", "sv") == "Lahnus"  # no Swedish name: Finnish shown


def test_populations_from_shipped_data(app):
    with app.app_context():
        figures = db.session.scalars(
            sa.select(PopulationFigure).where(PopulationFigure.area_id.is_not(None))).all()
        assert sum(f.population for f in figures) == 269245  # 274,583 less unassigned
        assert {f.year for f in figures} == {2016}
        # City-wide mother-tongue groups of 2019 (participation/data/languages.csv).
        city = {f.language_group: f.population for f in db.session.scalars(
            sa.select(PopulationFigure).where(PopulationFigure.area_id.is_(None)))}
        assert city == {"fi": 217502, "sv": 20033, "other": 52196, "total": 289731}


@pytest.mark.parametrize("age, band", [(0, "0-11"), (12, "12-14"), (14, "12-14"),
                                       (17, "15-17"), (18, "18-29"), (74, "65-74"),
                                       (75, "75+"), (101, "75+")])
def test_age_bands(age, band):
    assert age_band_for(age) == band
    assert band in AGE_BANDS


def test_import_by_code_and_name_with_age_bands(app):
    csv_text = ("area,year,age_band,population\n"
                "1,2024,total,80000\n"
                "Stor-Hagalund,2024,12-14,2100\n"
                "north espoo,2024,75+,900\n")
    with app.app_context():
        rows = parse_population_csv(csv_text)
        assert import_population(rows, source="test") == 3
        db.session.commit()
        area = db.session.scalar(sa.select(Area).filter_by(code=1))
        assert latest_population(area).population == 80000
        assert latest_population(area).year == 2024
        # Importing again replaces rather than duplicates.
        import_population(parse_population_csv("area_code,population\n1,81000\n",
                                               default_year=2024), source="again")
        db.session.commit()
        assert latest_population(area).population == 81000
        count = db.session.scalar(sa.select(sa.func.count()).select_from(PopulationFigure)
                                  .filter_by(area_id=area.id, year=2024))
        assert count == 1


def test_import_language_groups_by_area_and_for_the_whole_city(app):
    csv_text = ("area,year,language_group,population\n"
                "all,2024,sv,21000\n"
                "Espoo,2024,other,70000\n"
                "1,2024,fi,50000\n"
                "1,2024,total,80000\n")
    with app.app_context():
        import_population(parse_population_csv(csv_text), source="test")
        db.session.commit()
        figures = {(f.area_id, f.language_group): f.population for f in db.session.scalars(
            sa.select(PopulationFigure).filter_by(year=2024))}
        area = db.session.scalar(sa.select(Area).filter_by(code=1))
        assert figures == {(None, "sv"): 21000, (None, "other"): 70000,
                           (area.id, "fi"): 50000, (area.id, "total"): 80000}
        # An area's language figure is never read as its total population.
        assert latest_population(area).population == 80000


@pytest.mark.parametrize("text, line, words", [
    ("name,population\nx,1\n", 1, "area column"),
    ("area_code,population\n1,100\n", 1, "--year"),
    ("area_code,year,population\n1,2024,100\n9,2024,5\n", 3, "unknown area"),
    ("area_code,year,population\n1,20x4,100\n", 2, "not a year"),
    ("area_code,year,language_group,population\n1,2024,ru,100\n", 2, "language group"),
    ("area,year,language_group,population\nall,2024,sv,1\nEspoo,2024,sv,2\n", 3, "twice"),
    ("area_code,year,population\n1,2024,lots\n", 2, "not a whole number"),
    ("area_code,year,age_band,population\n1,2024,13-19,5\n", 2, "age band"),
    ("area_code,year,population\n1,2024,5\n1,2024,6\n", 3, "twice"),
    ("area_code,year,population\n", 2, "no data rows"),
])
def test_bad_csv_rows_name_their_line(app, text, line, words):
    with app.app_context(), pytest.raises(PopulationImportError) as caught:
        parse_population_csv(text)
    assert caught.value.line == line
    assert words in str(caught.value)
