"""The participant-period roll-up: who took part in a year, quarter or month, without reading
the events again.

Unique people over a year are not the sum of its months, so the roll-up keeps one row per
person and period (participant_period), folded the way cells.people_query folds a person's
events: smallest area id, oldest age band, smallest language group, the channels and kinds
used (bits), the number of events, and the person's first event ever. A period's cells are
then one GROUP BY over its rows, one row per person, no events and no fold.

Kept exact three ways: every event inserted through the ORM (record_event, fixtures) updates
its three rows in the same transaction (an upsert whose merge is min / max / bitwise or, so
order does not matter); `rebuild()` (the CLI `participation indicators rollup`, the monthly
job, after bulk inserts) refolds everything from the events; and `period_rows()` answers only
when the rows' event counts add up to the period's events, else the caller reads the events.
"""

from __future__ import annotations

import operator
from datetime import date, datetime
from functools import cache, reduce

import sqlalchemy as sa
from sqlalchemy import event as orm_event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from ..core.types import utcnow
from ..extensions import db
from .definitions import INCLUSIVE_CHANNELS
from .models import CHANNELS, EVENT_KINDS, ParticipantPeriod, ParticipationEvent
from .periods import HELSINKI, Period, _months, year_period

ROLLED_UP = ("year", "quarter", "month")  # period kinds with rows; custom ranges read events
KIND_BIT = {kind: 1 << index for index, kind in enumerate(EVENT_KINDS)}
CHANNEL_BIT = {channel: 1 << index for index, channel in enumerate(CHANNELS)}
INCLUSIVE_BITS = sum(CHANNEL_BIT[channel] for channel in INCLUSIVE_CHANNELS)
TABLE = ParticipantPeriod.__table__
Event = ParticipationEvent


def period_codes(when: datetime) -> tuple[str, str, str]:
    """The year, quarter and month (Helsinki time) an instant belongs to, as Period codes."""
    local = when.astimezone(HELSINKI)
    return (f"{local.year}", f"{local.year}-Q{(local.month - 1) // 3 + 1}",
            f"{local.year}-{local.month:02d}")


def _least(old, new):
    return sa.case((old.is_(None), new), (new.is_(None), old), (new < old, new), else_=old)


def _greatest(old, new):
    return sa.case((old.is_(None), new), (new.is_(None), old), (new > old, new), else_=old)


def add_event(connection, *, key: str, when: datetime, area_id, age_band, language_group,
              channel: str, kind: str) -> None:
    """Fold one new event into its year, quarter and month rows (every first ballot, idea
    and answer passes here: the statements are built once)."""
    first = connection.scalar(_first_event_query(), {"key": key})
    if first is None or when < first:
        if first is not None:  # an event older than any before: every row learns it
            connection.execute(_earlier_first_update(), {"key": key, "when": when})
        first = when
    rows = [{"participant_key": key, "period": code, "area_id": area_id, "age_band": age_band,
             "language_group": language_group, "channels": CHANNEL_BIT.get(channel, 0),
             "kinds": KIND_BIT.get(kind, 0), "events": 1, "first_at": first}
            for code in period_codes(when)]
    connection.execute(_upsert(connection.dialect.name), rows)


@cache
def _first_event_query() -> sa.Select:
    c = TABLE.c
    return sa.select(sa.func.min(c.first_at)).where(c.participant_key == sa.bindparam("key"))


@cache
def _earlier_first_update() -> sa.Update:
    c = TABLE.c
    when = sa.bindparam("when", type_=c.first_at.type)
    return TABLE.update().where(c.participant_key == sa.bindparam("key"), c.first_at > when) \
        .values(first_at=when)


@cache
def _upsert(dialect_name: str):
    """The three rows' upsert, whose merge is min / max / bitwise or (order does not matter);
    executed with the rows as parameters."""
    c = TABLE.c
    insert = (postgresql if dialect_name == "postgresql" else sqlite).insert(TABLE)
    new = insert.excluded
    return insert.on_conflict_do_update(
        index_elements=[c.participant_key, c.period],
        set_={"area_id": _least(c.area_id, new.area_id),
              "age_band": _greatest(c.age_band, new.age_band),
              "language_group": _least(c.language_group, new.language_group),
              "channels": c.channels.op("|")(new.channels),
              "kinds": c.kinds.op("|")(new.kinds),
              "events": c.events + new.events,
              "first_at": _least(c.first_at, new.first_at)})


@orm_event.listens_for(ParticipationEvent, "after_insert")
def _roll_up_inserted(_mapper, connection, target: ParticipationEvent) -> None:
    add_event(connection, key=target.participant_key, when=target.occurred_at or utcnow(),
              area_id=target.area_id, age_band=target.age_band,
              language_group=target.language_group, channel=target.channel or "web",
              kind=target.kind)


