"""The participant-period roll-up gives exactly the figures the events give."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from participation.extensions import db
from participation.indicators import rollup
from participation.indicators.cells import months_cube, people_cube
from participation.indicators.compute import compute
from participation.indicators.dashboard import trend_months, trends
from participation.indicators.demo import insert_events
from participation.indicators.models import CHANNELS, EVENT_KINDS, ParticipationEvent
from participation.indicators.periods import parse_period

PERIODS = ("2026", "2026-Q1", "2026-Q4", "2026-01", "2026-03", "2026-12", "2027-01", "2025")
# Helsinki midnights of new year, a quarter and a month (and DST changes), in UTC.
EDGES = (datetime(2025, 12, 31, 22, tzinfo=UTC), datetime(2026, 3, 31, 21, tzinfo=UTC),
         datetime(2026, 2, 28, 22, tzinfo=UTC), datetime(2026, 12, 31, 22, tzinfo=UTC),
         datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC))


def _random_events(rng: random.Random, people: int, area_ids: list) -> list[dict]:
    start, span = datetime(2025, 11, 1, tzinfo=UTC), timedelta(days=460)
    events = []
    for person in range(people):
        key = f"person-{person}"
        for _ in range(rng.choice((1, 1, 2, 3, 5))):
            when = (rng.choice(EDGES) + timedelta(minutes=rng.randint(-90, 90))
                    if rng.random() < 0.25 else start + span * rng.random())
            events.append({
                "participant_key": key, "occurred_at": when,
                "kind": rng.choice(EVENT_KINDS), "channel": rng.choice(CHANNELS),
                # A person's attributes may change between events (moved, had a birthday).
                "area_id": rng.choice([*area_ids, None]),
                "age_band": rng.choice(("12-14", "15-17", "18-29", "30-44", "75+", None)),
                "language_group": rng.choice(("fi", "fi", "sv", "other")),
                "process_type": None, "process_id": None})
    rng.shuffle(events)  # not in time order: older events arrive after newer ones
    return events


def _seed(app, seed: int, people: int = 400) -> None:
    with app.app_context():
        area_ids = list(db.session.scalars(sa.text("SELECT id FROM area ORDER BY id")))
        for row in _random_events(random.Random(seed), people, area_ids):
            db.session.add(ParticipationEvent(**row))
        db.session.commit()


def _rows(period) -> list:
    return sorted(str({**row.as_dict(), "computed_at": ""})
                  for row in compute(period, rollup=False))


def _rolled_up_rows(period) -> list:
    assert rollup.period_rows(period) is not None  # the roll-up answers, not the fallback
    return sorted(str({**row.as_dict(), "computed_at": ""}) for row in compute(period))


def _table() -> list:
    return sorted(tuple(row) for row in db.session.execute(sa.select(rollup.TABLE)))


def test_rollup_gives_the_same_cells_as_the_events_on_a_random_fixture(app):
    _seed(app, seed=16)
    with app.app_context():
        for code in PERIODS:
            period = parse_period(code)
            start, end = period.bounds()
            assert rollup.period_rows(period) is not None, code
            assert people_cube(start, end, period) == \
                people_cube(start, end, period, rollup=False), code
            assert _rolled_up_rows(period) == _rows(period), code
        months = trend_months(parse_period("2026"))
        assert rollup.month_rows(months) is not None
        assert months_cube(months) == months_cube(months, rollup=False)
        assert trends(parse_period("2026")) == trends(parse_period("2026"), rollup=False)


def test_rebuild_folds_the_events_as_the_inserts_did(app, runner):
    _seed(app, seed=7, people=150)
    with app.app_context():
        kept_up = _table()
        assert kept_up
    result = runner.invoke(args=["indicators", "rollup"])
    assert result.exit_code == 0, result.output
    assert f"{len(kept_up)} person-period rows" in result.output
    with app.app_context():
        assert _table() == kept_up


def test_events_the_rollup_missed_are_read_from_the_events(app):
    _seed(app, seed=3, people=120)
    with app.app_context():
        period = parse_period("2026")
        before = _rows(period)
        # A bulk insert goes past the ORM: the roll-up no longer holds every event.
        insert_events(iter([{"participant_key": "bulk", "occurred_at": datetime(
            2026, 5, 5, tzinfo=UTC), "kind": "ballot_cast", "channel": "paper",
            "area_id": None, "age_band": "75+", "language_group": "sv",
            "process_type": None, "process_id": None}]))
        assert rollup.period_rows(period) is None
        assert rollup.period_rows(parse_period("2026-06")) is not None  # other months hold
        assert compute(period) and _rows(period) != before
        assert sorted(str({**row.as_dict(), "computed_at": ""})
                      for row in compute(period)) == _rows(period)
        rollup.rebuild()
        assert _rolled_up_rows(period) == _rows(period)


def test_period_codes_follow_helsinki_time():
    assert rollup.period_codes(datetime(2026, 12, 31, 21, 30, tzinfo=UTC)) == \
        ("2026", "2026-Q4", "2026-12")
    assert rollup.period_codes(datetime(2026, 12, 31, 22, 30, tzinfo=UTC)) == \
        ("2027", "2027-Q1", "2027-01")
    assert rollup.period_codes(datetime(2026, 6, 30, 20, 59, tzinfo=UTC)) == \
        ("2026", "2026-Q2", "2026-06")
    assert rollup.period_codes(datetime(2026, 6, 30, 21, 0, tzinfo=UTC)) == \
        ("2026", "2026-Q3", "2026-07")


def test_the_monthly_job_rebuilds_the_rollup(app):
    from participation.jobs import queue

    with app.app_context():
        insert_events(iter(_random_events(random.Random(5), 60, [None])))
        db.session.commit()
        assert rollup.period_rows(parse_period("2026")) is None
    assert queue.run_with_retries(app, "indicators.rebuild_rollup", ()) is True
    with app.app_context():
        period = parse_period("2026")
        assert _rolled_up_rows(period) == _rows(period)
