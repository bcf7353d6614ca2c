"""Flags, decisions with reasons, bans and appeals, through the services."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.exceptions import ServiceError
from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment, Notification
from participation.moderation import services
from participation.moderation.models import Ban, Flag, ModerationDecision

EN = {"Accept-Language": "en"}


def _get(model, object_id):
    return db.session.get(model, object_id)


def test_flag_threshold_hides_content_pending_review(app, factory, comment_id):
    flaggers = [factory.user() for _ in range(3)]
    with app.test_request_context(headers=EN):
        comment = _get(IdeaComment, comment_id)
        count_before = comment.idea.comment_count
        for number, person in enumerate(flaggers[:2]):
            services.flag_content(comment, _get(User, person.id), "spam")
            assert comment.moderation_state == "published", number
        services.flag_content(comment, _get(User, flaggers[2].id), "harassment")
        assert comment.moderation_state == "pending"
        db.session.commit()
        hold = db.session.scalar(sa.select(ModerationDecision).filter_by(action="auto_hold"))
        assert hold.reason == "flag_threshold" and hold.moderator_id is None
        assert hold.state_before == "published" and hold.state_after == "pending"
        assert _get(Idea, comment.idea_id).comment_count == count_before - 1


def test_flag_threshold_is_configurable(app, factory, idea_id):
    app.config["MODERATION_FLAG_THRESHOLD"] = 1
    try:
        person = factory.user()
        with app.test_request_context(headers=EN):
            idea = _get(Idea, idea_id)
            services.flag_content(idea, _get(User, person.id), "off_topic")
            assert idea.moderation_state == "pending"
    finally:
        app.config["MODERATION_FLAG_THRESHOLD"] = 3


def test_one_flag_per_person_and_item(app, factory, idea_id):
    person = factory.user()
    with app.test_request_context(headers=EN):
        idea, user = _get(Idea, idea_id), _get(User, person.id)
        services.flag_content(idea, user, "spam")
        with pytest.raises(ServiceError, match="already reported"):
            services.flag_content(idea, user, "spam")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Flag)) == 1


def test_flag_constraint_in_the_database(app, factory, idea_id):
    person = factory.user()
    with app.app_context():
        for _ in range(2):
            db.session.add(Flag(content_type="idea", content_id=idea_id, user_id=person.id,
                                reason="spam"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize("reason, details, message", [
    ("", "", "Choose why"), ("nonsense", "", "Choose why"),
    ("other", "", "Tell us briefly"), ("spam", "x" * 1001, "at most 1000"),
])
def test_bad_flags_refused(app, factory, idea_id, reason, details, message):
    person = factory.user()
    with app.test_request_context(headers=EN):
        with pytest.raises(ServiceError, match=message):
            services.flag_content(_get(Idea, idea_id), _get(User, person.id), reason, details)


def test_author_cannot_flag_own_content(app, author, idea_id):
    with app.test_request_context(headers=EN):
        with pytest.raises(ServiceError, match="your own"):
            services.flag_content(_get(Idea, idea_id), _get(User, author.id), "spam")


def test_hide_records_audit_and_notifies_author(app, author, moderator, idea_id):
    with app.test_request_context(headers=EN):
        idea = _get(Idea, idea_id)
        decision = services.decide(idea, _get(User, moderator.id), "hide", "harassment",
                                   note="Insulting words")
        db.session.commit()
        assert idea.moderation_state == "hidden"
        assert (decision.state_before, decision.state_after) == ("published", "hidden")
        assert decision.moderator_id == moderator.id and decision.subject_user_id == author.id
        assert decision.content_created_at == idea.created_at
        note = db.session.scalar(sa.select(Notification).filter_by(
            user_id=author.id, kind="moderation_decision"))
        assert note.params["decision_id"] == decision.id


def test_no_decision_without_a_reason(app, moderator, idea_id):
    with app.test_request_context(headers=EN):
        idea, mod = _get(Idea, idea_id), _get(User, moderator.id)
        for reason, note in (("", ""), ("made-up", ""), ("other", "")):
            with pytest.raises(ServiceError):
                services.decide(idea, mod, "hide", reason, note)
        assert idea.moderation_state == "published"
        assert db.session.scalar(sa.select(sa.func.count())
                                 .select_from(ModerationDecision)) == 0


def test_restore_and_approve(app, factory, moderator, comment_id):
    with app.test_request_context(headers=EN):
        comment, mod = _get(IdeaComment, comment_id), _get(User, moderator.id)
        with pytest.raises(ServiceError, match="Only hidden"):
            services.decide(comment, mod, "restore", "acceptable")
        services.decide(comment, mod, "hide", "spam")
        assert _get(Idea, comment.idea_id).comment_count == 0
        services.decide(comment, mod, "restore", "appeal_accepted")
        assert comment.moderation_state == "published"
        assert _get(Idea, comment.idea_id).comment_count == 1
        services.flag_content(comment, _get(User, factory.user().id), "spam")
        services.decide(comment, mod, "approve", "acceptable")
        assert services.open_flags("idea_comment", comment.id) == []


def test_redact_keeps_original_for_moderators_only(app, moderator, idea_id):
    with app.test_request_context(headers=EN):
        idea = _get(Idea, idea_id)
        original = idea.description_text
        with pytest.raises(ServiceError, match="not changed"):
            services.decide(idea, _get(User, moderator.id), "redact", "personal_data",
                            new_text=original)
        decision = services.decide(idea, _get(User, moderator.id), "redact", "personal_data",
                                   new_text="Leikkipuisto Tapiolaan. [poistettu]")
        assert idea.description_text == "Leikkipuisto Tapiolaan. [poistettu]"
        assert "[poistettu]" in idea.description_html
        assert decision.original_text == original


def test_lock_comments(app, moderator, idea_id):
    with app.test_request_context(headers=EN):
        idea = _get(Idea, idea_id)
        services.decide(idea, _get(User, moderator.id), "lock_comments", "rules")
        assert idea.comments_locked
        services.decide(idea, _get(User, moderator.id), "unlock_comments", "acceptable")
        assert not idea.comments_locked


def test_comments_cannot_be_locked(app, moderator, comment_id):
    with app.test_request_context(headers=EN):
        with pytest.raises(ServiceError, match="no comments to lock"):
            services.decide(_get(IdeaComment, comment_id), _get(User, moderator.id),
                            "lock_comments", "rules")


def test_ban_and_lift(app, factory, moderator):
    person = factory.user()
    with app.test_request_context(headers=EN):
        user, mod = _get(User, person.id), _get(User, moderator.id)
        for days in (0, 3651):
            with pytest.raises(ServiceError, match="days"):
                services.ban_user(user, mod, days, "harassment")
        ban = services.ban_user(user, mod, 7, "harassment")
        assert services.active_ban(user.id) == ban
        services.lift_ban(ban, mod, "appeal_accepted")
        assert services.active_ban(user.id) is None
        actions = db.session.scalars(sa.select(ModerationDecision.action)
                                     .order_by(ModerationDecision.id)).all()
        assert actions == ["ban", "lift_ban"]


def test_moderators_cannot_be_banned(app, factory, moderator):
    other_moderator = factory.user(roles=("moderator",))
    with app.test_request_context(headers=EN):
        with pytest.raises(ServiceError):
            services.ban_user(_get(User, other_moderator.id), _get(User, moderator.id), 3,
                              "rules")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ban)) == 0


def test_appeal_goes_back_to_the_queue(app, author, factory, moderator, idea_id):
    from participation.moderation.queue import QueueFilters, queue

    with app.test_request_context(headers=EN):
        idea = _get(Idea, idea_id)
        decision = services.decide(idea, _get(User, moderator.id), "hide", "off_topic")
        assert [e.kind for e in queue(QueueFilters())] == []
        with pytest.raises(ServiceError, match="Only the author"):
            services.appeal(decision, _get(User, factory.user().id), "Please")
        reply = services.appeal(decision, _get(User, author.id), "It is on topic!")
        with pytest.raises(ServiceError, match="already answered"):
            services.appeal(decision, _get(User, author.id), "Again")
        entries = queue(QueueFilters())
        assert [(e.kind, e.obj.id) for e in entries] == [("appeal", idea_id)]
        assert entries[0].appeals == [reply]
        services.decide(idea, _get(User, moderator.id), "restore", "appeal_accepted")
        assert queue(QueueFilters()) == []
