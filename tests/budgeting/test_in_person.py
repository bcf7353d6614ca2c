"""In-person voting and secrecy: no choices in the audit log, a printable receipt slip, shuffled
published ballots, sheets never above registrations under load, and one vote per identity
with or without an account."""

from __future__ import annotations

import re
import threading
from datetime import date

import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.rounds.models import Budget, BudgetRound
from participation.budgeting.voting import eligibility, paper
from participation.budgeting.voting.models import BallotEnvelope, VoterRollEntry
from participation.core.exceptions import ServiceError
from participation.core.models import AuditEntry
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture, sealed_ballots  # noqa: F401  (pb)
from tests.budgeting.test_paper import _enter, _register, _register_without_account
from tests.budgeting.test_results import _publish
from tests.budgeting.test_voting import _cast
from tests.conftest import DB_KIND
from tests.i18n_helpers import translated

BORN = date(1990, 5, 1)


def test_paper_entry_audit_keeps_who_and_which_sheet_not_the_choices(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    _register(app, ref, factory.user(), staff)
    chosen = ref.proposals["city"][2]
    _enter(app, ref, staff, 7, {chosen: 1})
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(
            AuditEntry.action == "pb.paper_ballot.enter"))
        assert entry.actor_id == staff.id and entry.created_at is not None
        assert entry.after == {"sheet_number": 7, "channel": "paper"}
        assert str(chosen) not in str(entry.after) + str(entry.before or "")


def test_staff_print_a_receipt_slip_for_a_paper_voter(app, client, pb, factory, auth):
    ref = pb.round()
    staff = factory.user(roles=("staff",), language="en")
    _register(app, ref, factory.user(), staff)
    auth.login(staff.email)
    page = client.post(f"/budgeting/manage/{ref.id}/in-person/{ref.budget()}", data={
        "sheet_number": "12", "channel": "paper", "proposal": str(ref.proposals["city"][0])})
    assert page.status_code == 200
    [ballot] = sealed_ballots(app)
    code = ballot["receipt"]
    slip_url = f"/budgeting/manage/{ref.id}/in-person/{ref.budget()}/receipt/12"
    assert slip_url in page.text and "print the receipt slip" in page.text
    slip = client.get(slip_url)
    assert slip.status_code == 200 and code in slip.text
    assert client.get(slip_url.replace("/12", "/13")).status_code == 404


def test_published_ballots_are_not_in_cast_order(app, client, pb, factory):
    ref = pb.round(budgets={"city": 100_000}, costs={"city": [1_000] * 30})
    proposals = ref.proposals["city"]
    for number, voter in enumerate(pb.voters(30)):
        _cast(app, ref, voter, {proposals[number]: 1})  # ballot n names proposal n
    _publish(app, pb, ref)
    html = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}/ballots",
                      headers={"Accept-Language": "en"}).text
    shown = [int(number) - 1 for number in re.findall(r"Proposal city-(\d+)", html)]
    assert sorted(shown) == list(range(30))
    # Random ids: the chance that 30 ballots come out in cast order is 1/30!.
    assert shown != list(range(30)) and shown != list(range(29, -1, -1))
    pb_file = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}.pb").text
    votes = [line.split(";")[1] for line in pb_file.split("VOTES\n")[1].splitlines()[1:]]
    assert votes != [str(pid) for pid in proposals]


def test_sheets_never_outnumber_registrations_under_concurrent_entry(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    _register(app, ref, factory.user(), staff)
    threads = 12 if DB_KIND == "postgresql" else 6
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []

    def enter(sheet: int) -> None:
        barrier.wait(timeout=30)
        try:
            _enter(app, ref, staff, sheet, {ref.proposals["city"][0]: 1})
            outcomes.append("entered")
        except ServiceError:
            outcomes.append("refused")
        except sa.exc.OperationalError:  # SQLite: busy, nothing stored
            outcomes.append("busy")

    workers = [threading.Thread(target=enter, args=(n,)) for n in range(1, threads + 1)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert len(outcomes) == threads
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 1
    assert outcomes.count("entered") == 1


def _verify(app, person, staff, name="Ella Esimerkki", born=BORN):
    with en(app):
        eligibility.verify_in_person(db.session.get(User, person.id),
                                     db.session.get(User, staff.id), document="passport",
                                     full_name=name, birth_date=born)
        db.session.commit()


def test_in_person_voter_without_account_cannot_vote_online_later(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    _register_without_account(app, ref, staff, name="Ella  ESIMERKKI", born=BORN)
    person = factory.user()  # registers an account later; staff check it with her passport
    _verify(app, person, staff)
    try:
        _cast(app, ref, person, {ref.proposals["city"][0]: 1})
    except ServiceError as error:
        assert "service point" in error.message
    else:
        raise AssertionError("the same identity voted twice")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0
    _cast(app, ref, person, {ref.proposals[1][0]: 1}, key=1)  # the area vote is still hers


def test_staff_cannot_register_a_verified_account_holder_again_without_it(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    person = factory.user()
    _verify(app, person, staff)
    _cast(app, ref, person, {ref.proposals["city"][0]: 1})
    try:
        _register_without_account(app, ref, staff, name="Ella Esimerkki", born=BORN)
    except ServiceError as error:
        assert "email address" in error.message
    else:
        raise AssertionError("registered without the account")


def test_account_registration_checks_the_in_person_register(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    _register_without_account(app, ref, staff, name="Ella Esimerkki", born=BORN)
    person = factory.user()
    with en(app):
        try:
            paper.register_in_person_voter(
                db.session.get(BudgetRound, ref.id), db.session.get(Budget, ref.budget()),
                db.session.get(User, person.id), db.session.get(User, staff.id),
                channel="paper", document="passport", full_name="Ella Esimerkki",
                birth_date=BORN)
        except ServiceError as error:
            db.session.rollback()
            assert "without an account" in error.message
        else:
            raise AssertionError("the same person was registered twice")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VoterRollEntry)) == 1


def test_changing_birth_year_or_area_voids_the_staff_check(app, client, pb, factory, auth):
    ref = pb.round(min_verification="staff_verified")
    staff = factory.user(roles=("staff",))
    person = factory.user(language="en")
    _verify(app, person, staff)
    auth.login(person.email)
    profile = client.get("/profile").text
    assert translated(app, "City staff have checked your identity in person.", "en") in profile
    with app.app_context():
        user = db.session.get(User, person.id)
        assert eligibility.verification_level(user) == "staff_verified"
        user.birth_year -= 1
        db.session.commit()
        assert eligibility.verification_level(db.session.get(User, person.id)) == \
            "self_declared"
    profile = client.get("/profile").text
    assert "no longer counts" in profile
    refused = client.get(f"/budgeting/{ref.id}/vote")
    assert refused.status_code == 403


def test_identity_provider_refusal_says_what_a_person_can_do(app, pb, factory):
    ref = pb.round(min_verification="identity_provider")
    person = factory.user()
    with en(app):
        refusal = eligibility.eligibility_refusal(db.session.get(BudgetRound, ref.id),
                                                  db.session.get(User, person.id))
        assert "profile page" not in refusal.message and "service point" in refusal.message
        eligibility.register_verifier("suomi.fi", lambda user: False,
                                      start_url=lambda: "/identify/start")
        try:
            refusal = eligibility.eligibility_refusal(db.session.get(BudgetRound, ref.id),
                                                      db.session.get(User, person.id))
            assert "profile page" in refusal.message
        finally:
            eligibility.unregister_verifier("suomi.fi")
