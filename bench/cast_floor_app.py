"""The least a secret ballot cast can do, as a bare Flask app: the floor under the cast target.

Served by `bench/cast_floor.py` under the same gunicorn settings as the site and hello. Each
POST /cast does what no cast can skip, with nothing else around it: the signed session cookie
opened (who is voting), the CSRF token compared, then in one PostgreSQL transaction on its own
psycopg connection (one per thread, no pool, no ORM): the voter's row, the closing check
(`FOR SHARE` on the round), the voter's roll entry (`FOR UPDATE`, inserted on a first cast),
the proposals' costs (the ballot checked against the budget), the old envelope deleted and the
new one inserted (the choices and a receipt sealed with libsodium's sealed box, found again
by an HMAC lookup), and the commit. It answers with the redirect to a receipt page, as the
site does. No eligibility rules, rate limits, templates, translations or events.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading

import psycopg
from flask import Flask, abort, redirect, request, session
from nacl.public import PrivateKey, SealedBox

app = Flask(__name__)
app.secret_key = os.environ.get("FLOOR_SECRET", "floor-secret")
DATABASE = os.environ.get("FLOOR_DATABASE_URL", "")
ROUND_ID, BUDGET_ID, BUDGET_AMOUNT = 1, 1, 10_000_000
LOOKUP_KEY = b"floor-lookup-key"
BOX = SealedBox(PrivateKey.generate().public_key)
_local = threading.local()


def connection() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = _local.conn = psycopg.connect(DATABASE)
    return conn


def _check_voter(cur, user_id: int) -> None:
    """The signed-in voter's row (the site's user loader reads it on every request)."""
    if cur.execute("SELECT id FROM floor_user WHERE id = %s", (user_id,)).fetchone() is None:
        abort(403)


@app.post("/cast")
def cast():
    user_id = session.get("uid")
    token = request.form.get("csrf_token", "")
    if user_id is None or not hmac.compare_digest(token, session.get("csrf", "")):
        abort(400)
    try:
        choices = sorted({int(value.partition(":")[0]) for value in request.form.getlist("choice")})
    except ValueError:
        abort(400)
    conn = connection()
    with conn.transaction(), conn.cursor() as cur:
        _check_voter(cur, user_id)
        closed = cur.execute("SELECT closed_at FROM floor_round WHERE id = %s FOR SHARE",
                             (ROUND_ID,)).fetchone()
        if closed is None or closed[0] is not None:
            abort(409)
        entry = cur.execute("SELECT id FROM floor_roll WHERE budget_id = %s AND user_id = %s "
                            "FOR UPDATE", (BUDGET_ID, user_id)).fetchone()
        if entry is None:
            cur.execute("INSERT INTO floor_roll (budget_id, user_id) VALUES (%s, %s) "
                        "ON CONFLICT DO NOTHING RETURNING id", (BUDGET_ID, user_id))
        costs = dict(cur.execute("SELECT id, cost FROM floor_proposal WHERE budget_id = %s",
                                 (BUDGET_ID,)).fetchall())
        if not choices or any(c not in costs for c in choices) \
                or sum(costs[c] for c in choices) > BUDGET_AMOUNT:
            abort(422)
        lookup = hmac.new(LOOKUP_KEY, f"{ROUND_ID}|{BUDGET_ID}|{user_id}".encode(),
                          hashlib.sha256).hexdigest()
        if entry is not None:
            cur.execute("DELETE FROM floor_envelope WHERE budget_id = %s AND lookup = %s",
                        (BUDGET_ID, lookup))
        receipt = secrets.token_hex(6)
        sealed = BOX.encrypt(json.dumps({"choices": choices, "receipt": receipt}).encode())
        cur.execute("INSERT INTO floor_envelope (id, budget_id, lookup, sealed) "
                    "VALUES (%s, %s, %s, %s)", (secrets.token_hex(16), BUDGET_ID, lookup, sealed))
    return redirect(f"/cast/{receipt}/done")


BALLOT = """<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Ballot</title>
<link rel="stylesheet" href="/static/site.css"></head><body><header><nav><a href="/">Home</a>
<a href="/ideas">Ideas</a><a href="/budgeting">Budgeting</a></nav></header><main>
<h1>Ballot: {{ budget }}</h1><p>Choose the proposals you want carried out.</p>
{% if voted %}<p class="flash">You have already voted in this budget.</p>{% endif %}
<ul class="pb-ballot-list">{% for p in proposals %}
<li class="pb-item" id="proposal-{{ p.id }}"><h2 id="proposal-{{ p.id }}-title">{{ p.title }}</h2>
<p class="pb-item-cost">{{ p.cost | euros }}</p><details class="pb-more"><summary>Read more
<span class="visually-hidden">: {{ p.title }}</span></summary><div><p>{{ p.description }}</p></div>
<p><a href="/budgeting/proposals/{{ p.id }}">The proposal's own page</a></p></details>
<form method="post" action="/ballot"><input type="hidden" name="csrf_token" value="{{ token }}">
<input type="hidden" name="proposal" value="{{ p.id }}"><button type="submit" name="action"
value="add" class="button">Add to ballot<span class="visually-hidden">: {{ p.title }}</span>
</button></form></li>{% endfor %}</ul></main></body></html>"""
app.jinja_env.filters["euros"] = lambda value: f"{value:,} €".replace(",", "\u00a0")
_ballot = app.jinja_env.from_string(BALLOT)


@app.get("/ballot")
def ballot():
    """The ballot page's floor: the voter, their roll entry and the budget's proposals (three
    statements), the list rendered with Jinja (no translations, no layout macros) and padded
    to 64 KiB as the site pads it."""
    user_id = session.get("uid")
    if user_id is None:
        abort(403)
    conn = connection()
    with conn.transaction(), conn.cursor() as cur:
        _check_voter(cur, user_id)
        voted = cur.execute("SELECT id FROM floor_roll WHERE budget_id = %s AND user_id = %s",
                            (BUDGET_ID, user_id)).fetchone() is not None
        rows = cur.execute("SELECT id, title, description, cost FROM floor_proposal "
                           "WHERE budget_id = %s ORDER BY id", (BUDGET_ID,)).fetchall()
    proposals = [{"id": r[0], "title": r[1], "description": r[2], "cost": r[3]} for r in rows]
    html = _ballot.render(budget="Koko Espoo", proposals=proposals, voted=voted,
                          token=session.get("csrf", "")).encode()
    size = len(html) + 9
    return html.replace(b"</body>", b"<!-- " + b" " * (-(-size // 65536) * 65536 - size)
                        + b" --></body>")


@app.get("/healthz")
def healthz():
    return "ok"


SCHEMA = """
CREATE TABLE floor_user (id integer PRIMARY KEY);
CREATE TABLE floor_round (id integer PRIMARY KEY, closed_at timestamptz);
CREATE TABLE floor_proposal (id integer PRIMARY KEY, budget_id integer NOT NULL, cost integer,
                             title text, description text);
CREATE INDEX ON floor_proposal (budget_id);
CREATE TABLE floor_roll (id serial PRIMARY KEY, budget_id integer NOT NULL,
                         user_id integer NOT NULL, UNIQUE (budget_id, user_id));
CREATE TABLE floor_envelope (id varchar(32) PRIMARY KEY, budget_id integer NOT NULL,
                             lookup varchar(64) NOT NULL, sealed bytea NOT NULL,
                             UNIQUE (budget_id, lookup));
"""
