"""One ballot per voter per budget under concurrent casts, through the app, on both databases.

On PostgreSQL 100 threads cast for the same voter at once; SQLite serialises every write in one
file, so the same test runs there with 20 threads (the constraint logic is the same).
"""

from __future__ import annotations

import threading

import sqlalchemy as sa

from participation.budgeting.voting.models import BallotEnvelope, VoterRollEntry
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


def test_paper_and_online_at_once_give_one_ballot(app, client, pb, factory, auth):
    """A person casting online in many tabs while staff register them at a service point:
    one roll entry, and after the sheets are entered and voting closes, one ballot."""
    from participation.budgeting.voting.models import Ballot
    from tests.budgeting.test_paper import _enter, _register
    from tests.budgeting.test_secrecy import _close

    ref = pb.round()
    city = ref.proposals["city"]
    person, staff = factory.user(), factory.user(roles=("staff",))
    auth.login(person.email)
    cookie = _session_cookie(client, app)
    url = f"/budgeting/{ref.id}/vote/{ref.budget()}/cast"
    online, desks = THREADS // 2, 4
    barrier = threading.Barrier(online + desks)
    outcomes: list[str] = []

    def cast(number: int) -> None:
        own = app.test_client()
        own.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        barrier.wait(timeout=30)
        response = own.post(url, data={"choice": f"{city[number % 4]}:1"})
        outcomes.append(f"web {response.status_code}")

    def register() -> None:
        barrier.wait(timeout=30)
        try:
            _register(app, ref, person, staff)
            outcomes.append("registered")
        except Exception as error:  # noqa: BLE001  (refused or busy: nothing stored)
            outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=cast, args=(n,)) for n in range(online)] + \
        [threading.Thread(target=register) for _ in range(desks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == online + desks
    assert outcomes.count("registered") <= 1
    for sheet in (1, 2):  # both sheets of a double registration would be entered here
        try:
            _enter(app, ref, staff, sheet, {city[0]: 1})
        except Exception:  # noqa: BLE001,S110  (refused: at most one sheet per registration)
            pass
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VoterRollEntry)) == 1
    assert len(sealed_ballots(app, ref.id)) == 1
    pb.move_to(ref.id, "results")
    _close(app, ref)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 1


def test_casts_racing_the_closing_are_counted_or_refused_never_lost(app, pb, factory):
    """Closing while casts are in flight: every cast either lands before the closing (and is
    counted) or is refused; no envelope is left behind in a round whose key is gone."""
    from participation.budgeting.rounds.models import BudgetRound
    from participation.budgeting.voting.closing import close_round
    from participation.budgeting.voting.models import Ballot
    from participation.core.types import utcnow
    from tests.budgeting.builders import en
    from tests.budgeting.test_voting import _cast

    ref = pb.round()
    voters = pb.voters(THREADS // 5)
    barrier = threading.Barrier(len(voters) + 1)
    cast_ok: list[str] = []
    errors: list[BaseException] = []

    def cast(voter) -> None:
        barrier.wait(timeout=30)
        for _attempt in range(20):
            try:
                _cast(app, ref, voter, {ref.proposals["city"][0]: 1})
                cast_ok.append("ok")
                return
            except sa.exc.OperationalError:  # SQLite busy: try again, as the view does
                continue
            except Exception as error:  # noqa: BLE001  (a refusal after the closing)
                errors.append(error)
                return

    def close() -> None:
        barrier.wait(timeout=30)
        with en(app):
            close_round(db.session.get(BudgetRound, ref.id), None, utcnow())
            db.session.commit()

    threads = [threading.Thread(target=cast, args=(voter,)) for voter in voters]
    threads.append(threading.Thread(target=close))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all("not open" in getattr(error, "message", "") for error in errors), errors
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == len(cast_ok)
