"""Casting ballots through the service: valid ballots per type, re-casts, and every refusal."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.rounds.models import Budget, BudgetRound
from participation.budgeting.voting import casting as voting
from participation.budgeting.voting import eligibility
from participation.budgeting.voting.models import (
    Ballot,
    BallotChoice,
    BallotEnvelope,
    VoterRollEntry,
)
from participation.core.exceptions import ServiceError
from participation.core.models import Area
from participation.extensions import db
from participation.indicators.models import ParticipationEvent
from tests.budgeting.builders import en, pb_fixture, sealed_ballots  # noqa: F401  (pb)


def _count(model, **where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).filter_by(**where))


def _cast(app, ref, user_ref, choices, key="city"):
    """Cast via the service the way the view does: commit on success, roll back on refusal."""
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        budget = db.session.get(Budget, ref.budget(key))
        user = db.session.get(User, user_ref.id)
        try:
            result = voting.cast_ballot(budget_round, budget, user, choices)
        except ServiceError:
            db.session.rollback()
            raise
        db.session.commit()
        return result


def _nothing_stored(app):
    with app.app_context():
        return (_count(Ballot), _count(BallotChoice), _count(BallotEnvelope),
                _count(VoterRollEntry), _count(ParticipationEvent)) == (0, 0, 0, 0, 0)


def test_cast_stores_an_anonymous_ballot_and_a_roll_entry(app, pb, factory):
    ref = pb.round()
    voter = pb.voters(1)[0]
    city = ref.proposals["city"]
    result = _cast(app, ref, voter, {city[0]: 1, city[2]: 1})
    assert len(result.receipt_code) == 14 and not result.replaced
    [ballot] = sealed_ballots(app)
    assert ballot["receipt"] == result.receipt_code
    assert sorted(ballot["choices"]) == sorted([city[0], city[2]])
    assert ballot["channel"] == "web" and ballot["lookup"] is not None
    with app.app_context():
        assert _count(Ballot) == 0  # anonymous ballots are written only when voting closes
        entry = db.session.scalar(sa.select(VoterRollEntry))
        assert (entry.user_id, entry.channel, entry.slot) == (voter.id, "web", "city")
        event = db.session.scalar(sa.select(ParticipationEvent))
        assert (event.kind, event.channel, event.process_type) == ("ballot_cast", "web",
                                                                   "BudgetRound")


def test_recast_replaces_the_ballot(app, pb, factory):
    ref = pb.round()
    voter = pb.voters(1)[0]
    city = ref.proposals["city"]
    first = _cast(app, ref, voter, {city[0]: 1})
    second = _cast(app, ref, voter, {city[1]: 1, city[3]: 1})
    assert second.replaced and second.receipt_code != first.receipt_code
    ballots = sealed_ballots(app)
    assert len(ballots) == 1 and ballots[0]["receipt"] == second.receipt_code
    assert sorted(ballots[0]["choices"]) == [city[1], city[3]]
    with app.app_context():
        assert _count(VoterRollEntry) == 1
        assert _count(ParticipationEvent) == 1  # a change is not a second voter


def test_two_voters_get_two_ballots(app, pb, factory):
    ref = pb.round()
    city = ref.proposals["city"]
    _cast(app, ref, pb.voters(1)[0], {city[0]: 1})
    _cast(app, ref, pb.voters(1)[0], {city[0]: 1})
    with app.app_context():
        assert _count(BallotEnvelope) == 2 and _count(VoterRollEntry) == 2


# --- bad ballots: refused, nothing stored ---------------------------------------------------

def test_over_budget_is_refused(app, pb, factory):
    ref = pb.round()  # city budget 100 000; costs 40k, 30k, 20k, 10k
    city = ref.proposals["city"]
    _cast(app, ref, pb.voters(1)[0], {pid: 1 for pid in city})  # exactly 100 000 fits
    with app.app_context():
        db.session.execute(sa.delete(BallotEnvelope))
        db.session.execute(sa.delete(VoterRollEntry))
        db.session.execute(sa.delete(ParticipationEvent))
        db.session.commit()
    small = pb.round(budgets={"city": 60_000}, costs={"city": [40_000, 30_000]})
    with pytest.raises(ServiceError) as refused:
        _cast(app, small, pb.voters(1)[0], {pid: 1 for pid in small.proposals["city"]})
    assert "more than the budget" in refused.value.message
    assert _nothing_stored(app)


def test_too_many_choices_on_k_approval(app, pb, factory):
    ref = pb.round(ballot_type="k_approval", max_choices=2)
    city = ref.proposals["city"]
    _cast(app, ref, pb.voters(1)[0], {city[0]: 1, city[1]: 1})
    with pytest.raises(ServiceError) as refused:
        _cast(app, ref, pb.voters(1)[0], {city[0]: 1, city[1]: 1, city[2]: 1})
    assert "at most 2 proposals" in refused.value.message
    assert len(sealed_ballots(app)) == 1


def test_cumulative_points(app, pb, factory):
    ref = pb.round(ballot_type="cumulative", points_total=5)
    city = ref.proposals["city"]
    _cast(app, ref, pb.voters(1)[0], {city[0]: 3, city[1]: 2})
    assert sorted(sealed_ballots(app)[0]["choices"].values()) == [2, 3]
    with pytest.raises(ServiceError) as refused:
        _cast(app, ref, pb.voters(1)[0], {city[0]: 4, city[1]: 2})
    assert "at most 5 points" in refused.value.message
    with pytest.raises(ServiceError):
        _cast(app, ref, pb.voters(1)[0], {city[0]: 0})
    with pytest.raises(ServiceError):
        _cast(app, ref, pb.voters(1)[0], {city[0]: -2})


def test_points_are_refused_on_approval_ballots(app, pb, factory):
    ref = pb.round()
    with pytest.raises(ServiceError):
        _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 2})
    assert _nothing_stored(app)


@pytest.mark.parametrize("bad", ["other_budget", "unknown", "empty", "garbage"])
def test_proposals_must_be_on_this_ballot(app, pb, factory, bad):
    ref = pb.round()
    choices = {"other_budget": {ref.proposals[1][0]: 1}, "unknown": {999999: 1}, "empty": {},
               "garbage": {"x": "y"}}[bad]
    with pytest.raises(ServiceError):
        _cast(app, ref, pb.voters(1)[0], choices)
    assert _nothing_stored(app)


def test_proposal_not_yet_on_the_ballot_is_refused(app, pb, factory):
    from participation.budgeting.rounds.models import Proposal

    ref = pb.round()
    with app.app_context():
        proposal = db.session.get(Proposal, ref.proposals["city"][0])
        proposal.status = "not_feasible"
        db.session.commit()
    with pytest.raises(ServiceError):
        _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
    assert _nothing_stored(app)


@pytest.mark.parametrize("state", ["proposals", "review", "results", "before"])
def test_voting_outside_the_voting_phase_is_refused(app, pb, factory, state):
    ref = pb.round(state=state)
    with pytest.raises(ServiceError) as refused:
        _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
    assert "Voting is not open" in refused.value.message
    assert _nothing_stored(app)


def test_voting_after_closing_is_refused_even_inside_the_phase(app, pb, factory):
    ref = pb.round()
    with app.app_context():
        db.session.get(BudgetRound, ref.id).voting_closed_at = voting.utcnow()
        db.session.commit()
    with pytest.raises(ServiceError):
        _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})


def test_unpublished_round_refuses_votes(app, pb, factory):
    ref = pb.round(publish=False)
    with pytest.raises(ServiceError):
        _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})


# --- eligibility ----------------------------------------------------------------------------

def _edit_user(app, user_ref, **values):
    with app.app_context():
        user = db.session.get(User, user_ref.id)
        for name, value in values.items():
            setattr(user, name, value)
        db.session.commit()


@pytest.mark.parametrize("case, settings, person, code", [
    ("too young", {"min_age": 12}, {"birth_year": voting.utcnow().year - 11}, "too_young"),
    ("too old", {"max_age": 17}, {"birth_year": voting.utcnow().year - 18}, "too_old"),
    ("no birth year", {}, {"birth_year": None}, "no_birth_year"),
    ("no home area", {}, {"home_area_id": None}, "no_home_area"),
    ("staff check", {"min_verification": "staff_verified"}, {}, "verification"),
    ("provider", {"min_verification": "identity_provider"}, {}, "verification"),
])
def test_ineligible_voters_are_refused_with_the_reason(app, pb, factory, case, settings,
                                                       person, code):
    ref = pb.round(**settings)
    voter = pb.voters(1)[0]
    _edit_user(app, voter, **person)
    with en(app):
        refusal = eligibility.eligibility_refusal(db.session.get(BudgetRound, ref.id),
                                                  db.session.get(User, voter.id))
    assert refusal is not None and refusal.code == code
    with pytest.raises(ServiceError) as refused:
        _cast(app, ref, voter, {ref.proposals["city"][0]: 1})
    assert refused.value.message == refusal.message
    assert _nothing_stored(app)


def test_age_counts_by_year_of_birth(app, pb, factory):
    ref = pb.round(min_age=12, max_age=17)
    year = voting.utcnow().year
    youngest = pb.voters(1)[0]
    oldest = pb.voters(1)[0]
    _edit_user(app, youngest, birth_year=year - 12)  # turns 12 this year, even in December
    _edit_user(app, oldest, birth_year=year - 17)
    _cast(app, ref, youngest, {ref.proposals["city"][0]: 1})
    _cast(app, ref, oldest, {ref.proposals["city"][0]: 1})


def test_area_round_is_for_its_residents(app, pb, factory):
    with app.app_context():
        area_id = db.session.scalar(sa.select(Area.id).where(Area.code == 2))
    ref = pb.round(area_id=area_id)
    outsider = factory.user(area_code=1)
    with pytest.raises(ServiceError) as refused:
        _cast(app, ref, outsider, {ref.proposals["city"][0]: 1})
    assert "residents of" in refused.value.message
    _cast(app, ref, factory.user(area_code=2), {ref.proposals["city"][0]: 1})


def test_staff_verification_in_person_unlocks_the_vote(app, pb, factory):
    ref = pb.round(min_verification="staff_verified")
    voter = pb.voters(1)[0]
    staff = factory.user(roles=("staff",))
    with pytest.raises(ServiceError):
        _cast(app, ref, voter, {ref.proposals["city"][0]: 1})
    with en(app):
        person = db.session.get(User, voter.id)
        assert eligibility.verify_in_person(person, db.session.get(User, staff.id),
                                            document="passport")
        assert not eligibility.verify_in_person(person, None, document="passport")
        db.session.commit()
    _cast(app, ref, voter, {ref.proposals["city"][0]: 1})


def test_identity_provider_hook(app, pb, factory):
    ref = pb.round(min_verification="identity_provider")
    voter = pb.voters(1)[0]
    verified = {voter.id}
    eligibility.register_verifier("test-bank-id", lambda user: user.id in verified)
    try:
        _cast(app, ref, voter, {ref.proposals["city"][0]: 1})
        with pytest.raises(ServiceError):
            _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
        with en(app):
            other = pb.voters(1)[0]
            assert eligibility.record_provider_verification(
                db.session.get(User, other.id), "test-bank-id", full_name="Olli Other",
                birth_date=date(1990, 5, 6))
            db.session.commit()
        _cast(app, ref, other, {ref.proposals["city"][0]: 1})
    finally:
        eligibility.unregister_verifier("test-bank-id")


# --- which budgets ----------------------------------------------------------------------------

def test_home_area_budget_only_unless_the_round_allows_another(app, pb, factory):
    ref = pb.round(budgets={"city": 100_000, 1: 50_000, 2: 50_000})
    voter = factory.user(area_code=1)
    _cast(app, ref, voter, {ref.proposals[1][0]: 1}, key=1)
    with pytest.raises(ServiceError) as refused:
        _cast(app, ref, voter, {ref.proposals[2][0]: 1}, key=2)
    assert "home area" in refused.value.message
    _cast(app, ref, voter, {ref.proposals["city"][0]: 1}, key="city")
    with app.app_context():
        assert _count(VoterRollEntry, user_id=voter.id) == 2


def test_one_area_budget_per_round_when_choosing_is_allowed(app, pb, factory):
    ref = pb.round(budgets={"city": 100_000, 1: 50_000, 2: 50_000}, allow_other_area=True)
    voter = factory.user(area_code=1)
    _cast(app, ref, voter, {ref.proposals[2][0]: 1}, key=2)  # another area: allowed
    with pytest.raises(ServiceError) as refused:
        _cast(app, ref, voter, {ref.proposals[1][0]: 1}, key=1)
    assert "one area" in refused.value.message
    _cast(app, ref, voter, {ref.proposals[2][1]: 1}, key=2)  # changing it is fine


def test_one_area_per_person_is_a_database_rule(app, pb, factory):
    ref = pb.round(budgets={"city": 100_000, 1: 50_000, 2: 50_000}, allow_other_area=True)
    voter = factory.user(area_code=1)
    with app.app_context():
        for key in (1, 2):
            db.session.add(VoterRollEntry(round_id=ref.id, budget_id=ref.budget(key),
                                          user_id=voter.id, slot="area", channel="web"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()
