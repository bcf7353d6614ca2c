"""Winners followed to completion: progress reports with figures, followers notified, the
round page shows the winners' progress, and 'implemented' closes the loop with the idea."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.results.tally import publish_results
from participation.budgeting.rounds import proposals as service
from participation.budgeting.rounds.idea_links import link_ideas
from participation.budgeting.rounds.models import BudgetRound, Proposal, ProposalFollow
from participation.budgeting.rounds.tracking import set_implementation_status
from participation.core.exceptions import ServiceError
from participation.extensions import db
from participation.ideas.models import Idea, Notification
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_voting import _cast
from tests.ideas.builders import ensure_themes, make_idea

EN = {"Accept-Language": "en"}


def _winner_from_an_idea(app, pb, factory):
    """A round whose first city proposal was made from a resident's idea and won."""
    ensure_themes(app)
    idea_author = factory.user(language="en")
    idea_id = make_idea(app, idea_author.id, title="Benches for the beach")
    ref = pb.round(state="review")
    winner = ref.proposals["city"][0]
    with en(app):
        link_ideas(db.session.get(Proposal, winner), [idea_id],
                   db.session.get(User, pb.staff.id))
        db.session.commit()
    pb.move_to(ref.id, "voting")
    _cast(app, ref, factory.user(), {winner: 1})
    pb.move_to(ref.id, "results")
    with en(app):
        publish_results(db.session.get(BudgetRound, ref.id), None)
        db.session.commit()
    return ref, winner, idea_id, idea_author


def _notifications(app, user_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Notification.kind)
                                       .where(Notification.user_id == user_id)))


def test_residents_follow_and_hear_of_progress(app, client, pb, factory, auth):
    ref, winner, _idea, _author = _winner_from_an_idea(app, pb, factory)
    proposal_fan, round_fan = factory.user(language="en"), factory.user(language="en")
    auth.login(proposal_fan.email)
    assert "Follow this proposal" in client.get(f"/budgeting/proposals/{winner}",
                                                headers=EN).text
    assert client.post(f"/budgeting/proposals/{winner}/follow").status_code == 302
    assert "Stop following" in client.get(f"/budgeting/proposals/{winner}", headers=EN).text
    auth.logout()
    auth.login(round_fan.email)
    client.post(f"/budgeting/{ref.id}/follow")
    client.post(f"/budgeting/{ref.id}/follow")  # twice is still one follow
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ProposalFollow)) == 2
    with en(app):
        service.add_progress_update(
            db.session.get(Proposal, winner), db.session.get(User, pb.staff.id),
            happened_on=date(2027, 5, 4), text_fi="Penkit tilattu.",
            text_sv="Bänkarna beställda.", percent_done=40, milestone="contract",
            planned_finish=date(2027, 8, 31), cost_to_date=12_000)
        db.session.commit()
    for fan in (proposal_fan, round_fan):
        assert _notifications(app, fan.id) == ["pb_proposal_progress"]
    page = client.get("/notifications", headers=EN)
    assert "has a new progress report" in page.text
    proposal_page = client.get(f"/budgeting/proposals/{winner}", headers=EN).text
    assert "40 % done" in proposal_page and "Contractor chosen" in proposal_page
    assert "€12,000" in proposal_page and "31 August 2027" in proposal_page
    round_page = client.get(f"/budgeting/{ref.id}", headers=EN).text
    assert "How the winners are doing" in round_page and "40 % done" in round_page
    client.post(f"/budgeting/{ref.id}/unfollow")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ProposalFollow)) == 1


@pytest.mark.parametrize("change, field", [({"percent_done": 101}, "percent_done"),
                                           ({"milestone": "party"}, "milestone"),
                                           ({"cost_to_date": -1}, "cost_to_date"),
                                           ({"planned_finish": date(1999, 1, 1)},
                                            "planned_finish")])
def test_bad_progress_figures_are_refused(app, pb, factory, change, field):
    _ref, winner, _idea, _author = _winner_from_an_idea(app, pb, factory)
    with en(app):
        with pytest.raises(ServiceError) as refused:
            service.add_progress_update(db.session.get(Proposal, winner),
                                        db.session.get(User, pb.staff.id),
                                        happened_on=date(2027, 1, 1), text_fi="a",
                                        text_sv="b", **change)
        assert refused.value.field == field
        db.session.rollback()


def test_staff_form_takes_the_figures(app, client, pb, factory, auth):
    _ref, winner, _idea, _author = _winner_from_an_idea(app, pb, factory)
    auth.login(factory.user(roles=("staff",), language="en").email)
    refused = client.post(f"/budgeting/manage/proposals/{winner}/updates", data={
        "happened_on": "2027-05-04", "text_fi": "a", "text_sv": "b", "percent_done": "150"})
    assert refused.status_code == 422 and 'id="percent_done-error"' in refused.text
    assert 'value="150"' in refused.text  # the input is kept
    done = client.post(f"/budgeting/manage/proposals/{winner}/updates", data={
        "happened_on": "2027-05-04", "text_fi": "a", "text_sv": "b", "percent_done": "70",
        "milestone": "work_started", "actual_finish": "", "cost_to_date": "9000"})
    assert done.status_code == 302
    with app.app_context():
        update = db.session.get(Proposal, winner).updates[0]
        assert (update.percent_done, update.milestone, update.cost_to_date) == (
            70, "work_started", 9000)


def test_implemented_closes_the_loop_with_the_idea(app, client, pb, factory):
    _ref, winner, idea_id, idea_author = _winner_from_an_idea(app, pb, factory)
    with en(app):
        staff = db.session.get(User, pb.staff.id)
        proposal = db.session.get(Proposal, winner)
        set_implementation_status(proposal, staff, "under_construction")
        assert db.session.get(Idea, idea_id).status == "budgeting_proposal"
        set_implementation_status(proposal, staff, "implemented")
        db.session.commit()
        idea = db.session.get(Idea, idea_id)
        assert idea.status == "implemented"
        assert f"/budgeting/proposals/{winner}" in idea.public_answer
    # The idea's author hears twice through the idea: made a proposal, then carried out.
    assert _notifications(app, idea_author.id) == ["idea_status", "idea_status"]
    page = client.get(f"/ideas/{idea_id}", headers=EN)
    assert "Carried out" in page.text
