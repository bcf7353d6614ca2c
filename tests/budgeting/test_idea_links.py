"""Proposals made from ideas: links both ways, idea status and notifications, merging."""

from __future__ import annotations

import sqlalchemy as sa

from participation.budgeting.rounds.models import Proposal, ProposalIdea
from participation.extensions import db
from participation.ideas.models import Idea, IdeaFollow, Notification
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.ideas.builders import ensure_themes, make_idea


def _staff_client(client, factory, auth):
    auth.login(factory.user(roles=("staff",), language="en").email)
    return client


def test_staff_make_a_proposal_from_ideas(app, client, pb, factory, auth):
    ensure_themes(app)
    author = factory.user(language="en")
    follower = factory.user()
    first = make_idea(app, author.id, title="Benches for the park")
    second = make_idea(app, author.id, title="Shade by the playground")
    with app.app_context():
        db.session.add(IdeaFollow(idea_id=first, user_id=follower.id))
        db.session.commit()
    ref = pb.round(state="review", costs={})
    staff = _staff_client(client, factory, auth)
    form = staff.get(f"/budgeting/manage/{ref.id}/proposals/new?idea={first}").text
    assert 'value="Benches for the park"' in form  # the idea's text to start from
    response = staff.post(f"/budgeting/manage/{ref.id}/proposals/new", data={
        "budget": ref.budget(), "cost": "8000", "title_fi": "Penkkejä puistoon",
        "title_sv": "Bänkar i parken", "description_fi": "Penkit.",
        "description_sv": "Bänkar.", "ideas": f"{first}, #{second}"})
    assert response.status_code == 302
    with app.app_context():
        proposal_id = db.session.scalar(sa.select(Proposal.id))
        links = db.session.scalars(sa.select(ProposalIdea.idea_id)).all()
        assert sorted(links) == [first, second]
        idea = db.session.get(Idea, first)
        assert idea.status == "budgeting_proposal"
        assert idea.budgeting_proposal_id == proposal_id
        assert idea.budgeting_proposal_url == f"/budgeting/proposals/{proposal_id}"
        told = {n.user_id for n in db.session.scalars(sa.select(Notification))}
        assert {author.id, follower.id} <= told
    proposal_page = client.get(f"/budgeting/proposals/{proposal_id}").text
    assert f'href="/ideas/{first}"' in proposal_page and f'href="/ideas/{second}"' in proposal_page
    idea_page = client.get(f"/ideas/{first}").text
    assert f'href="/budgeting/proposals/{proposal_id}"' in idea_page


def test_unknown_or_hidden_ideas_are_refused(app, client, pb, factory, auth):
    ensure_themes(app)
    hidden = make_idea(app, factory.user().id, moderation_state="hidden")
    ref = pb.round(state="review", costs={})
    staff = _staff_client(client, factory, auth)
    for ideas in ("999999", str(hidden), "twelve"):
        response = staff.post(f"/budgeting/manage/{ref.id}/proposals/new", data={
            "budget": ref.budget(), "cost": "8000", "title_fi": "Penkit", "ideas": ideas})
        assert response.status_code == 422
        assert 'id="ideas-error"' in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0


def test_merging_moves_the_idea_links(app, client, pb, factory, auth):
    ensure_themes(app)
    idea_id = make_idea(app, factory.user().id)
    ref = pb.round(state="review")
    source, target = ref.proposals["city"][:2]
    staff = _staff_client(client, factory, auth)
    staff.post(f"/budgeting/manage/proposals/{source}", data={
        "budget": ref.budget(), "cost": "40000", "title_fi": "Ehdotus", "title_sv": "Förslag",
        "description_fi": "x", "description_sv": "y", "ideas": str(idea_id)})
    response = staff.post(f"/budgeting/manage/proposals/{source}/merge",
                          data={"target": str(target)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(ProposalIdea.proposal_id)).all() == [target]
        idea = db.session.get(Idea, idea_id)
        assert idea.budgeting_proposal_id == target
        assert idea.budgeting_proposal_url.endswith(f"/budgeting/proposals/{target}")
