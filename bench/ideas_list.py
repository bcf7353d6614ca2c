"""Benchmark: the idea list and search with 100,000 ideas in a temporary database.

    .venv/bin/python bench/ideas_list.py [--ideas 100000] [--runs 20] [--keep]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]

Without --database-url the database is a temporary SQLite file. With a PostgreSQL URL the
script creates a fresh database of its own on that server (the URL's database is only used to
connect) and drops it afterwards. Seeds ideas with bulk inserts (the full-text triggers index
them as they go), then times list pages (filters and sorts) through the test client and
searches through search_ideas(). Prints the figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from participation import create_app  # noqa: E402
from participation.accounts.models import User  # noqa: E402
from participation.core.models import Area  # noqa: E402
from participation.extensions import db  # noqa: E402
from participation.ideas import search  # noqa: E402
from participation.ideas.models import STATUSES, Idea, Theme  # noqa: E402

WORDS = {
    "fi": "puisto penkki leikkipaikka pyörätie koulu kirjasto uimahalli skeittiparkki valaistus "
          "metsä ranta kävelytie bussipysäkki kenttä konsertti nuoret ikääntyneet kylätalo "
          "liikenne turvallisuus roska-astia koirapuisto luistelu kuntosali".split(),
    "sv": "park bänk lekpark cykelväg skola bibliotek simhall skatepark belysning skog "
          "strand promenad busshållplats plan konsert unga äldre bytorg trafik säkerhet "
          "hundpark skridsko gym".split(),
    "en": "park bench playground cycle path school library pool skate lighting forest beach "
          "walkway bus stop field concert youth elderly village hall traffic safety dog gym "
          "ice rink".split(),
}
BATCH = 5000


def _sentence(rng: random.Random, language: str, words: int) -> str:
    return " ".join(rng.choice(WORDS[language]) for _ in range(words)).capitalize()


def _rows(rng, count, start, *, area_ids, theme_ids, user_ids, now):
    for number in range(start, start + count):
        language = rng.choice(("fi", "fi", "fi", "sv", "en"))
        text = ". ".join(_sentence(rng, language, 12) for _ in range(4)) + "."
        yield {
            "title": _sentence(rng, language, 6)[:120],
            "description_text": text,
            "description_html": f"<p>{text}</p>",
            "language": language,
            "area_id": rng.choice(area_ids + [None]),
            "theme_id": rng.choice(theme_ids),
            "author_id": rng.choice(user_ids),
            "status": rng.choice(STATUSES),
            "public_answer": "",
            "budgeting_proposal_url": "",
            "image_alt": "",
            "comments_locked": False,
            "moderation_state": "published" if number % 50 else "hidden",
            "support_count": int(rng.paretovariate(1.2)) - 1,
            "comment_count": int(rng.paretovariate(1.5)) - 1,
            "created_at": now - timedelta(minutes=number * 7),
            "updated_at": now,
        }


def seed(app, count: int, rng: random.Random) -> None:
    with app.app_context():
        now = datetime.now(UTC)
        db.session.execute(sa.insert(User), [
            {"email": f"bench{n}@example.org", "display_name": f"Bench {n}",
             "preferred_language": "fi", "password_hash": "", "created_at": now,
             "email_notifications": False}
            for n in range(500)
        ])
        user_ids = list(db.session.scalars(sa.select(User.id)))
        area_ids = list(db.session.scalars(sa.select(Area.id)))
        theme_ids = list(db.session.scalars(sa.select(Theme.id)))
        started = time.perf_counter()
        for start in range(0, count, BATCH):
            rows = list(_rows(rng, min(BATCH, count - start), start, area_ids=area_ids,
                              theme_ids=theme_ids, user_ids=user_ids, now=now))
            db.session.execute(sa.insert(Idea), rows)
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        print(f"seeded {count:,} ideas in {time.perf_counter() - started:.1f} s")


def _time(function, runs: int) -> tuple[float, float, float]:
    """Median and max wall clock, and median CPU time of this process (ms). On a loaded
    host the CPU time is the steadier figure for SQLite, which runs in this process."""
    function()  # warm up caches and compiled statements
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(samples), max(samples), statistics.median(cpu)


def bench_pages(app, runs: int) -> None:
    client = app.test_client()
    with app.app_context():
        area = db.session.scalar(sa.select(Area.id).where(Area.code == 3))
    urls = [
        "/ideas",
        "/ideas?sort=supported",
        "/ideas?sort=discussed",
        f"/ideas?area={area}&sort=supported",
        "/ideas?area=city&theme=culture",
        "/ideas?status=answered&language=sv&sort=discussed",
        "/ideas?page=200",
        "/ideas?q=puisto",
        "/ideas?q=skate+park&sort=supported",
        f"/ideas?q=koulu&area={area}",
    ]
    print(f"\nList pages through the test client (median / max of {runs} runs, median CPU, "
          "ms):")
    for url in urls:
        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        median, worst, cpu = _time(get, runs)
        print(f"  {median:7.1f} / {worst:7.1f}  cpu {cpu:7.1f}  {url}")


def bench_search(app, runs: int) -> None:
    print(f"\nsearch_ideas() directly (median / max of {runs} runs, median CPU, ms):")
    for query, filters in (("puisto", None), ("bibliotek", None), ("cycle path", None),
                           ("penkki", search.IdeaFilters(area="city")),
                           ("a", None)):
        def run(query=query, filters=filters):
            with app.test_request_context():
                result = search.search_ideas(query, filters)
                return result
        with app.test_request_context():
            result = search.search_ideas(query, filters)
            backend, total = result.backend, result.page.total
        median, worst, cpu = _time(run, runs)
        print(f"  {median:7.1f} / {worst:7.1f}  cpu {cpu:7.1f}  {query!r} ({backend}, "
              f"{total:,} matches)")


def _admin_execute(server_url: str, statement: str) -> None:
    """Run CREATE/DROP DATABASE on the server (outside a transaction)."""
    url = make_url(server_url).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _database(folder: Path, server_url: str | None) -> tuple[str, str | None]:
    """(URL to benchmark, name of the PostgreSQL database made for it or None)."""
    if not server_url:
        return f"sqlite:///{folder}/bench.db", None
    if not server_url.startswith(("postgresql", "postgres:")):
        raise SystemExit("--database-url must be a PostgreSQL URL (SQLite is the default)")
    name = f"ideas_bench_{uuid.uuid4().hex[:10]}"
    _admin_execute(server_url, f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False), name


def _discard(server_url: str | None, name: str | None, folder: Path) -> None:
    """Drop the PostgreSQL database _database made (if any) and remove the run's folder."""
    if name:
        _admin_execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL server to run on (default: a temporary SQLite file)")
    parser.add_argument("--reuse", default="",
                        help="time a database kept by --keep (its full URL): migrated to the "
                             "head, not seeded, never dropped")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ideas-bench-"))
    if options.reuse:
        url, pg_name = options.reuse, None
    else:
        url, pg_name = _database(folder, options.database_url)
    app = None
    try:
        app = create_app({
            "INSTANCE_PATH": folder, "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench", "PSEUDONYM_KEY": "bench", "RATELIMIT_ENABLED": False,
            # Every page rendered: this times the queries and templates, not the page cache
            # (bench/pages.py times the site as served, the cache included).
            "PAGE_CACHE_SECONDS": 0,
        })
        from flask_migrate import upgrade

        with app.app_context():
            upgrade(revision="heads")
        print(f"database: {make_url(url).get_backend_name()}")
        if not options.reuse:
            seed(app, options.ideas, random.Random(2026))
        print(f"load average: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
        bench_pages(app, options.runs)
        bench_search(app, options.runs)
        print(f"load average: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
    finally:
        if app is not None:
            with app.app_context():
                db.engine.dispose()
        if options.reuse:
            shutil.rmtree(folder, ignore_errors=True)  # only the app's instance files
        elif options.keep:
            print(f"\ndatabase kept: {pg_name or folder}")
        else:
            _discard(options.database_url, pg_name, folder)


if __name__ == "__main__":
    main()
