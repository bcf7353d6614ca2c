"""Statuses set by staff: reasons, merging, budgeting links, timeline, audit, notifications."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.exceptions import ServiceError
from participation.core.models import AuditEntry
from participation.extensions import db
from participation.ideas import services, status_service
from participation.ideas.models import Idea, IdeaStatusChange, Notification
from tests.i18n_helpers import translated
from tests.ideas.builders import get_idea, make_idea


def _change(app, staff_id, idea_id, **decision):
    with app.test_request_context():
        idea = db.session.get(Idea, idea_id)
        change = status_service.change_status(
            idea, db.session.get(User, staff_id), status_service.StatusDecision(**decision))
        db.session.commit()
        return change.id


def _field(app, staff_id, idea_id, **decision) -> str:
    with pytest.raises(ServiceError) as caught:
        _change(app, staff_id, idea_id, **decision)
    with app.app_context():
        db.session.rollback()
    return caught.value.field


def test_status_change_writes_timeline_audit_and_answer(app, resident, staff):
    idea_id = make_idea(app, resident.id, language="sv")
    _change(app, staff.id, idea_id, status="under_review", reason="Looking into it.")
    _change(app, staff.id, idea_id, status="answered", reason="We will do it.",
            lock_comments=True)
    idea = get_idea(app, idea_id)
    assert idea["status"] == "answered"
    assert idea["public_answer"] == "We will do it."
    assert idea["public_answer_language"] == "sv"
    assert idea["comments_locked"] is True
    with app.app_context():
        history = db.session.execute(
            sa.select(IdeaStatusChange.from_status, IdeaStatusChange.to_status,
                      IdeaStatusChange.reason).order_by(IdeaStatusChange.id)).all()
        audits = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.target_type == "idea")
            .order_by(AuditEntry.id)).all()
        assert [tuple(row) for row in history] == [
            ("submitted", "under_review", "Looking into it."),
            ("under_review", "answered", "We will do it."),
        ]
        assert [(a.action, a.actor_id, a.target_id) for a in audits] == [
            ("idea.status", staff.id, idea_id), ("idea.status", staff.id, idea_id)]
        assert audits[1].before["status"] == "under_review"
        assert audits[1].after == {"status": "answered", "comments_locked": True,
                                   "merged_into_id": None}


@pytest.mark.parametrize("status", ["answered", "rejected"])
def test_answered_and_rejected_need_a_reason(app, resident, staff, status):
    idea_id = make_idea(app, resident.id)
    assert _field(app, staff.id, idea_id, status=status, reason="  ") == "reason"
    assert get_idea(app, idea_id)["status"] == "submitted"


def test_unknown_status_and_overlong_reason_are_refused(app, resident, staff):
    idea_id = make_idea(app, resident.id)
    assert _field(app, staff.id, idea_id, status="done") == "status"
    assert _field(app, staff.id, idea_id, status="answered", reason="x" * 4001) == "reason"


def test_merge_needs_a_published_target_that_is_not_merged(app, resident, staff):
    idea_id = make_idea(app, resident.id)
    target = make_idea(app, resident.id, title="Target")
    pending = make_idea(app, resident.id, title="Pending", moderation_state="pending")
    for reference in ("", "abc", str(idea_id), str(pending), "999999"):
        assert _field(app, staff.id, idea_id, status="merged",
                      merge_target=reference) == "merge_target"
    _change(app, staff.id, idea_id, status="merged", merge_target=f"/ideas/{target}")
    assert get_idea(app, idea_id)["merged_into_id"] == target
    third = make_idea(app, resident.id, title="Third")
    assert _field(app, staff.id, third, status="merged", merge_target=f"#{idea_id}") \
        == "merge_target"
    _change(app, staff.id, idea_id, status="under_review")
    assert get_idea(app, idea_id)["merged_into_id"] is None


def test_merge_is_shown_on_both_ideas(app, client, resident, staff):
    idea_id = make_idea(app, resident.id, title="Small idea")
    target = make_idea(app, resident.id, title="Big idea")
    _change(app, staff.id, idea_id, status="merged", merge_target=str(target))
    merged_page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    target_page = client.get(f"/ideas/{target}").get_data(as_text=True)
    assert f'href="/ideas/{target}"' in merged_page
    assert f'href="/ideas/{idea_id}"' in target_page


@pytest.mark.parametrize("url, ok", [("https://example.org/pb/12", True), ("/budgeting/3", True),
                                     ("", False), ("javascript:alert(1)", False),
                                     ("//evil.example/x", False), ("ftp://x.org", False)])
def test_budgeting_proposal_needs_a_link(app, resident, staff, url, ok):
    idea_id = make_idea(app, resident.id)
    if ok:
        _change(app, staff.id, idea_id, status="budgeting_proposal", proposal_url=url)
        assert get_idea(app, idea_id)["budgeting_proposal_url"] == url
        assert get_idea(app, idea_id)["budgeting_proposal_id"] is None
    else:
        assert _field(app, staff.id, idea_id, status="budgeting_proposal",
                      proposal_url=url) == "proposal_url"


def test_author_supporters_and_followers_are_notified_once(app, resident, other, staff,
                                                          factory):
    follower = factory.user()
    idea_id = make_idea(app, resident.id)
    with app.test_request_context():
        idea = db.session.get(Idea, idea_id)
        services.support_idea(db.session.get(User, other.id), idea)
        services.follow_idea(db.session.get(User, other.id), idea)
        services.follow_idea(db.session.get(User, follower.id), idea)
        services.support_idea(db.session.get(User, staff.id), idea)
        db.session.commit()
    _change(app, staff.id, idea_id, status="under_review")
    with app.app_context():
        rows = db.session.execute(
            sa.select(Notification.user_id, Notification.kind, Notification.params)
            .where(Notification.kind == "idea_status").order_by(Notification.user_id)).all()
    assert [row.user_id for row in rows] == sorted([resident.id, other.id, follower.id])
    assert rows[0].params == {"title": "Benches for the park", "status": "under_review"}


def test_status_page_offers_templates_in_the_ideas_language(app, client, auth, resident, staff):
    idea_id = make_idea(app, resident.id, language="sv")
    auth.login(staff.email)
    page = client.get(f"/ideas/{idea_id}/status?template=rejected.land")
    text = translated(app, "The idea cannot be carried out, because the land in question is "
                           "not owned by the city.", "sv")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"\r\n{text}</textarea>" in body.replace("&#39;", "'")
    assert '<option selected value="rejected">' in body


def test_status_form_saves_and_keeps_text_on_error(app, client, auth, resident, staff):
    idea_id = make_idea(app, resident.id)
    auth.login(staff.email)
    refused = client.post(f"/ideas/{idea_id}/status",
                          data={"status": "merged", "reason": "Same as another idea",
                                "merge_target": "12345678"})
    assert refused.status_code == 422
    assert "Same as another idea" in refused.get_data(as_text=True)
    saved = client.post(f"/ideas/{idea_id}/status",
                        data={"status": "rejected", "reason": "Not city land."})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/ideas/{idea_id}#status")
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "Not city land." in page
    assert 'class="status-timeline"' in page


def test_a_later_status_without_reason_clears_the_old_answer(app, client, resident, staff):
    idea_id = make_idea(app, resident.id)
    _change(app, staff.id, idea_id, status="answered", reason="OLD answer text")
    _change(app, staff.id, idea_id, status="under_review")
    idea = get_idea(app, idea_id)
    assert idea["public_answer"] == ""
    assert idea["public_answer_language"] is None
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert 'class="public-answer"' not in page
    # The old reason stays in the timeline, where it belongs.
    assert "OLD answer text" in page


def test_moving_away_from_budgeting_proposal_drops_the_proposal_link(app, client, resident,
                                                                     staff):
    idea_id = make_idea(app, resident.id)
    _change(app, staff.id, idea_id, status="budgeting_proposal", proposal_url="/budgeting/3")
    assert 'href="/budgeting/3"' in client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    _change(app, staff.id, idea_id, status="under_review", reason="Back to the drawing board.")
    assert get_idea(app, idea_id)["budgeting_proposal_url"] == ""
    assert 'href="/budgeting/3"' not in client.get(f"/ideas/{idea_id}").get_data(as_text=True)