def _bits(column, bits: dict):
    return reduce(operator.add, (sa.func.max(sa.case((column == name, bit), else_=0))
                                 for name, bit in bits.items()))


def _fold(code: str, start: datetime, end: datetime) -> sa.Select:
    """One row per person active in [start, end), as add_event would have left it."""
    earlier = aliased(Event)
    first = (sa.select(sa.func.min(earlier.occurred_at))  # one seek in the key index
             .where(earlier.participant_key == Event.participant_key).scalar_subquery())
    return (sa.select(Event.participant_key, sa.literal(code, sa.String),
                      sa.func.min(Event.area_id), sa.func.max(Event.age_band),
                      sa.func.min(Event.language_group), _bits(Event.channel, CHANNEL_BIT),
                      _bits(Event.kind, KIND_BIT), sa.func.count(), first)
            .where(Event.occurred_at >= start, Event.occurred_at < end)
            .group_by(Event.participant_key))


def rolled_up_periods(first: date, last: date) -> list[Period]:
    """Every year, quarter and month from first's year to last's year."""
    periods = []
    for year in range(first.year, last.year + 1):
        periods.append(year_period(year))
        periods += [_months("quarter", date(year, month, 1), 3) for month in (1, 4, 7, 10)]
        periods += [_months("month", date(year, month, 1), 1) for month in range(1, 13)]
    return periods


def rebuild() -> int:
    """Refold the whole roll-up from the events (in the caller's transaction). Returns rows."""
    db.session.flush()
    db.session.execute(TABLE.delete())
    oldest, newest = db.session.execute(
        sa.select(sa.func.min(Event.occurred_at), sa.func.max(Event.occurred_at))).one()
    if oldest is None:
        return 0
    columns = ["participant_key", "period", "area_id", "age_band", "language_group",
               "channels", "kinds", "events", "first_at"]
    for period in rolled_up_periods(oldest.astimezone(HELSINKI).date(),
                                    newest.astimezone(HELSINKI).date()):
        db.session.execute(TABLE.insert().from_select(columns, _fold(period.code,
                                                                     *period.bounds())))
    return db.session.scalar(sa.select(sa.func.count()).select_from(TABLE))


def _events_between(start: datetime, end: datetime) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(
        Event.occurred_at >= start, Event.occurred_at < end))


def _channel_rank(channels: int) -> int:
    """Position in CHANNELS of the last (most supported) channel in the mask."""
    return max((rank for rank, name in enumerate(CHANNELS) if channels & CHANNEL_BIT[name]),
               default=0)


def period_rows(period: Period) -> list | None:
    """(area_id, age_band, language_group, inclusive, voted, answered, repeat, channel rank,
    people) of the period from the roll-up; None when it is not for such periods or misses
    events. The channel rank is that of the last channel (CHANNELS order) the person used.

    The GROUP BY follows ix_participant_period_cells, so the database streams the period's
    index entries without sorting them; the masks become flags here, over a few thousand
    groups."""
    if period.kind not in ROLLED_UP:
        return None
    start, end = period.bounds()
    c = TABLE.c
    keys = [c.area_id, c.age_band, c.language_group, c.channels, c.kinds]
    groups = db.session.execute(
        sa.select(*keys, sa.func.count(), sa.func.sum(sa.case((c.first_at < start, 1),
                                                              else_=0)),
                  sa.func.sum(c.events))
        .where(c.period == period.code).group_by(*keys)).all()
    if sum(group[-1] for group in groups) != _events_between(start, end):
        return None
    rows = []
    for area_id, band, language, channels, kinds, people, repeat, _events in groups:
        flags = (area_id, band, language, int(channels & INCLUSIVE_BITS != 0),
                 int(kinds & KIND_BIT["ballot_cast"] != 0),
                 int(kinds & KIND_BIT["hearing_answered"] != 0))
        for was_before, count in ((1, repeat), (0, people - repeat)):
            if count:
                rows.append((*flags, was_before, _channel_rank(channels), count))
    return rows


def month_rows(months: list[Period]) -> list | None:
    """(month index, area_id, age_band, language_group, people) for consecutive months from
    the roll-up; None when it misses events of those months."""
    if not months or any(month.kind != "month" for month in months):
        return None
    c = TABLE.c
    index = {month.code: position for position, month in enumerate(months)}
    rows = db.session.execute(
        sa.select(c.period, c.area_id, c.age_band, c.language_group, sa.func.count(),
                  sa.func.sum(c.events))
        .where(c.period.in_(list(index)))
        .group_by(c.period, c.area_id, c.age_band, c.language_group)).all()
    if sum(row[-1] for row in rows) != _events_between(months[0].bounds()[0],
                                                       months[-1].bounds()[1]):
        return None
    return [(index[code], area_id, band, language, people)
            for code, area_id, band, language, people, _events in rows]
