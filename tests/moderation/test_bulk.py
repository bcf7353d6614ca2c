"""Many queue items in one decision (audited per item), inline approval, ban reasons."""

from __future__ import annotations

import re

import sqlalchemy as sa

from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment
from participation.moderation.models import ModerationDecision
from tests.ideas.builders import make_idea

EN = {"Accept-Language": "en"}


def _decisions(app, action):
    with app.app_context():
        return [(d.content_type, d.content_id, d.reason, d.note, d.moderator_id)
                for d in db.session.scalars(sa.select(ModerationDecision).filter_by(
                    action=action).order_by(ModerationDecision.id))]


def _state(app, model, object_id):
    with app.app_context():
        return db.session.get(model, object_id).moderation_state


def test_hiding_many_items_records_one_decision_each(app, client, auth, author, moderator,
                                                     idea_id, comment_id):
    other = make_idea(app, author.id, title="Buy now", description="Cheap offers.")
    auth.login(moderator.email)
    queue = client.get("/moderation/", headers=EN).get_data(as_text=True)
    assert f'value="idea:{idea_id}"' in queue and f'value="idea_comment:{comment_id}"' in queue
    response = client.post("/moderation/bulk?type=", headers=EN, data={
        "items": [f"idea:{idea_id}", f"idea_comment:{comment_id}", f"idea:{other}"],
        "action": "hide", "reason": "spam", "note": "A spam wave"})
    assert response.status_code == 302
    assert _decisions(app, "hide") == [
        ("idea", idea_id, "spam", "A spam wave", moderator.id),
        ("idea_comment", comment_id, "spam", "A spam wave", moderator.id),
        ("idea", other, "spam", "A spam wave", moderator.id)]
    assert {_state(app, Idea, idea_id), _state(app, IdeaComment, comment_id),
            _state(app, Idea, other)} == {"hidden"}
    page = client.get("/moderation/", headers=EN).get_data(as_text=True)
    assert "Decision saved for 3 items." in page


def test_one_item_that_cannot_take_the_decision_does_not_stop_the_others(
        app, client, auth, author, moderator, idea_id):
    other = make_idea(app, author.id, title="Second idea")
    auth.login(moderator.email)
    client.post("/moderation/bulk", data={"items": [f"idea:{idea_id}"], "action": "hide",
                                          "reason": "spam"})
    client.post("/moderation/bulk", headers=EN, data={
        "items": [f"idea:{idea_id}", f"idea:{other}", "idea:999999", "nonsense"],
        "action": "approve", "reason": "acceptable"})
    assert [row[1] for row in _decisions(app, "approve")] == [other]
    assert _state(app, Idea, idea_id) == "hidden"
    page = client.get("/moderation/", headers=EN).get_data(as_text=True)
    assert "This content is hidden." in page and "no longer exists" in page


def test_a_reason_that_does_not_fit_refuses_all_and_keeps_the_selection(
        app, client, auth, moderator, idea_id, comment_id):
    auth.login(moderator.email)
    response = client.post("/moderation/bulk", headers=EN, data={
        "items": [f"idea:{idea_id}"], "action": "hide", "reason": "acceptable",
        "note": "kept note"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This reason does not fit the decision" in page
    assert f'value="idea:{idea_id}" id="select-' in page
    assert re_checked(page, f"idea:{idea_id}") and not re_checked(page,
                                                                 f"idea_comment:{comment_id}")
    assert "kept note" in page
    assert _decisions(app, "hide") == []
    response = client.post("/moderation/bulk", headers=EN,
                           data={"items": [], "action": "hide", "reason": "spam"})
    assert response.status_code == 422 and "Select at least one item." in response.text


def re_checked(page: str, key: str) -> bool:
    return re.search(rf'value="{key}" id="select-\d+" checked', page) is not None


def test_approve_inline_from_the_queue(app, client, auth, moderator, idea_id, comment_id):
    auth.login(moderator.email)
    response = client.post("/moderation/bulk", data={
        "approve_item": f"idea_comment:{comment_id}", "items": [f"idea:{idea_id}"],
        "action": "hide", "reason": "spam"})
    assert response.status_code == 302
    assert [(kind, number, reason, who) for kind, number, reason, _note, who
            in _decisions(app, "approve")] == [("idea_comment", comment_id, "acceptable",
                                                moderator.id)]
    assert _decisions(app, "hide") == []  # only the inline item was decided


def test_only_moderators_decide_in_bulk(app, client, auth, author, idea_id):
    auth.login(author.email)
    response = client.post("/moderation/bulk", data={"items": [f"idea:{idea_id}"],
                                                     "action": "hide", "reason": "spam"})
    assert response.status_code == 403
    assert _state(app, Idea, idea_id) == "published"


def test_the_ban_form_offers_only_reasons_that_fit_a_ban(app, client, auth, author,
                                                         moderator):
    auth.login(moderator.email)
    page = client.get(f"/moderation/users/{author.id}/ban", headers=EN).get_data(as_text=True)
    form = page.split('name="action" value="ban"')[1].split("</form>")[0]
    assert 'value="harassment"' in form and 'value="spam"' in form
    assert 'value="personal_data"' not in form and 'value="acceptable"' not in form
    response = client.post(f"/moderation/users/{author.id}/ban", headers=EN,
                           data={"action": "ban", "days": "3", "reason": "off_topic"})
    assert response.status_code == 422


def test_a_banned_person_is_told_why_and_until_when_and_keeps_what_they_typed(
        app, client, auth, factory, moderator, idea_id):
    from participation.accounts.models import User
    from participation.moderation import services

    person = factory.user(language="en")
    auth.login(person.email)
    assert "You cannot write until" not in client.get(f"/ideas/{idea_id}", headers=EN).text
    with app.test_request_context(headers=EN):
        services.ban_user(db.session.get(User, person.id), db.session.get(User, moderator.id),
                          7, "harassment")
        db.session.commit()
    assert "/login" in client.get("/notifications", headers=EN).location  # sessions ended
    auth.login(person.email)  # signing in again is allowed: to read, and to appeal
    page = client.get(f"/ideas/{idea_id}", headers=EN).text
    assert "You cannot write until" in page and "Harassment or hate speech" in page
    response = client.post(f"/ideas/{idea_id}/comments", headers=EN,
                           data={"body": "My long <b>careful</b> comment"})
    assert response.status_code == 403
    assert "My long &lt;b&gt;careful&lt;/b&gt; comment</textarea>" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IdeaComment)) == 0
