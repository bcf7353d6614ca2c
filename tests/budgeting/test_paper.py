"""In-person voting: staff register a voter after an identity check and enter numbered sheets."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.rounds.models import Budget, BudgetRound
from participation.budgeting.voting import paper
from participation.budgeting.voting.models import (
    Ballot,
    BallotEnvelope,
    VoterRollEntry,
    VoterVerification,
)
from participation.core.exceptions import ServiceError
from participation.core.models import AuditEntry
from participation.extensions import db
from participation.indicators.models import ParticipationEvent
from tests.budgeting.builders import en, pb_fixture, sealed_ballots  # noqa: F401  (pb)
from tests.budgeting.test_voting import _cast


def _register(app, ref, person_ref, staff_ref, key="city", channel="paper"):
    with en(app):
        try:
            entry = paper.register_in_person_voter(
                db.session.get(BudgetRound, ref.id), db.session.get(Budget, ref.budget(key)),
                db.session.get(User, person_ref.id) if person_ref else None,
                db.session.get(User, staff_ref.id), channel=channel, document="passport",
                full_name=f"Person {getattr(person_ref, 'id', 0)}",
                birth_date=date(1990, 1, 2))
        except ServiceError:
            db.session.rollback()
            raise
        db.session.commit()
        return entry.id


def _enter(app, ref, staff_ref, sheet, choices, key="city"):
    with en(app):
        try:
            ballot = paper.enter_paper_ballot(
                db.session.get(BudgetRound, ref.id), db.session.get(Budget, ref.budget(key)),
                db.session.get(User, staff_ref.id), sheet_number=sheet, choices=choices)
        except ServiceError:
            db.session.rollback()
            raise
        db.session.commit()
        return ballot.receipt_code


def test_register_then_enter_a_sheet(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    person = factory.user()
    _register(app, ref, person, staff)
    receipt = _enter(app, ref, staff, 1, {ref.proposals["city"][0]: 1})
    with app.app_context():
        entry = db.session.scalar(sa.select(VoterRollEntry))
        assert (entry.user_id, entry.channel, entry.registered_by_id) == (person.id, "paper",
                                                                          staff.id)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0
        event = db.session.scalar(sa.select(ParticipationEvent))
        assert (event.kind, event.channel) == ("ballot_cast", "paper")
        assert db.session.scalar(sa.select(VoterVerification.level)) == "staff_verified"
        actions = set(db.session.scalars(sa.select(AuditEntry.action)))
        assert {"pb.voter.register_in_person", "pb.paper_ballot.enter"} <= actions
        entered = db.session.scalar(sa.select(AuditEntry).where(
            AuditEntry.action == "pb.paper_ballot.enter"))
        assert entered.actor_id == staff.id and entered.after["sheet_number"] == 1
    [ballot] = sealed_ballots(app)
    assert (ballot["channel"], ballot["sheet_number"], ballot["lookup"]) == ("paper", 1, None)
    assert ballot["receipt"] == receipt
    assert ballot["choices"] == {ref.proposals["city"][0]: 1}


def test_after_in_person_registration_online_voting_is_refused(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    person = factory.user()
    _register(app, ref, person, staff, channel="assisted")
    with pytest.raises(ServiceError) as refused:
        _cast(app, ref, person, {ref.proposals["city"][0]: 1})
    assert "service point" in refused.value.message
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0


def test_online_voter_cannot_also_vote_in_person(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    person = factory.user()
    _cast(app, ref, person, {ref.proposals["city"][0]: 1})
    with pytest.raises(ServiceError) as refused:
        _register(app, ref, person, staff)
    assert "already voted online" in refused.value.message
    _register(app, ref, person, staff, key=1)  # the area budget is still open to them
    with pytest.raises(ServiceError):
        _register(app, ref, person, staff, key=1)


def test_sheet_numbers_are_entered_once(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    for _ in range(2):
        _register(app, ref, factory.user(), staff)
    _enter(app, ref, staff, 7, {ref.proposals["city"][0]: 1})
    with pytest.raises(ServiceError) as refused:
        _enter(app, ref, staff, 7, {ref.proposals["city"][1]: 1})
    assert refused.value.field == "sheet_number"
    with app.app_context():
        db.session.add(BallotEnvelope(id="f" * 32, round_id=ref.id, budget_id=ref.budget(),
                                      channel="paper", sheet_number=7, sealed=b"x"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_never_more_sheets_than_registered_voters(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    with pytest.raises(ServiceError):
        _enter(app, ref, staff, 1, {ref.proposals["city"][0]: 1})
    _register(app, ref, factory.user(), staff)
    _enter(app, ref, staff, 1, {ref.proposals["city"][0]: 1})
    with pytest.raises(ServiceError):
        _enter(app, ref, staff, 2, {ref.proposals["city"][0]: 1})


@pytest.mark.parametrize("sheet, choices", [(0, "ok"), (3, "over"), (3, "empty")])
def test_bad_sheets_are_refused(app, pb, factory, sheet, choices):
    ref = pb.round(budgets={"city": 50_000}, costs={"city": [40_000, 30_000]})
    staff = factory.user(roles=("staff",))
    _register(app, ref, factory.user(), staff)
    picked = {"ok": {ref.proposals["city"][0]: 1},
              "over": {pid: 1 for pid in ref.proposals["city"]}, "empty": {}}[choices]
    with pytest.raises(ServiceError):
        _enter(app, ref, staff, sheet, picked)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0


def test_ineligible_person_cannot_be_registered(app, pb, factory):
    ref = pb.round(max_age=17)
    staff = factory.user(roles=("staff",))
    with pytest.raises(ServiceError) as refused:
        _register(app, ref, factory.user(birth_year=1990), staff)
    assert "cannot vote" in refused.value.message
    with pytest.raises(ServiceError):
        _register(app, ref, None, staff)


def test_identity_check_in_person_satisfies_the_verification_level(app, pb, factory):
    ref = pb.round(min_verification="identity_provider")
    staff = factory.user(roles=("staff",))
    _register(app, ref, factory.user(), staff)


def test_in_person_only_while_voting_is_open(app, pb, factory):
    ref = pb.round(state="proposals")
    staff = factory.user(roles=("staff",))
    with pytest.raises(ServiceError):
        _register(app, ref, factory.user(), staff)


def test_staff_pages_for_in_person_voting(app, client, pb, factory, auth):
    ref = pb.round()
    person = factory.user()
    auth.login(factory.user(roles=("staff",), language="en").email)
    page = client.get(f"/budgeting/manage/{ref.id}/in-person")
    assert page.status_code == 200
    identity = {"full_name": "Pekka Paperi", "birth_date": "1990-01-02"}
    response = client.post(f"/budgeting/manage/{ref.id}/in-person", data={
        "email": person.email, "document": "identity card", "budget": ref.budget(),
        "channel": "paper", **identity})
    assert response.status_code == 302
    again = client.post(f"/budgeting/manage/{ref.id}/in-person", data={
        "email": person.email, "document": "identity card", "budget": ref.budget(),
        "channel": "paper", **identity})
    assert again.status_code == 422 and "already been registered" in again.text
    sheet_url = f"/budgeting/manage/{ref.id}/in-person/{ref.budget()}"
    first = ref.proposals["city"][0]
    entered = client.post(sheet_url, data={"sheet_number": "12", "channel": "paper",
                                           "proposal": str(first)})
    assert entered.status_code == 200 and "Receipt code for sheet 12" in entered.text
    twice = client.post(sheet_url, data={"sheet_number": "12", "channel": "paper",
                                         "proposal": str(first)})
    assert twice.status_code == 422
    unknown = client.post(f"/budgeting/manage/{ref.id}/in-person", data={
        "email": "nobody@example.org", "document": "passport", "budget": ref.budget(),
        "channel": "paper"})
    assert unknown.status_code == 422


def test_residents_cannot_open_staff_pages(client, pb, factory, auth):
    ref = pb.round()
    auth.login(factory.user().email)
    for url in (f"/budgeting/manage/{ref.id}/in-person", "/budgeting/manage/verify",
                f"/budgeting/manage/{ref.id}/in-person/{ref.budget()}"):
        assert client.get(url).status_code == 403


def test_verify_page_marks_a_person(app, client, factory, auth):
    person = factory.user()
    auth.login(factory.user(roles=("staff",)).email)
    data = {"email": person.email, "document": "passport"}
    assert client.post("/budgeting/manage/verify", data=data).status_code == 422  # no name
    response = client.post("/budgeting/manage/verify", data={
        **data, "full_name": "Ella Esimerkki", "birth_date": "1990-05-01"})
    assert response.status_code == 302
    with app.app_context():
        check = db.session.scalar(sa.select(VoterVerification))
        assert (check.user_id, check.level, check.method) == (person.id, "staff_verified",
                                                              "in_person")
        assert db.session.scalar(sa.select(AuditEntry.action).where(
            AuditEntry.target_id == person.id, AuditEntry.action == "pb.voter.verify"))


def _register_without_account(app, ref, staff_ref, *, name="Ella Esimerkki", born=None,
                              area_code=1, key="city"):
    from datetime import date

    from participation.core.models import Area

    with en(app):
        area_id = db.session.scalar(sa.select(Area.id).where(Area.code == area_code))
        try:
            entry = paper.register_in_person_without_account(
                db.session.get(BudgetRound, ref.id), db.session.get(Budget, ref.budget(key)),
                db.session.get(User, staff_ref.id), full_name=name,
                birth_date=born or date(paper.utcnow().year - 12, 12, 31),
                home_area_id=area_id, channel="paper", document="school ID card")
        except ServiceError:
            db.session.rollback()
            raise
        db.session.commit()
        return entry.person_key


def test_a_twelve_year_old_without_an_account_votes_on_paper(app, pb, factory):
    ref = pb.round()
    staff = factory.user(roles=("staff",))
    key = _register_without_account(app, ref, staff)
    assert len(key) == 64
    _enter(app, ref, staff, 1, {ref.proposals["city"][0]: 1})
    with app.app_context():
        entry = db.session.scalar(sa.select(VoterRollEntry))
        assert entry.user_id is None and entry.person_key == key
        event = db.session.scalar(sa.select(ParticipationEvent))
        assert (event.kind, event.channel, event.age_band) == ("ballot_cast", "paper", "12-14")
        audit = db.session.scalar(sa.select(AuditEntry).where(
            AuditEntry.action == "pb.voter.register_in_person"))
        assert "Ella" not in str(audit.after) + audit.reason  # the name is never stored


def test_the_same_person_without_an_account_votes_once(app, pb, factory):
    ref = pb.round(budgets={"city": 100_000, 1: 50_000, 2: 50_000}, allow_other_area=True)
    staff = factory.user(roles=("staff",))
    _register_without_account(app, ref, staff)
    with pytest.raises(ServiceError):  # same name written differently, same birth date
        _register_without_account(app, ref, staff, name="  ella   ESIMERKKI ")
    _register_without_account(app, ref, staff, key=1)
    with pytest.raises(ServiceError):  # a second area budget
        _register_without_account(app, ref, staff, key=2)
    _register_without_account(app, ref, staff, name="Eino Esimerkki")


@pytest.mark.parametrize("born_years_ago, area_code, message", [
    (11, 1, "age limits"), (12, None, "major area"), (12, 2, "home area only")])
def test_refusals_for_people_without_an_account(app, pb, factory, born_years_ago, area_code,
                                                message):
    from datetime import date

    ref = pb.round(budgets={"city": 100_000, 1: 50_000})
    staff = factory.user(roles=("staff",))
    key = 1 if area_code == 2 else "city"
    with pytest.raises(ServiceError) as refused:
        _register_without_account(app, ref, staff, area_code=area_code, key=key,
                                  born=date(paper.utcnow().year - born_years_ago, 6, 1))
    assert message in refused.value.message


def test_staff_form_registers_a_person_without_an_account(app, client, pb, factory, auth):
    ref = pb.round()
    auth.login(factory.user(roles=("staff",), language="en").email)
    with app.app_context():
        from participation.core.models import Area

        area_id = db.session.scalar(sa.select(Area.id).where(Area.code == 1))
    data = {"email": "", "document": "passport", "full_name": "Ella Esimerkki",
            "birth_date": f"{paper.utcnow().year - 12}-03-04", "home_area": str(area_id),
            "budget": ref.budget(), "channel": "paper"}
    assert client.post(f"/budgeting/manage/{ref.id}/in-person", data=data).status_code == 302
    again = client.post(f"/budgeting/manage/{ref.id}/in-person", data=data)
    assert again.status_code == 422 and 'id="full_name-error"' in again.text
    missing = client.post(f"/budgeting/manage/{ref.id}/in-person",
                          data={**data, "full_name": "Other", "birth_date": ""})
    assert missing.status_code == 422 and 'id="birth_date-error"' in missing.text
