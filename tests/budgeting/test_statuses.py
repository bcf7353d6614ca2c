"""Proposal statuses tell the truth: allowed moves pass, refused ones fail, on both databases."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from participation.accounts.models import User
from participation.budgeting.results.tally import publish_results
from participation.budgeting.rounds import proposals as service
from participation.budgeting.rounds.models import BudgetRound, Proposal
from participation.budgeting.rounds.statuses import (
    PROPOSAL_STATUSES,
    TRANSITIONS,
    can_move,
    check_move,
)
from participation.budgeting.rounds.tracking import set_implementation_status
from participation.core.exceptions import ServiceError
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_voting import _cast


def _published(app, pb, factory):
    ref = pb.round()
    _cast(app, ref, factory.user(), {ref.proposals["city"][0]: 1})
    pb.move_to(ref.id, "results")
    with en(app):
        publish_results(db.session.get(BudgetRound, ref.id), None)
        db.session.commit()
    return ref


def test_every_status_has_its_moves_and_the_dead_ends_are_final():
    assert set(TRANSITIONS) == set(PROPOSAL_STATUSES)
    for targets in TRANSITIONS.values():
        assert targets <= set(PROPOSAL_STATUSES)
    for final in ("merged", "not_selected", "implemented", "cancelled"):
        assert not TRANSITIONS[final]
    assert can_move("submitted", "in_review") and can_move("on_ballot", "not_selected")
    assert not can_move("not_feasible", "selected")
    assert not can_move("in_review", "implemented")
    assert not can_move("submitted", "cancelled")  # cancelling is for selected proposals


def test_results_tell_losers_they_were_not_selected(app, pb, factory):
    ref = _published(app, pb, factory)
    with app.app_context():
        statuses = [db.session.get(Proposal, pid).status for pid in ref.proposals["city"]]
    assert statuses == ["selected", "not_selected", "not_selected", "not_selected"]


def test_implementation_steps_allowed_and_refused(app, pb, factory):
    ref = _published(app, pb, factory)
    winner, loser = ref.proposals["city"][0], ref.proposals["city"][1]
    with en(app):
        staff = db.session.get(User, pb.staff.id)
        proposal = db.session.get(Proposal, winner)
        set_implementation_status(proposal, staff, "in_planning")
        set_implementation_status(proposal, staff, "under_construction")
        with pytest.raises(ServiceError) as refused:  # no way back
            set_implementation_status(proposal, staff, "in_planning")
        assert "cannot become" in refused.value.message
        with pytest.raises(ServiceError) as no_reason:
            set_implementation_status(proposal, staff, "cancelled", reason_fi="Ei rahaa.")
        assert no_reason.value.field == "reason_fi"
        set_implementation_status(proposal, staff, "cancelled", reason_fi="Tontti myytiin.",
                                  reason_sv="Tomten såldes.")
        assert (proposal.status, proposal.status_reason_sv) == ("cancelled", "Tomten såldes.")
        with pytest.raises(ServiceError):
            set_implementation_status(proposal, staff, "implemented")
        with pytest.raises(ServiceError):  # a losing proposal is never carried out
            set_implementation_status(db.session.get(Proposal, loser), staff, "in_planning")
        db.session.commit()


def test_no_selection_or_implementation_before_results(app, pb):
    ref = pb.round(state="voting")
    with en(app):
        proposal = db.session.get(Proposal, ref.proposals["city"][0])
        for target in ("selected", "not_selected"):
            with pytest.raises(ServiceError) as refused:
                check_move(proposal, target)
            assert refused.value.message == "Results have not been published yet."


def test_review_moves_are_checked(app, pb, factory):
    ref = pb.round(state="proposals", costs={})
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        resident = db.session.get(User, factory.user().id)
        staff = db.session.get(User, pb.staff.id)
        proposal = service.submit_proposal(
            budget_round, budget_round.city_budget, resident, title="Penkki",
            description="Rannalle.", cost=500, language="fi")
        assert proposal.status == "submitted"
        service.review_proposal(proposal, staff, feasible=False, reason_fi="Ei kaupungin maata.",
                                reason_sv="Inte stadens mark.")
        assert proposal.status == "not_feasible"
        proposal.status = "implemented"  # planted: a proposal that somehow skipped the vote
        with pytest.raises(ServiceError):
            service.review_proposal(proposal, staff, feasible=True)
        db.session.rollback()


def test_the_database_refuses_an_unknown_status(app, pb):
    ref = pb.round(state="voting")
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(sa.update(Proposal).where(Proposal.id == ref.proposals["city"][0])
                               .values(status="in_implementation"))
            db.session.flush()
        db.session.rollback()


def test_pages_and_api_show_the_current_status(app, client, pb, factory):
    ref = _published(app, pb, factory)
    loser = ref.proposals["city"][1]
    page = client.get(f"/budgeting/proposals/{loser}", headers={"Accept-Language": "en"})
    assert "Not selected" in page.text
    round_page = client.get(f"/budgeting/{ref.id}", headers={"Accept-Language": "en"})
    assert "Not selected" in round_page.text and "On the ballot" not in round_page.text
    data = client.get(f"/api/v1/budgeting/rounds/{ref.id}").get_json()
    codes = {row["id"]: row["status"]["code"] for row in data["proposals"]}
    assert codes[loser] == "not_selected" and codes[ref.proposals["city"][0]] == "selected"
    assert next(row for row in data["proposals"] if row["id"] == loser)["status"]["label"][
        "fi"]
    results = client.get(f"/api/v1/budgeting/rounds/{ref.id}/results").get_json()
    city = next(b for b in results["budgets"] if b["budget"]["area"] is None)
    assert [row["status"]["code"] for row in city["selected"]] == ["selected"]
