"""Results by major area and age band (issue 13, point 7), against a hand-worked round.

City budget 100 (two proposals of 30) and area 1's budget 50 (one proposal of 20), greedy.
- six residents of area 1, aged 36 (30-44), vote in both budgets, for everything;
- three of area 2, aged 26 (18-29), and five of area 3, aged 66 (65-74), vote city-wide only.
The round: 14 voters. By area 6 / 3 / 5: area 2's three are hidden (<5), and so is area 3's
five, or 14 - 6 would give the three back. By age the same, 30-44 / 18-29 / 65-74. The money:
60 city-wide and 20 in area 1, of 80: 75 % and 25 %.
"""

from __future__ import annotations

import ast
import csv
import io
import pathlib
from fractions import Fraction

import sqlalchemy as sa

from participation.budgeting.results import groups as groups_module
from participation.budgeting.results.groups import UNKNOWN, round_groups
from participation.budgeting.rounds.models import BudgetRound
from participation.core.models import Area, PopulationFigure
from participation.core.types import utcnow
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_results import _publish
from tests.budgeting.test_voting import _cast


def _hand_worked(app, pb, *, only_area=()):
    ref = pb.round(rule="greedy", budgets={"city": 100, 1: 50},
                   costs={"city": [30, 30], 1: [20]})
    city, area = ref.proposals["city"], ref.proposals[1]
    year = utcnow().year
    for voter in pb.voters(6, area_code=1, birth_year=year - 36):
        _cast(app, ref, voter, dict.fromkeys(city, 1))
        _cast(app, ref, voter, dict.fromkeys(area, 1), key=1)
    for count, birth_year in only_area:  # residents of area 1 voting in its budget only
        for voter in pb.voters(count, area_code=1, birth_year=birth_year):
            _cast(app, ref, voter, dict.fromkeys(area, 1), key=1)
    for voter in pb.voters(3, area_code=2, birth_year=year - 26):
        _cast(app, ref, voter, dict.fromkeys(city, 1))
    for voter in pb.voters(5, area_code=3, birth_year=year - 66):
        _cast(app, ref, voter, dict.fromkeys(city, 1))
    _publish(app, pb, ref)
    return ref


def _area_ids():
    return dict(db.session.execute(sa.select(Area.code, Area.id)).all())


def _residents(area_id):
    """The area's newest total figure (the test database has the shipped 2016 totals)."""
    return db.session.scalar(sa.select(PopulationFigure.population).where(
        PopulationFigure.area_id == area_id, PopulationFigure.age_band == "total",
        PopulationFigure.language_group == "total").order_by(PopulationFigure.year.desc()))


def test_figures_match_the_hand_worked_round(app, pb):
    ref = _hand_worked(app, pb)
    with en(app):
        result = round_groups(db.session.get(BudgetRound, ref.id))
        ids = _area_ids()
        areas = {row.key: row.voters for row in result.round.areas}
        assert areas == {ids[1]: 6, ids[2]: None, ids[3]: None, ids[4]: 0, ids[5]: 0,
                         ids[6]: 0, ids[7]: 0}
        ages = {row.key: row.voters for row in result.round.ages}
        assert ages == {"12-14": 0, "15-17": 0, "18-29": None, "30-44": 6, "45-64": 0,
                        "65-74": None, "75+": 0}
        assert result.round.total.voters == 14 and not result.round.withheld
        row = next(row for row in result.round.areas if row.key == ids[1])
        assert row.population == _residents(ids[1])
        assert row.per_thousand == Fraction(6000, _residents(ids[1]))
        city = result.budgets[ref.budget("city")]
        assert city.total.voters == 14
        assert {row.key: row.voters for row in city.areas}[ids[1]] == 6
        area = result.budgets[ref.budget(1)]
        assert area.total.voters == 6
        assert {row.key: row.voters for row in area.ages}["30-44"] == 6
        assert UNKNOWN not in {row.key for row in result.round.areas}  # no unknown voter
        money = {(row.area.code if row.area else None): row for row in result.money}
        assert result.money_total == 80
        assert money[None].money == 60 and money[None].share == Fraction(3, 4)
        assert money[1].money == 20 and money[1].share == Fraction(1, 4)
        assert money[2].money == 0 and money[2].share == 0
        everyone = sum(_residents(ids[code]) for code in range(1, 8))
        assert money[1].population_share == Fraction(_residents(ids[1]), everyone)


