"""One ballot per voter per budget under concurrent casts, through the app, on both databases.

On PostgreSQL 100 threads cast for the same voter at once; SQLite serialises every write in one
file, so the same test runs there with 20 threads (the constraint logic is the same).
"""

from __future__ import annotations

import threading

import sqlalchemy as sa

from participation.budgeting.models import BallotEnvelope, VoterRollEntry
from participation.extensions import db
from participation.indicators.models import ParticipationEvent
from tests.budgeting.builders import pb_fixture, sealed_ballots  # noqa: F401  (pb)
from tests.conftest import DB_KIND

THREADS = 100 if DB_KIND == "postgresql" else 20


def _session_cookie(client, app) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def test_concurrent_casts_for_one_voter_end_with_one_ballot(app, client, pb, factory, auth):
    ref = pb.round()
    city = ref.proposals["city"]
    voter = factory.user()
    auth.login(voter.email)
    cookie = _session_cookie(client, app)
    url = f"/budgeting/{ref.id}/vote/{ref.budget()}/cast"
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def cast(number: int) -> None:
        own = app.test_client()
        own.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        try:
            barrier.wait(timeout=30)
            choice = city[number % len(city)]
            statuses.append(own.post(url, data={"choice": f"{choice}:1"}).status_code)
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=cast, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(statuses) == THREADS
    assert all(status == 302 for status in statuses), sorted(set(statuses))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VoterRollEntry)) == 1
        events = db.session.scalar(sa.select(sa.func.count()).select_from(ParticipationEvent))
        assert events == 1
    [ballot] = sealed_ballots(app)
    assert len(ballot["choices"]) == 1


def test_the_database_refuses_a_second_envelope_for_one_voter(app, pb):
    ref = pb.round()
    with app.app_context():
        for number in range(2):
            db.session.add(BallotEnvelope(id=f"{number}".ljust(32, "0"), round_id=ref.id,
                                          budget_id=ref.budget(), lookup="h" * 64,
                                          channel="web", sealed=b"x"))
        try:
            db.session.flush()
        except sa.exc.IntegrityError:
            db.session.rollback()
        else:
            raise AssertionError("two envelopes with the same lookup hash were accepted")
        # Paper sheets have no lookup hash (NULL): those never collide.
        for number in range(2):
            db.session.add(BallotEnvelope(id=f"{number}".ljust(32, "1"), round_id=ref.id,
                                          budget_id=ref.budget(), lookup=None,
                                          channel="paper", sheet_number=number + 1,
                                          sealed=b"x"))
        db.session.flush()
        db.session.rollback()
