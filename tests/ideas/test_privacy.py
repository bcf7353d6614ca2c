"""Download my data and account deletion, through the accounts service's registered hooks."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts import services as accounts
from participation.accounts.models import User
from participation.core import privacy
from participation.extensions import db
from participation.ideas import services, status_service
from participation.ideas.models import Idea, IdeaComment, IdeaFollow, IdeaSupport, Notification
from participation.indicators.models import ParticipationEvent
from tests.factories import DEFAULT_PASSWORD
from tests.ideas.builders import get_idea, make_comment, make_idea


def _act(app, resident_id, other_id, staff_id):
    mine = make_idea(app, resident_id, title="My bench idea")
    theirs = make_idea(app, other_id, title="Their idea")
    make_comment(app, resident_id, theirs, "My comment")
    with app.test_request_context():
        me = db.session.get(User, resident_id)
        services.support_idea(me, db.session.get(Idea, theirs))
        services.follow_idea(me, db.session.get(Idea, theirs))
        status_service.change_status(db.session.get(Idea, mine), db.session.get(User, staff_id),
                                     status_service.StatusDecision(status="under_review"))
        db.session.commit()
    return mine, theirs


def test_hooks_are_registered_when_the_app_is_made(app):
    assert "ideas" in privacy.exporters()
    assert "ideas" in privacy.anonymisers()


def test_export_holds_ideas_comments_supports_follows_notifications(app, client, auth,
                                                                   resident, other, staff):
    mine, theirs = _act(app, resident.id, other.id, staff.id)
    auth.login(resident.email)
    data = client.get("/profile/my-data.json").get_json()["ideas"]
    assert [idea["title"] for idea in data["ideas"]] == ["My bench idea"]
    assert data["ideas"][0]["description"] == "More benches near the playground, please."
    assert [comment["text"] for comment in data["comments"]] == ["My comment"]
    assert [row["idea_id"] for row in data["supports"]] == [theirs]
    assert [row["idea_id"] for row in data["follows"]] == [theirs]
    assert [(n["kind"], n["idea_id"]) for n in data["notifications"]] == [("idea_status", mine)]


def test_export_holds_the_earlier_versions_and_the_withdrawal(app, client, auth, resident):
    from participation.ideas import editing

    idea_id = make_idea(app, resident.id, title="My bench idea")
    with app.test_request_context():
        idea, me = db.session.get(Idea, idea_id), db.session.get(User, resident.id)
        editing.edit_idea(me, idea, "Benches by the pond", "Three benches, please.", "en",
                          place_address="Laaksolahden lampi", place_lat="", place_lon="")
        editing.withdraw_idea(me, idea, "The city already plans it.")
        db.session.commit()
    auth.login(resident.email)
    [exported] = client.get("/profile/my-data.json").get_json()["ideas"]["ideas"]
    assert (exported["title"], exported["place_address"]) == ("Benches by the pond",
                                                              "Laaksolahden lampi")
    assert exported["withdrawal_reason"] == "The city already plans it."
    assert exported["edited_at"] and exported["withdrawn_at"]
    [earlier] = exported["earlier_versions"]
    assert (earlier["title"], earlier["place_address"]) == ("My bench idea", "")
    assert earlier["description"] == "More benches near the playground, please."


def test_deletion_keeps_content_without_the_author(app, resident, other, staff):
    mine, theirs = _act(app, resident.id, other.id, staff.id)
    with app.test_request_context():
        accounts.delete_account(db.session.get(User, resident.id), DEFAULT_PASSWORD)
        db.session.commit()
    with app.app_context():
        for model in (IdeaSupport, IdeaFollow, Notification):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                     .where(model.user_id == resident.id)) == 0
        comment = db.session.scalar(sa.select(IdeaComment))
        assert (comment.author_id, comment.body) == (None, "My comment")
        events = db.session.scalar(sa.select(sa.func.count()).select_from(ParticipationEvent))
    assert get_idea(app, mine)["author_id"] is None
    assert get_idea(app, mine)["title"] == "My bench idea"
    assert get_idea(app, theirs)["support_count"] == 0
    assert events == 4  # idea submitted x2, comment, support: statistics stay
