"""The floor under the cast target: the least a secret ballot cast can do, against hello.

    .venv/bin/python bench/cast_floor.py [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
        [--seconds 10] [--connections 32] [--voters 400]

Serves `bench/cast_floor_app.py` (a bare Flask cast: session cookie, CSRF, raw psycopg, the
statements no cast can skip, a sealed envelope, one commit) and `bench/hello.py` with
gunicorn.conf.py's settings, and loads both with wrk on loopback, the floor with the same
wrk_cast.lua as bench/pages.py (distinct voters, each with their own cookie and token). If the
floor itself is below the target ratio (25 % of hello, p95 < 100 ms at 32 voters), no
implementation of the site's cast in Python and Flask on this machine can meet it.
Writes `ballot_cast_floor_rps`, `ballot_cast_floor_ratio` and `ballot_cast_floor_p95_ms` into
bench/results.json (other keys kept).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench.cast_floor_app import SCHEMA, app  # noqa: E402
from bench.ideas_list import _database, _discard  # noqa: E402
from bench.pages import wrk  # noqa: E402
from tests.production.servers import Server  # noqa: E402

PROPOSALS = list(range(1, 21))
DESCRIPTION = ("Uusi leikkipuisto, penkkejä ja valaistus asukkaiden toiveiden mukaan. " * 6).strip()


def prepare(url: str, voters: int) -> str:
    """The schema and rows; the driver's URL (psycopg's own form)."""
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as conn:
        conn.execute(SCHEMA)
        conn.execute("INSERT INTO floor_round (id) VALUES (1)")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO floor_user (id) VALUES (%s)",
                            [(n,) for n in range(1, voters + 1)])
            cur.executemany(
                "INSERT INTO floor_proposal (id, budget_id, cost, title, description) "
                "VALUES (%s, 1, %s, %s, %s)",
                [(p, 100_000, f"Ehdotus {p}: leikkipuisto ja penkit", DESCRIPTION)
                 for p in PROPOSALS])
    return plain


def voter_file(folder: Path, voters: int) -> Path:
    """wrk_cast.lua's voters: a session cookie signed the way Flask signs it, and its token."""
    serializer = app.session_interface.get_signing_serializer(app)
    rows = []
    for uid in range(1, voters + 1):
        token = secrets.token_hex(16)
        cookie = serializer.dumps({"uid": uid, "csrf": token})
        rows.append(f'{{cookie = "session={cookie}", token = "{token}"}}')
    path = folder / "voters.lua"
    path.write_text("return {proposals = {" + ", ".join(map(str, PROPOSALS)) + "},\n"
                    + ",\n".join(rows) + "}\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--voters", type=int, default=400)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="participation-floor-"))
    url, made = _database(folder, args.database_url)
    cores = len(os.sched_getaffinity(0))
    workers = 2 * cores + 1
    servers = []
    try:
        plain = prepare(url, args.voters)
        env = {"FLOOR_DATABASE_URL": plain, "FLOOR_SECRET": app.secret_key}
        hello = Server(url, folder / "hello", env, workers=workers, threads=4)
        floor = Server(url, folder / "floor", env, workers=workers, threads=4)
        servers = [hello, floor]
        hello.spawn(wsgi="bench.hello:app")
        hello.wait_ready(path="/")
        floor.spawn(wsgi="bench.cast_floor_app:app")
        floor.wait_ready()
        lua = voter_file(folder, args.voters)
        load = round(os.getloadavg()[0], 2)
        wrk(hello.base + "/", 1, args.connections, script="wrk_report.lua")
        base = wrk(hello.base + "/", args.seconds, args.connections, script="wrk_report.lua")
        cast_env = {"BENCH_VOTERS": str(lua), "BENCH_USER_AGENT": "osallistu-bench/1",
                    "BENCH_CAST_PATH": "/cast"}
        wrk(floor.base + "/cast", 1, args.connections, script="wrk_cast.lua", env=cast_env)
        cast = wrk(floor.base + "/cast", args.seconds, args.connections, script="wrk_cast.lua",
                   env=cast_env)
        page_headers = {"Cookie": lua.read_text().split('cookie = "')[1].split('"')[0]}
        wrk(floor.base + "/ballot", 1, args.connections, headers=page_headers)
        page = wrk(floor.base + "/ballot", args.seconds, args.connections, headers=page_headers)
    finally:
        for server in servers:
            server.stop()
        _discard(args.database_url, made, folder)
    if cast["wrong"] or cast["errors"] or page["wrong"] or page["errors"]:
        raise SystemExit(f"the floor answered wrongly: {cast} {page}")
    ratio = round(cast["rps"] / base["rps"], 4)
    page_ratio = round(page["rps"] / base["rps"], 4)
    print(f"load average at the start: {load} on {cores} cores ({workers} workers x 4 threads)")
    print(f"hello        {base['rps']:8.1f} req/s")
    print(f"floor cast   {cast['rps']:8.1f} req/s  p95 {cast['p95_ms']:7.1f} ms  {ratio:6.1%} of "
          f"hello (the target: 25 %, p95 < 100 ms)")
    print(f"floor ballot {page['rps']:8.1f} req/s  p95 {page['p95_ms']:7.1f} ms  "
          f"{page_ratio:6.1%} of hello (the target: 10 %)")
    path = BENCH / "results.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results.update({"ballot_cast_floor_rps": cast["rps"], "ballot_cast_floor_ratio": ratio,
                    "ballot_cast_floor_p95_ms": cast["p95_ms"],
                    "ballot_cast_floor_hello_rps": base["rps"],
                    "ballot_page_floor_rps": page["rps"], "ballot_page_floor_ratio": page_ratio})
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
