"""Proposals: staff-made and resident-submitted, reviewed, merged, followed up with photos."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from PIL import Image

from participation.accounts.models import User
from participation.budgeting.rounds import proposals as service
from participation.budgeting.rounds.models import Budget, BudgetRound, Proposal, ProposalPhoto
from participation.budgeting.rounds.tracking import set_implementation_status
from participation.core.exceptions import ServiceError
from participation.extensions import db
from participation.indicators.models import ParticipationEvent
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)


def _png(width=40, height=30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_resident_submits_in_the_proposal_phase(app, client, pb, factory, auth):
    ref = pb.round(state="proposals", costs={})
    resident = factory.user(language="sv")
    auth.login(resident.email)
    form = client.get(f"/budgeting/{ref.id}/propose")
    assert form.status_code == 200
    response = client.post(f"/budgeting/{ref.id}/propose", data={
        "budget": ref.budget(), "title": "Fler bänkar", "description": "Vid stranden.",
        "cost": "5000", "language": "sv"})
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.scalar(sa.select(Proposal))
        assert (proposal.title_sv, proposal.title_fi, proposal.language) == ("Fler bänkar", "",
                                                                             "sv")
        assert (proposal.status, proposal.submitted_by_id) == ("submitted", resident.id)
        event = db.session.scalar(sa.select(ParticipationEvent))
        assert event.kind == "proposal_submitted"
    page = client.get(response.headers["Location"])
    assert "Fler bänkar" in page.text


@pytest.mark.parametrize("data, field", [
    ({"title": "", "description": "x", "cost": "10"}, "title"),
    ({"title": "x", "description": "", "cost": "10"}, "description"),
    ({"title": "x", "description": "x", "cost": "0"}, "cost"),
    ({"title": "x", "description": "x", "cost": "-5"}, "cost"),
    ({"title": "x", "description": "x", "cost": "lots"}, "cost"),
])
def test_bad_resident_proposals_are_refused(app, client, pb, factory, auth, data, field):
    ref = pb.round(state="proposals", costs={})
    auth.login(factory.user().email)
    response = client.post(f"/budgeting/{ref.id}/propose",
                           data={"budget": ref.budget(), "language": "fi", **data})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0


def test_no_resident_proposals_outside_the_phase(app, client, pb, factory, auth):
    ref = pb.round(state="voting")
    auth.login(factory.user().email)
    response = client.post(f"/budgeting/{ref.id}/propose", data={
        "budget": ref.budget(), "title": "x", "description": "y", "cost": "10",
        "language": "fi"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 8


def _proposal_in_review(app, pb, **texts):
    ref = pb.round(state="review", costs={})
    staff_ref = pb.staff
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        proposal = service.create_proposal(
            budget_round, db.session.get(Budget, ref.budget()), None, cost=1000,
            **{"title_fi": "Penkit", "title_sv": "Bänkar", "description_fi": "Rannalle.",
               "description_sv": "Till stranden.", **texts})
        db.session.commit()
        return ref, proposal.id, staff_ref


def _review(app, proposal_id, staff_ref, **kwargs):
    with en(app):
        proposal = db.session.get(Proposal, proposal_id)
        try:
            service.review_proposal(proposal, db.session.get(User, staff_ref.id), **kwargs)
        except ServiceError:
            db.session.rollback()
            raise
        db.session.commit()
        return proposal.status


def test_feasible_proposal_goes_on_the_ballot(app, pb):
    _ref, proposal_id, staff = _proposal_in_review(app, pb)
    assert _review(app, proposal_id, staff, feasible=True) == "on_ballot"


def test_ballot_needs_finnish_and_swedish(app, pb):
    _ref, proposal_id, staff = _proposal_in_review(app, pb, title_sv="")
    with pytest.raises(ServiceError) as refused:
        _review(app, proposal_id, staff, feasible=True)
    assert refused.value.field == "title_sv"


def test_not_feasible_needs_a_public_reason(app, client, pb):
    _ref, proposal_id, staff = _proposal_in_review(app, pb)
    with pytest.raises(ServiceError):
        _review(app, proposal_id, staff, feasible=False, reason_fi="Ei tilaa.")
    assert _review(app, proposal_id, staff, feasible=False, reason_fi="Ei tilaa.",
                   reason_sv="Ingen plats.") == "not_feasible"
    page = client.get(f"/budgeting/proposals/{proposal_id}",
                      headers={"Accept-Language": "sv"}).text
    assert "Ingen plats." in page


def test_proposal_costing_more_than_its_budget_is_refused(app, pb):
    _ref, proposal_id, staff = _proposal_in_review(app, pb)
    with app.app_context():
        db.session.get(Proposal, proposal_id).cost = 10**9
        db.session.commit()
    with pytest.raises(ServiceError):
        _review(app, proposal_id, staff, feasible=True)


def test_review_is_closed_once_voting_opens(app, pb):
    ref = pb.round(state="voting")
    with pytest.raises(ServiceError):
        _review(app, ref.proposals["city"][0], pb.staff, feasible=False, reason_fi="x",
                reason_sv="y")


@pytest.mark.parametrize("cost", [0, -1, 1.5, None])
def test_cost_must_be_whole_positive_euros(app, pb, cost):
    ref = pb.round(state="review", costs={})
    with en(app), pytest.raises(ServiceError):
        service.create_proposal(db.session.get(BudgetRound, ref.id),
                                db.session.get(Budget, ref.budget()), None, cost=cost,
                                title_fi="x")


def test_cost_is_positive_in_the_database(app, pb):
    ref = pb.round(state="review", costs={})
    with app.app_context():
        db.session.add(Proposal(round_id=ref.id, budget_id=ref.budget(), cost=0))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_merge_moves_a_proposal_off_the_ballot(app, client, pb):
    ref = pb.round(state="review")
    source, target = ref.proposals["city"][:2]
    with en(app):
        service.merge_proposals(db.session.get(Proposal, source),
                                db.session.get(Proposal, target), None)
        db.session.commit()
    with en(app):
        merged = db.session.get(Proposal, source)
        assert (merged.status, merged.merged_into_id) == ("merged", target)
        with pytest.raises(ServiceError):
            service.merge_proposals(merged, db.session.get(Proposal, target), None)
        with pytest.raises(ServiceError):  # another budget
            service.merge_proposals(db.session.get(Proposal, target),
                                    db.session.get(Proposal, ref.proposals[1][0]), None)
    page = client.get(f"/budgeting/proposals/{source}").text
    assert f'href="/budgeting/proposals/{target}"' in page


def test_staff_proposal_pages(app, client, pb, factory, auth):
    ref = pb.round(state="review", costs={})
    auth.login(factory.user(roles=("staff",), language="en").email)
    response = client.post(f"/budgeting/manage/{ref.id}/proposals/new", data={
        "budget": ref.budget(), "cost": "2500", "title_fi": "Penkki", "title_sv": "Bänk",
        "description_fi": "Rannalle.", "description_sv": "Till stranden."})
    assert response.status_code == 302
    with app.app_context():
        proposal_id = db.session.scalar(sa.select(Proposal.id))
    edit = client.get(f"/budgeting/manage/proposals/{proposal_id}")
    assert edit.status_code == 200
    reviewed = client.post(f"/budgeting/manage/proposals/{proposal_id}/review",
                           data={"decision": "feasible"})
    assert reviewed.status_code == 302
    bad = client.post(f"/budgeting/manage/proposals/{proposal_id}/review",
                      data={"decision": "not_feasible"})
    assert bad.status_code == 422
    listing = client.get(f"/budgeting/manage/{ref.id}/proposals?status=on_ballot")
    assert "Penkki" in listing.text or "Bänk" in listing.text


def _published_round_with_selection(app, pb, factory):
    from participation.budgeting.results.tally import publish_results
    from tests.budgeting.test_voting import _cast

    ref = pb.round()
    _cast(app, ref, factory.user(), {ref.proposals["city"][0]: 1})
    pb.move_to(ref.id, "results")
    with en(app):
        publish_results(db.session.get(BudgetRound, ref.id), None)
        db.session.commit()
    return ref


def test_implementation_and_progress_update_with_a_photo(app, client, pb, factory, auth):
    ref = _published_round_with_selection(app, pb, factory)
    selected = ref.proposals["city"][0]
    staff = pb.staff
    with en(app):
        proposal = db.session.get(Proposal, selected)
        assert proposal.status == "selected"
        set_implementation_status(proposal, None, "under_construction")
        assert proposal.status == "under_construction"
        update = service.add_progress_update(
            proposal, db.session.get(User, staff.id), happened_on=date(2027, 5, 4),
            text_fi="Penkit tilattu.", text_sv="Bänkarna beställda.",
            photos=[(_png(), "Penkki", "Bänk")])
        db.session.commit()
        name = update.photos[0].filename
    photo = client.get(f"/budgeting/photos/{name}")
    assert photo.status_code == 200 and photo.data[:3] == b"\xff\xd8\xff"  # re-encoded JPEG
    page = client.get(f"/budgeting/proposals/{selected}", headers={"Accept-Language": "sv"})
    assert "Bänkarna beställda." in page.text and 'alt="Bänk"' in page.text
    with en(app):  # a moderator hides the proposal: its photos go with its text
        db.session.get(Proposal, selected).moderation_state = "hidden"
        db.session.commit()
    assert client.get(f"/budgeting/photos/{name}").status_code == 404


@pytest.mark.parametrize("data", [b"not an image", b"GIF89a broken"])
def test_bad_photo_is_refused(app, pb, factory, data):
    ref = _published_round_with_selection(app, pb, factory)
    with en(app):
        proposal = db.session.get(Proposal, ref.proposals["city"][0])
        with pytest.raises(ServiceError) as refused:
            service.add_progress_update(proposal, db.session.get(User, pb.staff.id),
                                        happened_on=date(2027, 1, 1), text_fi="a",
                                        text_sv="b", photos=[(data, "x", "y")])
        assert refused.value.field == "photo"
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ProposalPhoto)) == 0


def test_progress_updates_only_for_selected_proposals(app, pb, factory):
    ref = _published_round_with_selection(app, pb, factory)
    with en(app):
        not_selected = db.session.get(Proposal, ref.proposals["city"][3])
        with pytest.raises(ServiceError):
            service.add_progress_update(not_selected, db.session.get(User, pb.staff.id),
                                        happened_on=date(2027, 1, 1), text_fi="a",
                                        text_sv="b")
        assert not_selected.status == "not_selected"
        with pytest.raises(ServiceError):
            set_implementation_status(not_selected, None, "in_planning")
