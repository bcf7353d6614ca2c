"""Benchmark: one year of participation indicators over 1,000,000 events.

    .venv/bin/python bench/indicators.py [--events 1000000] [--runs 3] [--year 2026]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
        [--keep-sqlite PATH] [--compare-events]

Without --database-url the database is a temporary SQLite file (or PATH with --keep-sqlite:
made and kept the first time, reused after); with a PostgreSQL URL the script creates a
database of its own on that server and drops it afterwards. It migrates, bulk-inserts the
events (participation.indicators.demo's spread over areas, ages, languages and channels),
rebuilds the participant-period roll-up, then times compute() for the year (every indicator
row, with disclosure control) and the dashboard's monthly trend; with --compare-events also
both read from the events alone. Prints each run's wall-clock and CPU seconds, the median
and the load average, and writes the median compute time to bench/results.json as
`indicators_1m_events_seconds` (other keys kept). Nothing is asserted; the target is < 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from participation import create_app  # noqa: E402
from participation.core.models import Area  # noqa: E402
from participation.extensions import db  # noqa: E402
from participation.indicators.compute import compute  # noqa: E402
from participation.indicators.dashboard import trends  # noqa: E402
from participation.indicators.demo import event_rows, insert_events  # noqa: E402
from participation.indicators.models import ParticipationEvent  # noqa: E402
from participation.indicators.periods import year_period  # noqa: E402
from participation.indicators.rollup import rebuild  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
KEY = "indicators_1m_events_seconds"
WIDE_INDEXES = ("ix_participation_event_period_cells", "ix_participation_event_key_occurred_at")
MEAN_ACTIONS = 2.75  # event_rows gives each person 1-8 actions, 2.75 on average


def _database(url: str | None, keep: str | None):
    if url is None and keep:
        return f"sqlite:///{Path(keep).resolve()}", lambda: None
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="bench-indicators-"))
        return f"sqlite:///{folder / 'bench.db'}", lambda: shutil.rmtree(folder)
    import psycopg

    name = f"bench_indicators_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    bench_url = make_url(url).set(drivername="postgresql+psycopg", database=name)
    return bench_url.render_as_string(hide_password=False), drop


def _seed(events: int, year: int) -> int:
    rng = random.Random(12)
    area_ids = dict(db.session.execute(sa.select(Area.code, Area.id)).all())
    start, end = (datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))
    people = int(events / MEAN_ACTIONS) + 1
    rows = islice(event_rows(rng, people * 2, start, end, area_ids=area_ids, prefix="bench"),
                  events)
    # The two wide indexes are built once after the insert rather than kept up row by row.
    wide = [index for index in ParticipationEvent.__table__.indexes
            if index.name in WIDE_INDEXES]
    for index in wide:
        index.drop(db.session.connection())
    count = insert_events(rows)
    for index in wide:
        index.create(db.session.connection())
    db.session.commit()
    return count


def _analyze() -> None:
    if db.engine.dialect.name == "postgresql":  # VACUUM too: index-only scans need it
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE participation_event"))
            connection.execute(sa.text("VACUUM ANALYZE participant_period"))
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def _comparable(rows) -> list:
    return sorted(str({**row.as_dict(), "computed_at": ""}) for row in rows)


def _median(name: str, function, runs: int) -> tuple[float, object]:
    """Runs the function, prints each run's wall-clock and CPU seconds (this process, SQLite
    included; PostgreSQL's work is in its server) and the load average, returns the median
    wall-clock seconds and the result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        db.session.expire_all()
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    load = os.getloadavg()[0]
    print(f"{name}: median of {runs}: {statistics.median(walls):.3f} s wall, "
          f"{statistics.median(cpus):.3f} s CPU (runs: "
          + ", ".join(f"{wall:.2f}/{cpu:.2f}" for wall, cpu in zip(walls, cpus, strict=True))
          + f" s wall/CPU; load average {load:.1f} on {os.cpu_count()} cores)")
    return statistics.median(walls), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--database-url")
    parser.add_argument("--no-write", action="store_true", help="Do not touch results.json.")
    parser.add_argument("--keep-sqlite", metavar="PATH",
                        help="SQLite file to seed once and reuse (kept for EXPLAIN).")
    parser.add_argument("--compare-events", action="store_true",
                        help="Also time compute() and the trend from the events alone.")
    args = parser.parse_args()
    reuse = bool(args.keep_sqlite and not args.database_url and Path(args.keep_sqlite).exists())
    url, cleanup = _database(args.database_url, args.keep_sqlite)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "PSEUDONYM_KEY": "bench",
                          "INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-instance-")})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(revision="heads")
            started = time.perf_counter()
            if reuse:
                count = db.session.scalar(sa.select(sa.func.count())
                                          .select_from(ParticipationEvent))
                print(f"{db.engine.dialect.name}: reusing {count:,} events")
            else:
                count = _seed(args.events, args.year)
                print(f"{db.engine.dialect.name}: inserted {count:,} events in "
                      f"{time.perf_counter() - started:.1f} s")
                started = time.perf_counter()
                rolled = rebuild()
                db.session.commit()
                print(f"roll-up rebuilt: {rolled:,} person-period rows in "
                      f"{time.perf_counter() - started:.1f} s")
                _analyze()
            period = year_period(args.year)
            seconds, rows = _median(f"compute({period.code})", lambda: compute(period),
                                    args.runs)
            people = next(row.value for row in rows if row.key == ("participants", "", "", ""))
            print(f"  {len(rows)} indicator rows, {people:,} participants")
            _median("monthly trend (12 months)", lambda: trends(period), args.runs)
            if args.compare_events:
                _, raw = _median(f"compute({period.code}) from the events",
                                 lambda: compute(period, rollup=False), args.runs)
                print("  same rows as the roll-up: "
                      f"{_comparable(raw) == _comparable(rows)}")
                _median("monthly trend from the events", lambda: trends(period, rollup=False),
                        args.runs)
            print(f"one year of indicators over {count:,} events: {seconds:.3f} s "
                  f"({'under' if seconds < 5 else 'OVER'} the 5 s target)")
            db.session.remove()
            db.engine.dispose()
    finally:
        cleanup()
    if not args.no_write:
        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        results[KEY] = round(seconds, 3)
        RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
        print(f"wrote {KEY} = {results[KEY]} to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
