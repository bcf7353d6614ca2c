"""The author edits an idea (history kept, edits screened) and withdraws it with a reason."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.exceptions import ServiceError
from participation.extensions import db
from participation.ideas import editing, search, services
from participation.ideas.models import Idea, IdeaRevision
from participation.moderation.services import decide
from tests.ideas.builders import make_idea

EDIT = {"title": "Benches and shade for the park", "language": "en",
        "description": "More benches near the playground, and trees for shade."}


def _idea(app, idea_id) -> Idea:
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        db.session.expunge(idea)
        return idea


@pytest.fixture
def idea_id(app, resident):
    return make_idea(app, resident.id)


def test_the_author_edits_and_the_earlier_version_stays_visible(app, client, auth, resident,
                                                                  idea_id):
    auth.login(resident.email)
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert f'href="/ideas/{idea_id}/edit"' in page
    assert client.get(f"/ideas/{idea_id}/edit").status_code == 200
    response = client.post(f"/ideas/{idea_id}/edit", data=EDIT)
    assert response.status_code == 302
    idea = _idea(app, idea_id)
    assert (idea.title, idea.edited_at is not None) == (EDIT["title"], True)
    assert idea.moderation_state == "published"
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "1 earlier version" in page and "Benches for the park" in page
    assert "Edited by the author on" in page
    with app.test_request_context():
        assert search.search_ideas("shade").page.total == 1  # the index follows the edit
    # Saving the same text again keeps no second version.
    client.post(f"/ideas/{idea_id}/edit", data=EDIT)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IdeaRevision)) == 1


def test_an_edit_is_screened_like_a_new_idea(app, client, auth, resident, idea_id):
    auth.login(resident.email)  # a new account: a link sends its text to the queue
    client.post(f"/ideas/{idea_id}/edit",
                data={**EDIT, "description": "Buy cheap benches at http://spam.example"})
    assert _idea(app, idea_id).moderation_state == "pending"


def test_a_refused_edit_keeps_the_text(app, client, auth, resident, idea_id):
    auth.login(resident.email)
    response = client.post(f"/ideas/{idea_id}/edit", data={**EDIT, "title": ""})
    assert response.status_code == 422
    assert "trees for shade" in response.get_data(as_text=True)
    assert _idea(app, idea_id).title == "Benches for the park"


def test_no_edits_after_the_citys_answer_and_none_by_others(app, client, auth, resident,
                                                            other, idea_id):
    auth.login(other.email)
    assert client.get(f"/ideas/{idea_id}/edit").status_code == 404
    assert client.post(f"/ideas/{idea_id}/edit", data=EDIT).status_code == 404
    client.post("/logout")
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        idea.status, idea.public_answer = "answered", "We will add two benches."
        db.session.commit()
    auth.login(resident.email)
    assert f'href="/ideas/{idea_id}/edit"' not in client.get(f"/ideas/{idea_id}").get_data(
        as_text=True)
    assert client.get(f"/ideas/{idea_id}/edit").status_code == 302
    response = client.post(f"/ideas/{idea_id}/edit", data=EDIT)
    assert response.status_code == 422
    assert "can no longer be edited" in response.get_data(as_text=True)
    assert _idea(app, idea_id).title == "Benches for the park"


def test_a_budgeting_proposal_cannot_be_edited_or_withdrawn(app, resident, idea_id):
    with app.test_request_context():
        idea = db.session.get(Idea, idea_id)
        idea.budgeting_proposal_id = 7
        author = idea.author
        with pytest.raises(ServiceError):
            editing.edit_idea(author, idea, **EDIT)
        with pytest.raises(ServiceError):
            editing.withdraw_idea(author, idea, "Changed my mind.")


def test_withdrawing_needs_a_reason_and_closes_the_idea(app, client, auth, resident, other,
                                                         idea_id):
    auth.login(resident.email)
    response = client.post(f"/ideas/{idea_id}/withdraw", data={"reason": "  "})
    assert response.status_code == 422
    assert _idea(app, idea_id).withdrawn_at is None
    response = client.post(f"/ideas/{idea_id}/withdraw",
                           data={"reason": "The city already plans <b>this</b>."})
    assert response.status_code == 302
    idea = _idea(app, idea_id)
    assert idea.withdrawn_at is not None
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "The city already plans &lt;b&gt;this&lt;/b&gt;." in page
    assert f'href="/ideas/{idea_id}/edit"' not in page
    assert f'href="/ideas/{idea_id}/withdraw"' not in page
    assert client.get(f"/ideas/{idea_id}/withdraw").status_code == 302
    assert client.post(f"/ideas/{idea_id}/withdraw",
                       data={"reason": "Again"}).status_code == 422
    with app.test_request_context():
        idea = db.session.get(Idea, idea_id)
        with pytest.raises(ServiceError):
            services.support_idea(db.session.get(User, other.id), idea)
        with pytest.raises(ServiceError):
            editing.edit_idea(idea.author, idea, **EDIT)


def test_only_the_author_withdraws(app, client, auth, other, idea_id):
    auth.login(other.email)
    assert client.post(f"/ideas/{idea_id}/withdraw",
                       data={"reason": "Not mine"}).status_code == 404
    assert _idea(app, idea_id).withdrawn_at is None


def test_a_moderators_redaction_drops_the_earlier_versions(app, factory, resident, idea_id):
    moderator = factory.user(roles=("moderator",))
    with app.test_request_context():
        idea = db.session.get(Idea, idea_id)
        editing.edit_idea(idea.author, idea, EDIT["title"], "Call me at 040 123 4567.", "en")
        decide(idea, db.session.get(User, moderator.id), "redact", "personal_data",
               new_text="Call me.")
        db.session.commit()
        assert editing.revisions(idea) == []


def test_the_service_refuses_a_withdrawal_without_a_reason(app, resident, idea_id):
    with app.test_request_context():
        idea = db.session.get(Idea, idea_id)
        with pytest.raises(ServiceError) as refused:
            editing.withdraw_idea(idea.author, idea, " \n ")
        assert refused.value.field == "reason"
        assert idea.withdrawn_at is None
