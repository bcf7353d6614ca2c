"""Comments: one level of replies, 15 minutes of editing, soft deletion, closed ideas."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.exceptions import ServiceError
from participation.extensions import db
from participation.ideas import comments
from participation.ideas.models import Idea, IdeaComment
from participation.indicators.models import ParticipationEvent
from tests.i18n_helpers import translated
from tests.ideas.builders import get_idea, make_comment, make_idea


def _comment(app, comment_id: int) -> dict:
    with app.app_context():
        comment = db.session.get(IdeaComment, comment_id)
        return {c.name: getattr(comment, c.name) for c in IdeaComment.__table__.columns}


def _refused(app, user_id, idea_id, body="Hello", parent_id=None) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        make_comment(app, user_id, idea_id, body, parent_id=parent_id)
    return caught.value


def test_comment_and_reply_count_and_write_events(app, resident, other):
    idea_id = make_idea(app, resident.id)
    top = make_comment(app, other.id, idea_id, "Good idea", language="fi")
    reply = make_comment(app, resident.id, idea_id, "Thanks!", parent_id=top)
    assert _comment(app, reply)["parent_id"] == top
    assert _comment(app, top)["language"] == "fi"
    assert get_idea(app, idea_id)["comment_count"] == 2
    with app.app_context():
        kinds = db.session.scalars(sa.select(ParticipationEvent.kind)).all()
    assert kinds.count("comment_posted") == 2


def test_replies_are_one_level_deep_and_on_the_same_idea(app, resident, other):
    idea_id = make_idea(app, resident.id)
    second_idea = make_idea(app, resident.id, title="Another")
    top = make_comment(app, other.id, idea_id)
    reply = make_comment(app, other.id, idea_id, parent_id=top)
    assert _refused(app, other.id, idea_id, parent_id=reply).field == "body"
    assert _refused(app, other.id, second_idea, parent_id=top).field == "body"


@pytest.mark.parametrize("body", ["", "   \n  ", "x" * 2001])
def test_empty_or_too_long_comments_are_refused(app, resident, body):
    idea_id = make_idea(app, resident.id)
    assert _refused(app, resident.id, idea_id, body).field == "body"
    assert get_idea(app, idea_id)["comment_count"] == 0


@pytest.mark.parametrize("status", ["rejected", "implemented", "merged"])
def test_closed_ideas_refuse_comments(app, resident, status):
    idea_id = make_idea(app, resident.id, status=status)
    expected = translated(app, "This idea is closed, so it takes no new comments.", "fi")
    assert str(_refused(app, resident.id, idea_id).message) == expected


def test_locked_comments_are_refused(app, resident):
    idea_id = make_idea(app, resident.id)
    with app.app_context():
        db.session.get(Idea, idea_id).comments_locked = True
        db.session.commit()
    assert _refused(app, resident.id, idea_id).field == "body"


def _edit(app, user_id, comment_id, body, minutes_ago=0):
    with app.test_request_context():
        comment = db.session.get(IdeaComment, comment_id)
        comment.created_at = comment.created_at - timedelta(minutes=minutes_ago)
        comments.edit_comment(db.session.get(User, user_id), comment, body)
        db.session.commit()


def test_author_edits_within_fifteen_minutes(app, resident, other):
    idea_id = make_idea(app, resident.id)
    comment_id = make_comment(app, other.id, idea_id, "Typo")
    _edit(app, other.id, comment_id, "Fixed", minutes_ago=14)
    assert _comment(app, comment_id)["body"] == "Fixed"
    assert _comment(app, comment_id)["edited_at"] is not None
    with pytest.raises(ServiceError):
        _edit(app, other.id, comment_id, "Too late", minutes_ago=2)
    with pytest.raises(ServiceError):
        _edit(app, resident.id, comment_id, "Not mine")
    assert _comment(app, comment_id)["body"] == "Fixed"


def test_delete_is_soft_erases_text_and_lowers_the_count(app, resident, other):
    idea_id = make_idea(app, resident.id)
    top = make_comment(app, other.id, idea_id, "Secret words")
    make_comment(app, resident.id, idea_id, "Reply", parent_id=top)
    with app.test_request_context():
        comment = db.session.get(IdeaComment, top)
        with pytest.raises(ServiceError):
            comments.delete_comment(db.session.get(User, resident.id), comment)
        comments.delete_comment(db.session.get(User, other.id), comment)
        db.session.commit()
    deleted = _comment(app, top)
    assert deleted["deleted_at"] is not None and deleted["body"] == ""
    assert get_idea(app, idea_id)["comment_count"] == 1
    _refused(app, resident.id, idea_id, parent_id=top)


def test_threads_hide_unpublished_comments_from_others(app, resident, other, staff):
    idea_id = make_idea(app, resident.id)
    shown = make_comment(app, other.id, idea_id, "Shown")
    hidden = make_comment(app, other.id, idea_id, "Hidden")
    make_comment(app, resident.id, idea_id, "Reply to hidden", parent_id=hidden)
    with app.app_context():
        db.session.get(IdeaComment, hidden).moderation_state = "hidden"
        db.session.commit()
    with app.test_request_context():
        idea = db.session.get(Idea, idea_id)
        for viewer_id, expected in ((resident.id, [(shown, True), (hidden, False)]),
                                    (other.id, [(shown, True), (hidden, True)]),
                                    (staff.id, [(shown, True), (hidden, True)])):
            viewer = db.session.get(User, viewer_id)
            threads = comments.threads_for(idea, viewer)
            assert [(t.comment.id, t.visible) for t in threads] == expected


def test_an_edit_into_abuse_sends_the_comment_back_to_moderation(app, client, resident, other):
    from participation.moderation.models import ModerationDecision

    idea_id = make_idea(app, resident.id)
    comment_id = make_comment(app, other.id, idea_id, "A friendly comment")
    assert _comment(app, comment_id)["moderation_state"] == "published"
    _edit(app, other.id, comment_id, "You are all bastards")
    assert _comment(app, comment_id)["moderation_state"] == "pending"
    assert get_idea(app, idea_id)["comment_count"] == 0
    with app.app_context():
        decision = db.session.scalar(sa.select(ModerationDecision).where(
            ModerationDecision.content_type == "idea_comment",
            ModerationDecision.content_id == comment_id))
        assert (decision.action, decision.reason) == ("auto_hold", "word_filter")
    assert "bastards" not in client.get(f"/ideas/{idea_id}").get_data(as_text=True)


def test_a_hidden_comment_cannot_be_edited_by_its_author(app, client, auth, resident, other):
    from participation.ideas.permissions import can_edit_comment

    idea_id = make_idea(app, resident.id)
    comment_id = make_comment(app, other.id, idea_id, "Something a moderator hid")
    with app.app_context():
        db.session.get(IdeaComment, comment_id).moderation_state = "hidden"
        db.session.commit()
    with app.test_request_context():
        comment = db.session.get(IdeaComment, comment_id)
        assert can_edit_comment(db.session.get(User, other.id), comment) is False
    with pytest.raises(ServiceError):
        _edit(app, other.id, comment_id, "Sneaky new text")
    auth.login(other.email)
    assert client.get(f"/ideas/comments/{comment_id}/edit").status_code == 403
    posted = client.post(f"/ideas/comments/{comment_id}/edit", data={"body": "Sneaky"})
    assert posted.status_code == 403
    assert _comment(app, comment_id)["body"] == "Something a moderator hid"