def test_a_round_cell_a_budget_would_give_away_is_hidden(app, pb):
    """Five more residents of area 1 vote only in area 1's budget: two aged 36 and three aged
    50. By age the round has 8 of 30-44 where the city budget publishes 6: 8 - 6 would tell
    the two, so the round's 8 is hidden (with 18-29's and 45-64's three, 14 hidden together).
    """
    year = utcnow().year
    ref = _hand_worked(app, pb, only_area=[(2, year - 36), (3, year - 50)])
    with en(app):
        result = round_groups(db.session.get(BudgetRound, ref.id))
        city = {row.key: row.voters for row in result.budgets[ref.budget("city")].ages}
        assert city["30-44"] == 6
        assert result.round.total.voters == 19 and not result.round.withheld
        ages = {row.key: row.voters for row in result.round.ages}
        assert ages == {"12-14": 0, "15-17": 0, "18-29": None, "30-44": None, "45-64": None,
                        "65-74": 5, "75+": 0}


def test_a_round_total_a_budget_would_give_away_withholds_the_round(app, pb):
    """Two residents of area 1 vote only in its budget: 16 voters in the round, 14 ballots in
    the city budget (always published). 16 - 14 would tell the two: the round's figures go."""
    ref = _hand_worked(app, pb, only_area=[(2, utcnow().year - 36)])
    with en(app):
        result = round_groups(db.session.get(BudgetRound, ref.id))
        assert result.round.withheld and result.round.total.voters is None
        assert all(row.voters is None for row in result.round.areas + result.round.ages)
        assert result.budgets[ref.budget("city")].total.voters == 14


def test_pages_exports_and_api_in_three_languages(app, client, pb):
    ref = _hand_worked(app, pb)
    headings = {"fi": "Tulokset alueittain ja ikäryhmittäin",
                "sv": "Resultat per område och åldersgrupp",
                "en": "Results by area and age band"}
    for language, heading in headings.items():
        page = client.get(f"/budgeting/{ref.id}/results",
                          headers={"Accept-Language": language}).text
        assert heading in page and "&lt;5" in page
        assert "<svg" in page  # the money chart, with its table
    budget_page = client.get(f"/budgeting/{ref.id}/results/{ref.budget(1)}",
                             headers={"Accept-Language": "sv"}).text
    assert "Röstande per område och åldersgrupp" in budget_page
    response = client.get(f"/budgeting/{ref.id}/results-by-group.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    with app.app_context():
        ids = _area_ids()
    round_areas = {row["group"]: row["voters"] for row in rows
                   if row["scope"] == "round" and row["group_type"] == "area"}
    assert round_areas["1"] == "6" and round_areas["2"] == ".." and round_areas["3"] == ".."
    money = {row["group"]: row["winning_money"] for row in rows
             if row["group_type"] == "winning_money"}
    assert money["city"] == "60" and money["1"] == "20"
    data = client.get(f"/api/v1/budgeting/rounds/{ref.id}/results").get_json()
    areas = {row["area_code"]: row["voters"] for row in data["groups"]["round"]["areas"]}
    assert areas[2] == {"count": None, "suppressed": True} and areas[1]["count"] == 6
    assert ids  # the codes above are the shipped areas


def test_no_ballot_is_read():
    """Turnout by group comes from the roll and the events: the module names no ballot."""
    tree = ast.parse(pathlib.Path(groups_module.__file__).read_text())
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
              for alias in node.names}
    assert not names & {"Ballot", "BallotChoice", "BallotEnvelope", "ballot_proposals"}
