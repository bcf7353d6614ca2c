"""People counted in the database: one GROUP BY over a period's events gives every cell.

The inner query folds each person's events in the period into one row (their area, age band
and language, and whether they voted, answered a hearing or used an inclusive channel); the
outer query counts those people per combination. Python only adds up these few hundred
combinations into lines and tables: it never sees an event.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..extensions import db
from .definitions import BAND_TO_GROUP, INCLUSIVE_CHANNELS
from .models import ParticipationEvent as Event

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


def people_cube(start, end) -> Counter:
    """Counter of Person -> number of people active in [start, end)."""
    in_period = (Event.occurred_at >= start, Event.occurred_at < end)
    flag = lambda condition: sa.func.max(sa.case((condition, 1), else_=0))  # noqa: E731
    person = (
        sa.select(
            sa.func.min(Event.area_id).label("area_id"),
            # Bands sort as text in age order, so MAX is the oldest band of the period.
            sa.func.max(Event.age_band).label("age_band"),
            sa.func.min(Event.language_group).label("language_group"),
            flag(Event.channel.in_(INCLUSIVE_CHANNELS)).label("inclusive"),
            flag(Event.kind == "ballot_cast").label("voted"),
            flag(Event.kind == "hearing_answered").label("answered"),
        )
        .where(*in_period)
        .group_by(Event.participant_key)
        .subquery()
    )
    columns = list(person.c)
    query = sa.select(*columns, sa.func.count()).group_by(*columns)
    codes = area_codes()
    cube: Counter = Counter()
    for area_id, band, language, inclusive, voted, answered, count in db.session.execute(query):
        key = Person(
            area=codes.get(area_id, UNKNOWN), age_band=BAND_TO_GROUP.get(band, UNKNOWN),
            language_group=language or UNKNOWN, inclusive=bool(inclusive),
            voted=bool(voted), answered=bool(answered))
        cube[key] += count
    return cube


def repeat_participants(start, end) -> int:
    """People active in [start, end) who had taken part before `start`."""
    earlier = aliased(Event)
    people = (sa.select(Event.participant_key)
              .where(Event.occurred_at >= start, Event.occurred_at < end)
              .group_by(Event.participant_key).subquery())
    before = (sa.select(earlier.id)
              .where(earlier.participant_key == people.c.participant_key,
                     earlier.occurred_at < start)
              .exists())
    return db.session.scalar(sa.select(sa.func.count()).select_from(people).where(before))


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
