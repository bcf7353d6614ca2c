"""Only moderators (and admins for word lists) may post to moderation routes; others change
nothing, whoever they are."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.extensions import db
from participation.ideas.models import Idea
from participation.moderation import services
from participation.moderation.models import Appeal, Ban, ModerationDecision
from participation.moderation.wordfilter import read_list


@pytest.fixture
def setting(app, factory, author, moderator, idea_id):
    """A target to ban, and an open answer to a decision, for the routes to act on."""
    target = factory.user()
    with app.test_request_context():
        decision = services.decide(db.session.get(Idea, idea_id),
                                   db.session.get(User, moderator.id), "lock_comments", "rules")
        reply = services.appeal(decision, db.session.get(User, author.id), "Open them please")
        db.session.commit()
        return {"target": target.id, "appeal": reply.id, "idea": idea_id}


def _posts(setting):
    return [
        (f"/moderation/users/{setting['target']}/ban",
         {"action": "ban", "days": "7", "reason": "spam"}),
        (f"/moderation/users/{setting['target']}/ban",
         {"action": "lift", "lift-reason": "acceptable"}),
        (f"/moderation/appeals/{setting['appeal']}/dismiss", {"reason": "rules"}),
        ("/moderation/wordlists?list=wordlist_fi", {"text": "porkkana\n", "reason": "x"}),
        (f"/moderation/item/idea/{setting['idea']}", {"action": "hide", "reason": "spam"}),
        (f"/moderation/item/idea/{setting['idea']}",
         {"action": "redact", "reason": "personal_data", "new_text": "Changed"}),
        (f"/moderation/item/idea/{setting['idea']}",
         {"action": "unlock_comments", "reason": "acceptable"}),
    ]


def _snapshot(app):
    with app.app_context():
        idea = db.session.scalar(sa.select(Idea))
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(ModerationDecision)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Ban)),
            db.session.scalar(sa.select(Appeal.resolved_at)),
            idea.moderation_state, idea.description_text, idea.comments_locked,
            read_list("wordlist_fi"),
        )


@pytest.mark.parametrize("who", ["anonymous", "resident", "staff"])
def test_non_moderators_are_refused_and_change_nothing(app, client, auth, factory, setting,
                                                       who):
    if who != "anonymous":
        roles = ("staff",) if who == "staff" else ()
        auth.login(factory.user(roles=roles).email)
    before = _snapshot(app)
    for path, data in _posts(setting):
        status = client.post(path, data=data).status_code
        expected = {401, 302} if who == "anonymous" else {403}
        assert status in expected, (who, path, status)
        if who == "anonymous" and status == 302:
            assert "/login" in client.post(path, data=data).headers["Location"]
    assert _snapshot(app) == before


def test_moderators_cannot_edit_word_lists_by_posting(app, client, auth, moderator, setting):
    auth.login(moderator.email)
    with app.app_context():
        before = read_list("wordlist_fi")
    assert client.post("/moderation/wordlists?list=wordlist_fi",
                       data={"text": "porkkana\n", "reason": "x"}).status_code == 403
    with app.app_context():
        assert read_list("wordlist_fi") == before


def test_the_positive_control_moderator_can_act(app, client, auth, moderator, setting):
    auth.login(moderator.email)
    assert client.post(f"/moderation/appeals/{setting['appeal']}/dismiss",
                       data={"reason": "rules"}).status_code == 302
    assert client.post(f"/moderation/users/{setting['target']}/ban",
                       data={"action": "ban", "days": "7", "reason": "spam"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Appeal.resolved_at)) is not None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ban)) == 1
