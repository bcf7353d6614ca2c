"""HTTP benchmark: pages and ballot casting against a bare Flask "hello" in the same run.

    .venv/bin/python bench/pages.py [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
        [--seconds 10] [--connections 32] [--large 100000] [--voters 400]

Serves the site and `bench/hello.py` with gunicorn.conf.py (the same workers and threads),
loads each URL with wrk on loopback for --seconds, and prints requests/s, p95 and the ratio to
hello's requests/s. The site runs as in production, with its page cache for anonymous
visitors (PAGE_CACHE_SECONDS at its default); each anonymous page is also timed with a query
string that is new on every request (`wrk_page.lua`, BENCH_UNCACHED=1): rendered every time. The
database is new (a temporary SQLite file, or a PostgreSQL database made for the run on the
URL's server and dropped afterwards), seeded with the demo data, a round in its voting phase,
1,000 ideas and then --large ideas for the second idea-list run.
Writes bench/results.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.ideas_list import _database, _discard, _rows, seed  # noqa: E402
from participation import create_app  # noqa: E402
from participation.config import default_config  # noqa: E402
from participation.core.models import Area  # noqa: E402
from participation.extensions import db  # noqa: E402
from participation.ideas.models import Idea, Theme  # noqa: E402
from tests.production.servers import Browser, Server  # noqa: E402

RESULT = re.compile(r"RESULT ([\d.]+) ([\d.]+) (\d+) (\d+)")
WRONG = re.compile(r"WRONG (\d+)")
# Signed-in sessions are bound to the browser ("strong" session protection): wrk must send
# the User-Agent the voters signed in with, or it times the redirect to the login page.
USER_AGENT = "osallistu-bench/1"
TARGETS = {"page_ratio": 0.10, "cast_ratio": 0.25, "cast_p95_ms": 100, "scale": 1 / 1.3,
           "worker_rss_mb": 200}


def wrk(url: str, seconds: int, connections: int, *, script: str = "wrk_page.lua",
        headers: dict[str, str] | None = None, env: dict[str, str] | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(BENCH / script), url]
    for name, value in (headers or {}).items():
        command[1:1] = ["-H", f"{name}: {value}"]
    done = subprocess.run(command, capture_output=True, text=True,
                          env={**os.environ, "BENCH_LUA_DIR": str(BENCH), **(env or {})},
                          timeout=seconds + 60)
    found = RESULT.search(done.stdout)
    if not found:
        raise SystemExit(f"wrk gave no result for {url}: {done.stdout}{done.stderr}")
    rps, p95, errors, requests = found.groups()
    wrong = WRONG.search(done.stdout)  # pages: not 200; casts: not the receipt redirect
    return {"rps": float(rps), "p95_ms": float(p95), "errors": int(errors),
            "requests": int(requests), "wrong": int(wrong.group(1)) if wrong else 0}


def prepare(url: str, instance: Path, voters: int):
    """Migrate, seed the demo, a voting round and 1,000 ideas; make the voters."""
    from flask_migrate import upgrade

    from participation.demo import seed_demo_data
    from tests.budgeting.builders import PB
    from tests.factories import Factory

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance,
                      "SECRET_KEY": "bench", "PSEUDONYM_KEY": "bench", "JOBS_BACKEND": "inline",
                      "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024})
    with app.app_context():
        upgrade()
    with app.test_request_context():
        seed_demo_data(progress=lambda _message: None)
        db.session.commit()
    ref = PB(app, Factory(app)).round(budgets={"city": 10_000_000},
                                      costs={"city": [100_000] * 20})
    seed(app, 1000, random.Random(1))
    people = [Factory(app).user(email=f"bench-voter-{n}@example.org") for n in range(voters)]
    return app, ref, people


def more_ideas(app, count: int) -> None:
    """Add `count` ideas; on SQLite, wait while the server finishes the casts still queued
    (each holds the database's write lock for a moment)."""
    for attempt in range(10):
        try:
            return _insert_ideas(app, count)
        except sa.exc.OperationalError:
            if attempt == 9:
                raise
            time.sleep(3)


def _insert_ideas(app, count: int) -> None:
    rng = random.Random(2)
    with app.app_context():
        ids = {name: list(db.session.scalars(sa.select(model.id))) for name, model in
               (("area_ids", Area), ("theme_ids", Theme))}
        users = list(db.session.scalars(sa.text("SELECT id FROM \"user\" LIMIT 500")))
        for start in range(0, count, 5000):
            db.session.execute(sa.insert(Idea), list(_rows(
                rng, min(5000, count - start), 1000 + start, user_ids=users,
                now=datetime.now(UTC), **ids)))
        db.session.commit()
        if db.engine.dialect.name != "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
            return
        # PostgreSQL: vacuum and checkpoint now, or autovacuum (inserts past its threshold)
        # and the checkpointer do it during the timed 100,000-idea run, on the same two cores
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM (ANALYZE)"))
            connection.execute(sa.text("CHECKPOINT"))


def sign_in(server: Server, people) -> list[tuple[str, str]]:
    signed = []
    for person in people:
        visitor = Browser()
        visitor.opener.addheaders = [("User-Agent", USER_AGENT)]
        token = visitor.csrf(server.base + "/login")
        visitor.request(server.base + "/login", {"csrf_token": token, "email": person.email,
                                                 "password": person.password})
        token = visitor.csrf(server.base + "/profile")
        cookie = "; ".join(f"{c.name}={c.value}" for c in visitor.cookies)
        signed.append((cookie, token))
    return signed


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def first_status(url: str, headers: dict[str, str]) -> int:
    """The status of one GET, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def worker_rss_mb(server: Server) -> float:
    """Resident memory of the largest gunicorn worker (children of the master)."""
    largest = 0
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    for pid in children.read_text().split():
        status = Path(f"/proc/{pid}/status").read_text()
        largest = max(largest, int(re.search(r"VmRSS:\s+(\d+)", status).group(1)))
    return round(largest / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--voters", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per worker, for hello and the site alike")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="participation-bench-"))
    url, made = _database(folder, args.database_url or None)
    ttl = default_config(folder)["PAGE_CACHE_SECONDS"]  # production's page cache, as shipped
    env = {"PARTICIPATION_RATELIMIT_ENABLED": "false", "PARTICIPATION_JOBS_BACKEND": "inline",
           "PARTICIPATION_PAGE_CACHE_SECONDS": str(ttl)}
    cores = len(os.sched_getaffinity(0))
    workers = 2 * cores + 1
    hello = site = None
    try:
        app, ref, people = prepare(url, folder / "instance", args.voters)
        hello = Server(url, folder / "hello", env, workers=workers, threads=args.threads)
        hello.spawn(wsgi="bench.hello:app")
        hello.wait_ready(path="/")
        site = Server(url, folder / "instance", env, workers=workers, threads=args.threads).start()
        def run(path, **kw):
            wrk(site.base + path, 1, args.connections, **kw)  # warm-up, not counted
            figure = wrk(site.base + path, args.seconds, args.connections, **kw)
            print(f"  {path} {kw.get('env') or ''}: {figure['rps']:.1f} req/s, "
                  f"p95 {figure['p95_ms']:.1f} ms", flush=True)
            return figure

        hellos: list[float] = []

        def hello_now() -> float:
            rps = wrk(hello.base + "/", args.seconds, args.connections,
                      script="wrk_report.lua")["rps"]
            hellos.append(rps)
            return rps

        def beside_hello(path, *, fresh: bool = False, **kw):
            """A run between two hello runs: (figure, the mean of those two hellos). This
            machine's speed drifts from minute to minute (other sessions' work): each figure
            is compared with the hello of its own minutes. Consecutive runs share the hello
            between them; `fresh`: time a new one first (after a pause for other work)."""
            before = hello_now() if fresh or not hellos else hellos[-1]
            figure = run(path, **kw)
            return figure, (before + hello_now()) / 2

        started = datetime.now(UTC).isoformat(timespec="seconds")
        load = round(os.getloadavg()[0], 2)
        print(f"load average at the start: {load} on {cores} cores")
        wrk(hello.base + "/", 1, args.connections, script="wrk_report.lua")
        first = hello_now()
        print(f"hello: {first:.0f} req/s ({cores} cores, {workers} workers x {args.threads} "
              "threads)")
        voters = sign_in(site, people)
        cookie = {"Cookie": voters[0][0], "User-Agent": USER_AGENT}
        budget = ref.budget()
        pages = {
            "home": ("/", {}), "idea_list": ("/ideas", {}),
            "idea_search": ("/ideas?q=puisto+penkki&sort=relevance", {}),
            "idea_page": ("/ideas/1", {}),
            "round_page": (f"/budgeting/{ref.id}", {}),
            "ballot_page": (f"/budgeting/{ref.id}/vote/{budget}", cookie),
        }
        for name, (path, headers) in pages.items():  # a redirect (e.g. to the login page)
            status = first_status(site.base + path, headers)  # would time the wrong page
            if status != 200:
                raise SystemExit(f"{name}: {path} answers {status}, not 200")
        figures = {name: beside_hello(path, headers=headers)
                   for name, (path, headers) in pages.items()}
        uncached = {name: beside_hello(path, env={"BENCH_UNCACHED": "1"})
                    for name, (path, headers) in pages.items() if not headers}
        list_1k, hello_1k = uncached["idea_list"]
        lua = folder / "voters.lua"
        lua.write_text("return {proposals = {" + ", ".join(map(str, ref.proposals["city"]))
                       + "},\n" + ",\n".join(f'{{cookie = "{c}", token = "{t}"}}'
                                             for c, t in voters) + "}\n")
        cast, hello_cast = beside_hello(
            f"/budgeting/{ref.id}/vote/{budget}/cast", script="wrk_cast.lua",
            env={"BENCH_VOTERS": str(lua), "BENCH_USER_AGENT": USER_AGENT,
                 "BENCH_CAST_PATH": f"/budgeting/{ref.id}/vote/{budget}/cast"})
        more_ideas(app, args.large - 1000)
        large_uncached, hello_large = beside_hello("/ideas", fresh=True,
                                                   env={"BENCH_UNCACHED": "1"})
        time.sleep(ttl)  # the 1k list the workers hold has expired
        large = run("/ideas")
        rss = worker_rss_mb(site)
    finally:
        for server in (site, hello):
            if server is not None:
                server.stop()
        _discard(args.database_url, made, folder)

    def answers(value: dict, wrong: str) -> str:
        note = f"{value['errors']} errors"
        return note + (f", {value['wrong']} {wrong}: NOT MEASURED" if value["wrong"] else "")

    def ratios_of(runs: dict) -> dict[str, float]:
        return {name: round(value["rps"] / around, 4) for name, (value, around) in runs.items()}

    ratios, ratios_uncached = ratios_of(figures), ratios_of(uncached)
    for name, (value, around) in figures.items():
        mark = "ok" if ratios[name] >= TARGETS["page_ratio"] else "BELOW TARGET"
        print(f"{name:12} {value['rps']:8.1f} req/s  p95 {value['p95_ms']:7.1f} ms  "
              f"{ratios[name]:6.1%} of hello ({around:.0f} around it)  {mark}  "
              f"({answers(value, 'not 200')})")
    for name, (value, around) in uncached.items():
        print(f"{name:12} {value['rps']:8.1f} req/s  p95 {value['p95_ms']:7.1f} ms  "
              f"{ratios_uncached[name]:6.1%} of hello ({around:.0f} around it)  rendered "
              f"every time, not cached  ({answers(value, 'not 200')})")
    cast_ratio = round(cast["rps"] / hello_cast, 4)
    print(f"ballot cast  {cast['rps']:8.1f} req/s  p95 {cast['p95_ms']:7.1f} ms  "
          f"{cast_ratio:6.1%} of hello ({hello_cast:.0f} around it; target 25%, p95 < 100 ms)"
          f"  ({answers(cast, 'not cast')})")
    # The scale target is about rendering: compare the uncached lists, each as a share of the
    # hello measured around it.
    scale = round((list_1k["rps"] / hello_1k) / (large_uncached["rps"] / hello_large), 3) \
        if large_uncached["rps"] else None
    print(f"idea list 1,000 ideas: {list_1k['rps']:.1f} req/s rendered every time (hello "
          f"around it {hello_1k:.0f}); {args.large:,} ideas: {large['rps']:.1f} req/s cached, "
          f"{large_uncached['rps']:.1f} rendered every time (hello around it "
          f"{hello_large:.0f}); 1k / large, each against its hello = {scale} (target <= 1.3)")
    print(f"largest worker after the load: {rss} MB")
    results = {
        "cores": cores, "database": "postgresql" if made else "sqlite",
        "hello_rps": statistics.median(hellos), "hello_rps_runs": hellos,
        "page_ratios": ratios,
        "page_rps": {name: value["rps"] for name, (value, _around) in figures.items()},
        "page_hello_rps": {name: round(around, 1) for name, (_value, around) in
                           {**figures, "ballot_cast": (cast, hello_cast)}.items()},
        "page_cache_seconds": ttl, "page_ratios_uncached": ratios_uncached,
        "page_rps_uncached": {name: value["rps"] for name, (value, _around) in
                              uncached.items()},
        "ballot_cast_rps": cast["rps"], "ballot_cast_ratio": cast_ratio,
        "ballot_cast_p95_ms": cast["p95_ms"], "ballot_cast_errors": cast["errors"],
        "ballot_cast_not_cast": cast["wrong"],
        "pages_not_200": {name: value["wrong"] for name, value in
                          {**{name: figure for name, (figure, _around) in figures.items()},
                           "idea_list_large": large}.items() if value["wrong"]},
        "idea_list_1k_rps": figures["idea_list"][0]["rps"], "idea_list_100k_rps": large["rps"],
        "idea_list_1k_rps_uncached": list_1k["rps"],
        "idea_list_100k_rps_uncached": large_uncached["rps"],
        "idea_list_hello_rps": {"1k": round(hello_1k, 1), "100k": round(hello_large, 1)},
        "idea_list_scale_ratio": scale, "worker_rss_mb": rss,
        "seconds_per_run": args.seconds, "connections": args.connections,
        "pages_load_average": load, "pages_measured_at": started,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    # bench/tally.py and bench/indicators.py (run before this by `make bench`) wrote their
    # own keys: keep them; a key none of them has measured yet stays null
    path = BENCH / "results.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    for key in ("tally_max_seconds", "tally_min_speedup_vs_pabutools", "tally_peak_mb",
                "indicators_1m_events_seconds"):
        previous.setdefault(key, None)
    previous.update(results)
    path.write_text(json.dumps(previous, indent=2, sort_keys=True) + "\n")
    print(f"wrote {BENCH / 'results.json'}")


if __name__ == "__main__":
    main()
