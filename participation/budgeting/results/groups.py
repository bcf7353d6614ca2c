"""Results by major area and age band: turnout beside the population, and where the winning
money goes (issue 13, point 7).

Ballot secrecy is untouched (docs/threat-model.md): turnout comes from the voter roll (who
voted in which budget, never what) and from the `ballot_cast` participation events (the area
and age band a voter had when casting); nothing here reads a ballot. The winning money by area
comes from the winners' budgets (a budget belongs to one major area or to the whole city).

Disclosure control (core/disclosure.py): every line of voters is suppressed with its total
(rule 1 and complementary suppression). Each budget's voters are a subset of the round's, so
a round figure that is 1 to 4 above the same group's published figure in a budget would tell
a small group (the group's voters who voted only elsewhere): such round cells are hidden and
the round line protected again; if the round's total is that close to a budget's published
ballot count, the round's figures are not published at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _

from ...accounts.models import User
from ...core.disclosure import is_small, protect_line, suppress_counts
from ...core.models import AGE_BANDS, Area
from ...extensions import db
from ...indicators.models import ParticipationEvent
from ...indicators.population import Populations
from ...indicators.services import participant_key, user_participant_key
from ..rounds.models import Budget, BudgetRound
from ..voting.models import VoterRollEntry
from .tally import stored_result

UNKNOWN = "unknown"
PER = 1000  # turnout is given as voters per 1 000 residents


@dataclass(frozen=True)
class GroupRow:
    key: object  # an area id, an age band or UNKNOWN
    label: str
    voters: int | None  # None: suppressed
    population: int | None  # None: no figure

    @property
    def per_thousand(self) -> Fraction | None:
        if self.voters is None or not self.population:
            return None
        return Fraction(self.voters * PER, self.population)


@dataclass(frozen=True)
class GroupTable:
    """One scope (a budget, or the round when `budget` is None)."""

    budget: Budget | None
    total: GroupRow
    areas: list[GroupRow]
    ages: list[GroupRow]
    withheld: bool = False  # nothing of this scope could be published


@dataclass(frozen=True)
class MoneyRow:
    area: Area | None  # None: the city-wide budget
    label: str
    money: int
    share: Fraction | None
    population_share: Fraction | None


@dataclass(frozen=True)
class RoundGroups:
    round: GroupTable
    budgets: dict[int, GroupTable]
    money: list[MoneyRow]
    money_total: int
    population_year: int | None


@dataclass(frozen=True)
class _Voter:
    person: tuple
    budget_id: int
    area_id: int | None
    age_band: str | None


def age_bands(budget_round: BudgetRound) -> tuple[str, ...]:
    """The bands that hold people old enough (and young enough) to vote in the round."""
    bands = []
    for band in AGE_BANDS:
        low, _sep, high = band.rstrip("+").partition("-")
        upper = int(high) if high else None
        if upper is not None and upper < budget_round.min_age:
            continue
        if budget_round.max_age is not None and int(low) > budget_round.max_age:
            continue
        bands.append(band)
    return tuple(bands)


def _voters(budget_round: BudgetRound) -> list[_Voter]:
    """Each roll entry with the area and age band of its `ballot_cast` event."""
    groups: dict[str, tuple] = {}
    for key, area_id, band in db.session.execute(
            sa.select(ParticipationEvent.participant_key, ParticipationEvent.area_id,
                      ParticipationEvent.age_band)
            .where(ParticipationEvent.kind == "ballot_cast",
                   ParticipationEvent.process_type == "BudgetRound",
                   ParticipationEvent.process_id == budget_round.id)
            .order_by(ParticipationEvent.id)):
        groups.setdefault(key, (area_id, band))
    entries = db.session.scalars(sa.select(VoterRollEntry).where(
        VoterRollEntry.round_id == budget_round.id).order_by(VoterRollEntry.id)).all()
    user_ids = {entry.user_id for entry in entries if entry.user_id is not None}
    seeds = dict(db.session.execute(sa.select(User.id, User.pseudonym_seed)
                                    .where(User.id.in_(user_ids))).all()) if user_ids else {}
    voters = []
    for entry in entries:
        if entry.user_id is not None:
            person = ("user", entry.user_id)
            seed = seeds.get(entry.user_id)
            key = user_participant_key(_Seed(seed)) if seed else None
        elif entry.person_key:
            person, key = ("person", entry.person_key), participant_key(entry.person_key)
        else:  # an account deleted since: counted, its group unknown
            person, key = ("entry", entry.id), None
        area_id, band = groups.get(key, (None, None)) if key else (None, None)
        voters.append(_Voter(person, entry.budget_id, area_id, band))
    return voters


@dataclass(frozen=True)
class _Seed:
    pseudonym_seed: str


def _counts(voters, keys, attribute: str) -> dict:
    counts = dict.fromkeys(keys, 0)
    counts[UNKNOWN] = 0
    for voter in voters:
        value = getattr(voter, attribute)
        counts[value if value in counts else UNKNOWN] += 1
    return counts


def _line(counts: dict) -> tuple[dict, int | None]:
    suppressed = suppress_counts(counts)
    return suppressed.published(), suppressed.total


def _guard_round(counts: dict, published: dict, budget_lines: list[dict]) -> tuple[dict, bool]:
    """Hide round cells that a budget's published cell would reveal by subtraction, then
    protect the line again. Returns the published cells and whether the total survives."""
    hidden = {key for key, value in published.items() if value is None}
    for line in budget_lines:
        for key, value in line.items():
            if value is not None and key not in hidden and is_small(counts[key] - value):
                hidden.add(key)
    keeps_total = protect_line(counts, hidden)
    return {key: None if key in hidden else counts[key] for key in counts}, keeps_total


class _Labels:
    def __init__(self, areas: list[Area]):
        self.areas = {area.id: area.name for area in areas}

    def area(self, key) -> str:
        return _("Area not known") if key == UNKNOWN else self.areas[key]

    @staticmethod
    def band(key) -> str:
        return _("Age not known") if key == UNKNOWN else _("%(band)s years", band=key)


def _year(budget_round: BudgetRound) -> int:
    voting = budget_round.phase("voting")
    when = budget_round.voting_closed_at or (voting.ends_at if voting else None) \
        or budget_round.results_published_at or budget_round.created_at
    return when.year


class _Denominators:
    def __init__(self, budget_round: BudgetRound):
        self.populations = Populations()
        self.year = _year(budget_round)
        self.bands = age_bands(budget_round)
        self.years: set[int] = set()

    def _get(self, **kwargs) -> int | None:
        found = self.populations.denominator(self.year, **kwargs)
        if found is None:
            return None
        self.years.add(found.year)
        return found.population

    def residents(self, area_id) -> int | None:
        """Residents of voting age where the figures give ages, else all residents."""
        return self._get(area_id=area_id, bands=self.bands) or self._get(area_id=area_id)

    def band(self, area_id, band: str) -> int | None:
        return self._get(area_id=area_id, bands=(band,))


def _table(budget, scope_area, voters, areas, labels, population, guard=None) -> GroupTable:
    area_counts = _counts(voters, [area.id for area in areas], "area_id")
    band_counts = _counts(voters, population.bands, "age_band")
    area_cells, total = _line(area_counts)
    band_cells, band_total = _line(band_counts)
    withheld = False
    if guard is not None:
        area_cells, keeps_area = _guard_round(area_counts, area_cells, guard["areas"])
        band_cells, keeps_band = _guard_round(band_counts, band_cells, guard["ages"])
        count = sum(area_counts.values())
        if any(value is not None and is_small(count - value) for value in guard["totals"]):
            withheld = True
        total = None if withheld or not (keeps_area and keeps_band) else total
    total = None if band_total is None else total
    if total is None:  # no total: hide every cell too, or their sum would give it away
        withheld = True
    if withheld:
        area_cells = dict.fromkeys(area_cells)
        band_cells = dict.fromkeys(band_cells)

    def rows(cells, counts, label, denominator):
        return [GroupRow(key, label(key), value,
                         None if key == UNKNOWN else denominator(key))
                for key, value in cells.items() if key != UNKNOWN or counts[UNKNOWN]]

    return GroupTable(
        budget,
        GroupRow("total", _("All voters"), total, population.residents(scope_area)),
        rows(area_cells, area_counts, labels.area, population.residents),
        rows(band_cells, band_counts, labels.band,
             lambda band: population.band(scope_area, band)),
        withheld)


def _lines(table: GroupTable) -> dict:
    return {"areas": {row.key: row.voters for row in table.areas},
            "ages": {row.key: row.voters for row in table.ages}}


def _money(budget_round: BudgetRound, areas: list[Area], population: _Denominators):
    spent: dict[int | None, int] = {}
    for budget in budget_round.budgets:
        result = stored_result(budget)
        if result is not None:
            spent[budget.area_id] = spent.get(budget.area_id, 0) + result.total_cost
    total = sum(spent.values())
    # The city as the sum of its areas, so that every share comes from figures of one kind.
    residents = [population.residents(area.id) for area in areas]
    city = sum(residents) if residents and None not in residents else None
    rows = []
    for area in [None, *areas]:
        if area is None and None not in spent:
            continue
        area_id = getattr(area, "id", None)
        money = spent.get(area_id, 0)
        residents = population.residents(area_id) if area is not None else None
        rows.append(MoneyRow(area, area.name if area else _("Whole city"), money,
                             Fraction(money, total) if total else None,
                             Fraction(residents, city) if residents and city else None))
    return rows, total


def round_groups(budget_round: BudgetRound) -> RoundGroups:
    """Turnout by area and age band for the round and each budget, and the winning money by
    area, every count of people suppressed under MIN_CELL."""
    areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
    if budget_round.area_id is not None:
        areas = [area for area in areas if area.id == budget_round.area_id]
    labels = _Labels(areas)
    population = _Denominators(budget_round)
    voters = _voters(budget_round)
    budgets, ballots = {}, []
    for budget in budget_round.budgets:
        mine = [voter for voter in voters if voter.budget_id == budget.id]
        ballots.append(len(mine))  # published with the results, whatever its size
        budgets[budget.id] = _table(budget, budget.area_id or budget_round.area_id, mine,
                                    areas, labels, population)
    people = list({voter.person: voter for voter in voters}.values())
    lines = [_lines(table) for table in budgets.values()]
    guard = {"areas": [line["areas"] for line in lines], "ages": [line["ages"] for line in lines],
             "totals": ballots}
    round_table = _table(None, budget_round.area_id, people, areas, labels, population, guard)
    money, money_total = _money(budget_round, areas, population)
    return RoundGroups(round_table, budgets, money, money_total,
                       max(population.years) if population.years else None)


def _count(value: int | None) -> dict:
    return {"count": value, "suppressed": value is None}


def _key(row: GroupRow, areas: dict) -> object:
    return areas.get(row.key, row.key)


def _table_json(table: GroupTable, codes: dict) -> dict:
    def rows(group_rows, name):
        return [{name: _key(row, codes), "voters": _count(row.voters),
                 "residents": row.population} for row in group_rows]

    return {"budget_id": table.budget.id if table.budget else None, "withheld": table.withheld,
            "voters": _count(table.total.voters), "residents": table.total.population,
            "areas": rows(table.areas, "area_code"), "age_bands": rows(table.ages, "age_band")}


def groups_json(groups: RoundGroups) -> dict:
    """The figures for the API and exports: area codes, age bands, hidden counts as null."""
    from ...core.disclosure import MIN_CELL

    codes = dict(db.session.execute(sa.select(Area.id, Area.code)).all())
    return {
        "minimum_cell": MIN_CELL, "population_year": groups.population_year,
        "round": _table_json(groups.round, codes),
        "budgets": [_table_json(table, codes) for table in groups.budgets.values()],
        "money_total": groups.money_total,
        "money_by_area": [{"area_code": row.area.code if row.area else None,
                           "money": row.money,
                           "share": None if row.share is None else float(row.share),
                           "population_share": None if row.population_share is None
                           else float(row.population_share)} for row in groups.money],
    }
