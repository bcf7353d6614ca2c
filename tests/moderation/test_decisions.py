"""Each decision's audit record, reasons that must fit the action, and who is told."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.exceptions import ServiceError
from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment, Notification
from participation.moderation import services
from participation.moderation.models import Appeal, ModerationDecision
from participation.moderation.queue import QueueFilters, queue

EN = {"Accept-Language": "en"}


def _get(model, object_id):
    return db.session.get(model, object_id)


def _last(action):
    return db.session.scalar(sa.select(ModerationDecision).filter_by(action=action)
                             .order_by(ModerationDecision.id.desc()).limit(1))


def _notes(user_id, action):
    return [n for n in db.session.scalars(sa.select(Notification).filter_by(
        user_id=user_id, kind="moderation_decision")) if n.params.get("action") == action]


def test_every_decision_leaves_its_audit_record(app, factory, author, moderator, idea_id):
    with app.test_request_context(headers=EN):
        idea, mod = _get(Idea, idea_id), _get(User, moderator.id)
        services.decide(idea, mod, "approve", "acceptable", note="fine")
        services.decide(idea, mod, "hide", "spam")
        services.decide(idea, mod, "restore", "appeal_accepted")
        services.decide(idea, mod, "lock_comments", "rules")
        services.decide(idea, mod, "unlock_comments", "acceptable")
        expected = {
            "approve": ("published", "published", "acceptable"),
            "restore": ("hidden", "published", "appeal_accepted"),
            "lock_comments": ("comments_open", "comments_locked", "rules"),
            "unlock_comments": ("comments_locked", "comments_open", "acceptable"),
        }
        for action, (before, after, reason) in expected.items():
            record = _last(action)
            assert (record.state_before, record.state_after, record.reason) == \
                (before, after, reason), action
            assert record.moderator_id == moderator.id and record.subject_user_id == author.id
            assert (record.content_type, record.content_id) == ("idea", idea_id)
        decision = _last("hide")
        reply = services.appeal(decision, _get(User, author.id), "It is not spam")
        services.dismiss_appeal(reply, mod, "spam", "It is an advert")
        dismissed = _last("dismiss_appeal")
        assert (dismissed.content_type, dismissed.content_id) == ("idea", idea_id)
        assert dismissed.reason == "spam" and dismissed.note == "It is an advert"
        assert reply.resolved_at is not None
        assert len(_notes(author.id, "dismiss_appeal")) == 1


def test_ban_and_lift_records_say_who_and_until_when(app, factory, moderator):
    person = factory.user()
    with app.test_request_context(headers=EN):
        user, mod = _get(User, person.id), _get(User, moderator.id)
        ban = services.ban_user(user, mod, 7, "harassment")
        record = _last("ban")
        assert record.subject_user_id == person.id and record.moderator_id == moderator.id
        assert record.state_before == "not_banned"
        assert record.state_after.startswith("banned_until:")
        assert record.state_after[13:23] == ban.ends_at.strftime("%Y-%m-%d")
        services.lift_ban(ban, mod, "appeal_accepted")
        lifted = _last("lift_ban")
        assert (lifted.state_before, lifted.state_after) == (record.state_after, "not_banned")
        assert lifted.subject_user_id == person.id
        assert len(_notes(person.id, "ban")) == 1
        assert len(_notes(person.id, "lift_ban")) == 1


@pytest.mark.parametrize("action, reason", [
    ("hide", "acceptable"), ("hide", "appeal_accepted"), ("approve", "spam"),
    ("restore", "spam"), ("lock_comments", "acceptable"), ("unlock_comments", "spam"),
])
def test_the_reason_must_fit_the_action(app, moderator, idea_id, action, reason):
    with app.test_request_context(headers=EN):
        idea = _get(Idea, idea_id)
        if action == "restore":
            idea.moderation_state = "hidden"
        if action == "unlock_comments":
            idea.comments_locked = True
        with pytest.raises(ServiceError, match="does not fit"):
            services.decide(idea, _get(User, moderator.id), action, reason)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ModerationDecision)) \
            == 0


def test_ban_and_lift_reasons_must_fit(app, factory, moderator):
    person = factory.user()
    with app.test_request_context(headers=EN):
        user, mod = _get(User, person.id), _get(User, moderator.id)
        with pytest.raises(ServiceError, match="does not fit"):
            services.ban_user(user, mod, 3, "acceptable")
        ban = services.ban_user(user, mod, 3, "spam")
        with pytest.raises(ServiceError, match="does not fit"):
            services.lift_ban(ban, mod, "spam")


def test_approve_does_not_restore_hidden_content(app, moderator, comment_id):
    with app.test_request_context(headers=EN):
        comment, mod = _get(IdeaComment, comment_id), _get(User, moderator.id)
        services.decide(comment, mod, "hide", "spam")
        with pytest.raises(ServiceError, match="Restore"):
            services.decide(comment, mod, "approve", "acceptable")
        assert comment.moderation_state == "hidden"


def test_personal_data_edited_out_of_the_title(app, moderator, idea_id):
    with app.test_request_context(headers=EN):
        idea = _get(Idea, idea_id)
        decision = services.decide(idea, _get(User, moderator.id), "redact", "personal_data",
                                   new_title="A new playground for [removed]")
        assert idea.title == "A new playground for [removed]"
        assert decision.original_title == "A new playground"
        assert decision.original_text is None
        assert idea.description_text == "Leikkipuisto Tapiolaan, kiitos."


def test_edited_text_has_a_length_limit(app, moderator, idea_id, comment_id):
    with app.test_request_context(headers=EN):
        mod = _get(User, moderator.id)
        with pytest.raises(ServiceError, match="at most"):
            services.decide(_get(IdeaComment, comment_id), mod, "redact", "personal_data",
                            new_text="x" * 2001)
        with pytest.raises(ServiceError, match="at most"):
            services.decide(_get(Idea, idea_id), mod, "redact", "personal_data",
                            new_title="x" * 121)
        with pytest.raises(ServiceError, match="no title"):
            services.decide(_get(IdeaComment, comment_id), mod, "redact", "personal_data",
                            new_title="Title")
        assert _get(IdeaComment, comment_id).body == "Bra idé!"


def test_ban_appeal_reaches_the_queue_and_is_dismissed(app, client, auth, factory, moderator):
    person = factory.user(language="en")
    with app.test_request_context(headers=EN):
        services.ban_user(_get(User, person.id), _get(User, moderator.id), 7, "harassment")
        db.session.commit()
        decision_id = _last("ban").id
    auth.login(person.email)
    answered = client.post(f"/moderation/decisions/{decision_id}/appeal",
                           data={"text": "I was only joking"})
    assert answered.status_code == 302
    assert answered.headers["Location"] == "/notifications"  # a ban has no content to show
    auth.logout()
    with app.app_context():
        entries = queue(QueueFilters())
        assert [entry.kind for entry in entries] == ["ban_appeal"]
        assert queue(QueueFilters(content_type="idea")) == []
        reply_id = entries[0].obj.id
    auth.login(moderator.email)
    html = client.get("/moderation/", headers=EN).get_data(as_text=True)
    assert "I was only joking" in html and f"/moderation/users/{person.id}/ban" in html
    assert "I was only joking" in client.get(f"/moderation/users/{person.id}/ban",
                                             headers=EN).get_data(as_text=True)
    response = client.post(f"/moderation/appeals/{reply_id}/dismiss",
                           data={"reason": "harassment"})
    assert response.headers["Location"].endswith(f"/moderation/users/{person.id}/ban")
    with app.app_context():
        assert db.session.get(Appeal, reply_id).resolved_at is not None
        assert queue(QueueFilters()) == []
        assert _notes(person.id, "dismiss_appeal")


def test_staff_status_change_cannot_open_a_moderators_lock(app, factory, moderator, idea_id):
    from participation.ideas.status_service import StatusDecision, change_status

    staff = factory.user(roles=("staff",))
    with app.test_request_context(headers=EN):
        idea = _get(Idea, idea_id)
        services.decide(idea, _get(User, moderator.id), "lock_comments", "harassment")
        with pytest.raises(ServiceError, match="moderator locked"):
            change_status(idea, _get(User, staff.id),
                          StatusDecision(status="under_review", lock_comments=False))
        assert idea.comments_locked
        change_status(idea, _get(User, staff.id),
                      StatusDecision(status="under_review", lock_comments=True))
        assert idea.comments_locked
