"""In-process cost of one ballot cast: CPU ms and database statements per request.

    .venv/bin/python bench/cast_cpu.py [--database-url postgresql://postgres@127.0.0.1:5432/test]
        [--voters 200] [--statements] [--profile re-cast]

Builds a round in its voting phase (one city budget, 20 proposals) in a new database (a
temporary SQLite file, or a PostgreSQL database made on the URL's server and dropped
afterwards), signs --voters distinct people in with Flask's test client, then posts, for each
voter in turn: a first cast, a re-cast (the ballot replaced) and a refused cast (a proposal that
is not on the ballot), and the ballot page. Each request is timed with the process's CPU clock
(the database server's own CPU is not counted) and its SQL statements are counted
(SQLAlchemy's before_cursor_execute). CSRF and rate limits are off; everything else is as
served. --statements prints the statements of the last voter's requests; --profile KIND
profiles one kind of request by CPU time instead (BENCH_SORT and BENCH_FILTER: pstats' sort key
and a regular expression for the file names shown).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench.ideas_list import _database, _discard  # noqa: E402
from participation import create_app  # noqa: E402
from participation.extensions import db  # noqa: E402

CITY_PROPOSALS = 20


def prepare(url: str, instance: Path, voters: int):
    from flask_migrate import upgrade

    from tests.budgeting.builders import PB
    from tests.factories import Factory

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance,
                      "SECRET_KEY": "bench", "PSEUDONYM_KEY": "bench", "JOBS_BACKEND": "inline",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024})
    with app.app_context():
        upgrade()
    factory = Factory(app)
    ref = PB(app, factory).round(budgets={"city": 10_000_000},
                                 costs={"city": [100_000] * CITY_PROPOSALS})
    people = [factory.user(email=f"cast-voter-{n}@example.org") for n in range(voters)]
    return app, ref, people


class Counter:
    """Statements sent to the database while `on`."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.statements: list[str] = []
        self.profile = None  # (cProfile.Profile, kind of request) while profiling
        sa.event.listen(self.engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, _parameters, _context, _executemany):
        self.statements.append(statement)

    def measure(self, request, kind: str = ""):
        """(response, CPU ms, wall ms, statements) of one request."""
        self.statements = []
        if self.profile is not None and self.profile[1] == kind:
            self.profile[0].enable()
            try:
                return request(), 0.0, 0.0, []
            finally:
                self.profile[0].disable()
        cpu, wall = time.process_time(), time.perf_counter()
        response = request()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        return response, cpu * 1000, wall * 1000, list(self.statements)


def sign_in(app, people):
    clients = []
    for person in people:
        client = app.test_client()
        answer = client.post("/login", data={"email": person.email,
                                             "password": person.password})
        if answer.status_code != 302:
            raise SystemExit(f"could not sign {person.email} in ({answer.status_code})")
        clients.append(client)
    return clients


def run(app, ref, clients, counter: Counter) -> dict[str, dict]:
    budget = ref.budget()
    cast = f"/budgeting/{ref.id}/vote/{budget}/cast"
    page = f"/budgeting/{ref.id}/vote/{budget}"
    city = ref.proposals["city"]
    kinds = {
        "first cast": lambda n: {"choice": [str(city[n % 20]), str(city[(n + 7) % 20])]},
        "re-cast": lambda n: {"choice": [str(city[(n + 3) % 20])]},
        "refused cast": lambda n: {"choice": [str(max(city) + 1000)]},
    }
    figures: dict[str, dict] = {}
    for kind, form in kinds.items():
        rows = []
        for number, client in enumerate(clients):
            answer, cpu, wall, statements = counter.measure(
                lambda c=client, n=number, f=form: c.post(cast, data=f(n)), kind)
            done = answer.headers.get("Location", "").endswith("/done")
            if done != (kind != "refused cast"):
                raise SystemExit(f"{kind}: unexpected answer {answer.status_code} "
                                 f"{answer.headers.get('Location')}")
            rows.append((cpu, wall, statements))
        figures[kind] = rows
    rows = []
    for client in clients:
        answer, cpu, wall, statements = counter.measure(lambda c=client: c.get(page),
                                                        "ballot page")
        if answer.status_code != 200:
            raise SystemExit(f"ballot page: {answer.status_code}")
        rows.append((cpu, wall, statements))
    figures["ballot page"] = rows
    return figures


def report(figures: dict, show_statements: bool) -> None:
    print(f"{'request':14} {'statements':>10} {'CPU ms median':>14} {'mean':>7} "
          f"{'wall ms median':>15}")
    for kind, rows in figures.items():
        rows = rows[len(rows) // 10:]  # the first tenth warms caches up: not counted
        counts = sorted({len(statements) for _cpu, _wall, statements in rows})
        cpu = [row[0] for row in rows]
        wall = [row[1] for row in rows]
        print(f"{kind:14} {'/'.join(map(str, counts)):>10} {statistics.median(cpu):14.2f} "
              f"{statistics.fmean(cpu):7.2f} {statistics.median(wall):15.2f}")
    if show_statements:
        for kind, rows in figures.items():
            print(f"\n--- {kind}: {len(rows[-1][2])} statements")
            for statement in rows[-1][2]:
                print("  " + " ".join(statement.split())[:160])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--statements", action="store_true")
    parser.add_argument("--profile", default="", metavar="KIND",
                        help="profile one kind of request (e.g. 're-cast') by CPU time")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="participation-castcpu-"))
    url, made = _database(folder, args.database_url or None)
    try:
        app, ref, people = prepare(url, folder / "instance", args.voters)
        clients = sign_in(app, people)
        counter = Counter(app)
        print(f"{'postgresql' if made else 'sqlite'}, {len(clients)} voters, "
              f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        if args.profile:
            import cProfile
            import pstats

            counter.profile = cProfile.Profile(time.process_time), args.profile
            run(app, ref, clients, counter)
            stats = pstats.Stats(counter.profile[0])  # BENCH_SORT, BENCH_FILTER: see pstats
            stats.sort_stats(os.environ.get("BENCH_SORT", "tottime"))
            stats.print_stats(os.environ.get("BENCH_FILTER", ""), 60)
        else:
            report(run(app, ref, clients, counter), args.statements)
        with app.app_context():
            db.engine.dispose()
    finally:
        _discard(args.database_url, made, folder)


if __name__ == "__main__":
    main()
