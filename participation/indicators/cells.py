"""People counted in the database: one GROUP BY over a period's events gives every cell.

Years, quarters and months are read from the roll-up (rollup.py: one row per person and
period, already folded) when it accounts for every event of the period; custom ranges, and
any period the roll-up misses events of, are folded from the events as below.

The inner query folds each person's events in the period into one row (their area, age band
and language, and whether they voted, answered a hearing or used an inclusive channel); the
outer query counts those people per combination. Python only adds up these few hundred
combinations into lines and tables: it never sees an event.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from .definitions import BAND_TO_GROUP, INCLUSIVE_CHANNELS
from .models import CHANNELS
from .models import ParticipationEvent as Event
from .periods import Period
from .rollup import month_rows, period_rows

UNKNOWN = "unknown"
DIMENSIONS = ("area", "age_band", "language_group")


@dataclass(frozen=True)
class Person:
    """A combination of a person's attributes (the cube's key)."""

    area: str
    age_band: str
    language_group: str
    inclusive: bool
    voted: bool
    answered: bool
    repeat: bool = False  # took part before the period too
    channel: str = "web"  # the most supported channel used (last in CHANNELS order)


def people_query(start, end) -> sa.Select:
    """One pass over the events in participant order (the covering index
    ix_participation_event_key_occurred_at, so no sort): each person's events in the period
    give their attributes, and any event before it makes them a repeat participant.
    """
    in_period = sa.and_(Event.occurred_at >= start, Event.occurred_at < end)

    def during(column):
        return sa.case((in_period, column), else_=None)

    def flag(condition):
        return sa.func.max(sa.case((sa.and_(in_period, condition), 1), else_=0))

    person = (
        sa.select(
            sa.func.min(during(Event.area_id)).label("area_id"),
            # Bands sort as text in age order, so MAX is the oldest band of the period.
            sa.func.max(during(Event.age_band)).label("age_band"),
            sa.func.min(during(Event.language_group)).label("language_group"),
            flag(Event.channel.in_(INCLUSIVE_CHANNELS)).label("inclusive"),
            flag(Event.kind == "ballot_cast").label("voted"),
            flag(Event.kind == "hearing_answered").label("answered"),
            sa.func.max(sa.case((Event.occurred_at < start, 1), else_=0)).label("repeat"),
            sa.func.max(during(sa.case(*((Event.channel == name, rank)
                                         for rank, name in enumerate(CHANNELS)),
                                       else_=0))).label("channel"),
        )
        .group_by(Event.participant_key)
        .having(sa.func.max(sa.case((in_period, 1), else_=0)) == 1)
        .subquery()
    )
    columns = list(person.c)
    return sa.select(*columns, sa.func.count()).group_by(*columns)


def people_cube(start, end, period: Period | None = None, *, rollup: bool = True) -> Counter:
    """Counter of Person -> number of people active in [start, end) (the period's bounds).

    From the roll-up when `period` is given, `rollup` is on and it holds the period; else
    from the events. Both give the same counts (tests/indicators/test_rollup.py)."""
    rows = period_rows(period) if rollup and period is not None else None
    if rows is None:
        rows = db.session.execute(people_query(start, end)).all()
    codes = area_codes()
    cube: Counter = Counter()
    for area_id, band, language, inclusive, voted, answered, repeat, channel, count in rows:
        key = Person(
            area=codes.get(area_id, UNKNOWN), age_band=BAND_TO_GROUP.get(band, UNKNOWN),
            language_group=language or UNKNOWN, inclusive=bool(inclusive),
            voted=bool(voted), answered=bool(answered), repeat=bool(repeat),
            channel=CHANNELS[channel or 0])
        cube[key] += count
    return cube


def months_cube(months: list[Period], *, rollup: bool = True) -> Counter:
    """monthly_cube() of consecutive months, from the roll-up when it holds them."""
    rows = month_rows(months) if rollup else None
    if rows is None:
        return monthly_cube([month.bounds() for month in months])
    codes = area_codes()
    cube: Counter = Counter()
    for index, area_id, band, language, count in rows:
        cube[(index, codes.get(area_id, UNKNOWN), BAND_TO_GROUP.get(band, UNKNOWN),
              language or UNKNOWN)] += count
    return cube


def area_codes() -> dict:
    from ..core.models import Area

    return {area_id: str(code) for area_id, code in
            db.session.execute(sa.select(Area.id, Area.code)).all()}


def margin(cube: Counter, *dimensions: str, where=None) -> Counter:
    """People summed over every attribute except `dimensions` (a line or table)."""
    counts: Counter = Counter()
    for person, count in cube.items():
        if where is None or where(person):
            key = tuple(getattr(person, name) for name in dimensions)
            counts[key[0] if len(key) == 1 else key] += count
    return counts


def monthly_cube(buckets: list[tuple]) -> Counter:
    """Counter of (bucket index, area, age group, language) -> people active in that bucket.

    `buckets` are consecutive [start, end) pairs; one query labels each event with its bucket
    (a CASE over the bounds, the same on SQLite and PostgreSQL) and counts people per bucket.
    """
    if not buckets:
        return Counter()
    bucket = sa.case(*((Event.occurred_at < end, index)
                       for index, (_start, end) in enumerate(buckets)), else_=None)
    person = (
        sa.select(bucket.label("bucket"), sa.func.min(Event.area_id).label("area_id"),
                  sa.func.max(Event.age_band).label("age_band"),
                  sa.func.min(Event.language_group).label("language_group"))
        .where(Event.occurred_at >= buckets[0][0], Event.occurred_at < buckets[-1][1])
        .group_by(bucket, Event.participant_key)
        .subquery()
    )
    columns = list(person.c)
    codes = area_codes()
    cube: Counter = Counter()
    for index, area_id, band, language, count in db.session.execute(
            sa.select(*columns, sa.func.count()).group_by(*columns)):
        cube[(index, codes.get(area_id, UNKNOWN), BAND_TO_GROUP.get(band, UNKNOWN),
              language or UNKNOWN)] += count
    return cube
