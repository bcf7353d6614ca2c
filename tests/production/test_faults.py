"""Faults: the app server is SIGKILLed while voters cast ballots from many threads; after a
restart every ballot whose cast returned success counts exactly once and no ballot is partial.

Counted through the voter roll and the number of ballots (and choices) per budget, so the check
holds whatever the ballot storage looks like inside.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from participation.budgeting.voting.models import VoterRollEntry
from participation.extensions import db
from tests.budgeting.builders import (
    pb_fixture,  # noqa: F401  (the pb fixture)
    sealed_ballots,
)
from tests.conftest import DB_KIND
from tests.factories import DEFAULT_PASSWORD

from .servers import Browser, Server

VOTERS = 48 if DB_KIND == "postgresql" else 32
THREADS = 8


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 comes back as the answer itself


def _cast(visitor: Browser, url: str, proposal_id: int, token: str) -> str:
    """'ok' (302 to the receipt), 'refused' (any other answer) or 'lost' (no answer)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(visitor.cookies), _NoRedirect)
    body = urllib.parse.urlencode({"choice": f"{proposal_id}:1", "csrf_token": token}).encode()
    try:
        with opener.open(url, data=body, timeout=30) as answer:
            return "refused" if answer.status != 302 else "ok"
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location", "")
        return "ok" if error.code == 302 and location.endswith("/done") else "refused"
    except OSError:
        return "lost"


def _sign_in(server: Server, email: str) -> tuple[Browser, str]:
    visitor = Browser()
    token = visitor.csrf(server.base + "/login")
    status, _page, url = visitor.request(server.base + "/login", {
        "csrf_token": token, "email": email, "password": DEFAULT_PASSWORD})
    assert status == 200 and not url.endswith("/login"), f"{email} could not sign in"
    return visitor, visitor.csrf(server.base + "/profile")


def _counts(app, budget_id: int) -> tuple[set[int], int, int]:
    """(voters on the roll, sealed ballots, choices inside them) of one budget. While voting
    is open a ballot is a sealed envelope: it is opened with the round's key, as closing would,
    so a torn envelope would fail here."""
    with app.app_context():
        db.session.remove()
        roll = db.session.scalars(sa.select(VoterRollEntry.user_id).where(
            VoterRollEntry.budget_id == budget_id)).all()
        db.session.remove()
    ballots = [b for b in sealed_ballots(app) if b["budget_id"] == budget_id]
    assert len(roll) == len(set(roll)), "a voter is on the roll twice"
    return set(roll), len(ballots), sum(len(b["choices"]) for b in ballots)


def test_server_killed_mid_load_loses_no_successful_ballot(app, pb, factory, database_url,
                                                           tmp_path):
    ref = pb.round()
    budget_id, proposals = ref.budget(), ref.proposals["city"]
    voters = [factory.user(email=f"kill-voter-{n}@example.org") for n in range(VOTERS)]
    server = Server(database_url, tmp_path / "server", {
        "PARTICIPATION_RATELIMIT_ENABLED": "false",
        # The round's keys: one folder for the server and the test, as every app server shares.
        "PARTICIPATION_BALLOT_KEY_DIR": str(app.config["BALLOT_KEY_DIR"])},
        workers=2, threads=4).start()
    url = f"{server.base}/budgeting/{ref.id}/vote/{budget_id}/cast"
    try:
        signed_in = {voter.id: _sign_in(server, voter.email) for voter in voters}
        outcome: dict[int, str] = {}
        killed = threading.Event()
        lock = threading.Lock()

        def cast(voter_id: int, number: int) -> None:
            visitor, token = signed_in[voter_id]
            result = _cast(visitor, url, proposals[number % len(proposals)], token)
            with lock:
                outcome[voter_id] = result
                done = sum(1 for value in outcome.values() if value == "ok")
            if done >= VOTERS // 3 and not killed.is_set():
                killed.set()
                server.kill()  # SIGKILL, master and workers, with casts in flight

        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(cast, [v.id for v in voters], range(VOTERS)))
        assert killed.is_set()
        succeeded = {voter for voter, result in outcome.items() if result == "ok"}
        assert VOTERS // 3 <= len(succeeded) < VOTERS, "the kill did not land mid-load"
        assert "refused" not in outcome.values()

        server.start()  # same database, same instance folder (same keys)
        roll, ballots, choices = _counts(app, budget_id)
        assert succeeded <= roll, "a ballot that was confirmed is missing after the crash"
        assert ballots == len(roll) == choices, "a partial ballot survived the crash"

        again = [voter for voter in signed_in if voter not in roll]
        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(lambda v: _cast(signed_in[v][0], url, proposals[0],
                                                    signed_in[v][1]), again))
        assert set(results) <= {"ok"}, results
        roll, ballots, choices = _counts(app, budget_id)
        assert roll == set(signed_in) and ballots == VOTERS == choices
    finally:
        server.stop()
