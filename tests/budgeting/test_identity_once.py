"""One vote per verified person, whatever happens to their accounts (issue 10, findings 4-5):
deleting an account keeps the identity hash on the roll, service-point registration always
records the identity, a provider's check keeps it too, and staff are warned."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from participation.accounts import services as accounts
from participation.accounts.models import User
from participation.budgeting.rounds.models import Budget, BudgetRound
from participation.budgeting.voting import eligibility, paper
from participation.budgeting.voting.models import Ballot, BallotEnvelope, VoterRollEntry
from participation.core.exceptions import ServiceError
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_paper import _register_without_account
from tests.budgeting.test_voting import _cast

NAME, BORN = "Ella Esimerkki", date(1990, 5, 1)


def _verify(app, person, staff):
    with en(app):
        eligibility.verify_in_person(db.session.get(User, person.id),
                                     db.session.get(User, staff.id), document="passport",
                                     full_name=NAME, birth_date=BORN)
        db.session.commit()


def _ballots(app) -> int:
    """Ballots cast: still sealed while voting is open, or opened at closing."""
    with app.app_context():
        return sum(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                   for model in (Ballot, BallotEnvelope))


def test_deleting_the_account_does_not_give_a_second_vote(app, pb, factory):
    ref = pb.round(min_verification="staff_verified")
    staff = factory.user(roles=("staff",))
    first = factory.user()
    _verify(app, first, staff)
    _cast(app, ref, first, {ref.proposals["city"][0]: 1})
    with en(app):
        accounts.delete_account(db.session.get(User, first.id), first.password)
        db.session.commit()
        entry = db.session.scalar(sa.select(VoterRollEntry))
        assert entry.user_id is None and entry.person_key is not None  # who: gone; once: kept
    second = factory.user()  # the same person registers again and is verified again
    _verify(app, second, staff)
    with pytest.raises(ServiceError, match="identity checked on your account"):
        _cast(app, ref, second, {ref.proposals["city"][1]: 1})
    assert _ballots(app) == 1
    with en(app):  # nor at a service point without the account
        with pytest.raises(ServiceError):
            paper.register_in_person_without_account(
                db.session.get(BudgetRound, ref.id), db.session.get(Budget, ref.budget()),
                db.session.get(User, staff.id), full_name=NAME, birth_date=BORN,
                home_area_id=db.session.get(User, second.id).home_area_id, channel="paper",
                document="passport")


def test_data_export_says_the_identity_hash_is_kept(app, factory):
    person, staff = factory.user(), factory.user(roles=("staff",))
    _verify(app, person, staff)
    with app.app_context():
        data = accounts.export_personal_data(db.session.get(User, person.id))
    assert data["participatory_budgeting"]["identity_checks"][0]["identity_hash_kept"] is True


def test_service_point_registration_by_email_needs_the_identity(app, pb, factory):
    ref = pb.round()
    staff, person = factory.user(roles=("staff",)), factory.user()
    with en(app):
        for name, born, field in (("", BORN, "full_name"), (NAME, None, "birth_date"),
                                  (NAME, date(1, 1, 1), "birth_date")):
            with pytest.raises(ServiceError) as refused:
                paper.register_in_person_voter(
                    db.session.get(BudgetRound, ref.id), db.session.get(Budget, ref.budget()),
                    db.session.get(User, person.id), db.session.get(User, staff.id),
                    channel="paper", document="passport", full_name=name, birth_date=born)
            assert refused.value.field == field
            db.session.rollback()
        paper.register_in_person_voter(
            db.session.get(BudgetRound, ref.id), db.session.get(Budget, ref.budget()),
            db.session.get(User, person.id), db.session.get(User, staff.id),
            channel="paper", document="passport", full_name=NAME, birth_date=BORN)
        db.session.commit()
        identity = db.session.scalar(sa.select(eligibility.VoterVerification.identity_key))
    assert identity is not None
    # The same person cannot now be registered again as someone without an account.
    with pytest.raises(ServiceError):
        _register_without_account(app, ref, staff, name=NAME, born=BORN)


def test_verifying_someone_who_voted_in_person_warns(app, client, auth, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",), language="en")
    _register_without_account(app, ref, staff, name=NAME, born=BORN)
    person = factory.user()
    auth.login(staff.email)
    page = client.post("/budgeting/manage/verify", follow_redirects=True, data={
        "email": person.email, "document": "passport", "full_name": NAME,
        "birth_date": BORN.isoformat()}, headers={"Accept-Language": "en"})
    assert "has already voted in 1 budget" in page.text
    other = factory.user()
    quiet = client.post("/budgeting/manage/verify", follow_redirects=True, data={
        "email": other.email, "document": "passport", "full_name": "Someone Else",
        "birth_date": BORN.isoformat()}, headers={"Accept-Language": "en"})
    assert "has been marked as checked" in quiet.text and "already voted" not in quiet.text


def test_provider_verification_keeps_the_identity_hash(app, pb, factory):
    ref = pb.round(min_verification="identity_provider")
    staff, person = factory.user(roles=("staff",)), factory.user()
    eligibility.register_verifier("test-bank-id", lambda user: user.id == person.id)
    try:
        with en(app):
            assert eligibility.record_provider_verification(
                db.session.get(User, person.id), "test-bank-id", full_name=NAME,
                birth_date=BORN)
            db.session.commit()
        _cast(app, ref, person, {ref.proposals["city"][0]: 1})
        with pytest.raises(ServiceError, match="has an account"):
            _register_without_account(app, ref, staff, name=NAME, born=BORN)
    finally:
        eligibility.unregister_verifier("test-bank-id")
    assert _ballots(app) == 1
