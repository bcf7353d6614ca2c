"""Screening: titles too, and the same text posted several times in a short while."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment
from participation.moderation.models import ModerationDecision
from tests.ideas.builders import make_comment, make_idea


def _state(app, model, object_id):
    with app.app_context():
        return db.session.get(model, object_id).moderation_state


def test_idea_titles_are_screened(app, author):
    rude = make_idea(app, author.id, title="Vitun huono puisto", language="fi",
                     description="Puisto pitää korjata.")
    fine = make_idea(app, author.id, title="Huono puisto", language="fi",
                     description="Puisto pitää korjata.")
    assert _state(app, Idea, rude) == "pending"
    assert _state(app, Idea, fine) == "published"


def test_the_same_text_many_times_goes_to_the_queue(app, factory, author, idea_id):
    other_idea = make_idea(app, author.id, title="Toinen", language="fi",
                           description="Toinen idea.")
    spammer = factory.user()
    text = "Visit my shop for great deals"
    first = make_comment(app, spammer.id, idea_id, body=text)
    second = make_comment(app, spammer.id, other_idea, body=f"  {text.upper()} ")
    assert (_state(app, IdeaComment, first), _state(app, IdeaComment, second)) == \
        ("published", "published")
    third = make_comment(app, spammer.id, idea_id, body=text)
    assert _state(app, IdeaComment, third) == "pending"
    with app.app_context():
        hold = db.session.scalar(sa.select(ModerationDecision).filter_by(
            content_type="idea_comment", content_id=third))
        assert (hold.action, hold.reason) == ("auto_hold", "repeated_text")
    # Someone else writing the same words is not repetition.
    assert _state(app, IdeaComment, make_comment(app, factory.user().id, idea_id,
                                                 body=text)) == "published"


def test_repetition_only_counts_within_the_window(app, factory, idea_id):
    spammer = factory.user()
    text = "Visit my shop for great deals"
    old = [make_comment(app, spammer.id, idea_id, body=text) for _ in range(2)]
    with app.app_context():
        for comment_id in old:
            comment = db.session.get(IdeaComment, comment_id)
            comment.created_at = comment.created_at - timedelta(hours=2)
        db.session.commit()
    assert _state(app, IdeaComment, make_comment(app, spammer.id, idea_id, body=text)) == \
        "published"


def test_flagging_is_limited_per_account_not_per_address(client, factory, auth, author):
    app = client.application
    ideas = [make_idea(app, author.id, title=f"Idea {n}") for n in range(22)]
    first, second = factory.user(), factory.user()
    auth.login(first.email)
    statuses = [client.post(f"/moderation/report/idea/{i}", data={"reason": "spam"}).status_code
                for i in ideas[:21]]
    assert statuses[-1] == 429
    auth.logout()
    auth.login(second.email)  # same address, another account: its own limit
    assert client.post(f"/moderation/report/idea/{ideas[21]}",
                       data={"reason": "spam"}).status_code == 302
