"""Notifications: in-app rows and page, header badge, emails in the recipient's language."""

from __future__ import annotations

import email
from datetime import datetime
from email import policy
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from participation.accounts.models import User
from participation.extensions import db
from participation.ideas import services, status_service
from participation.ideas.models import Idea, Notification
from tests.i18n_helpers import translated
from tests.ideas.builders import make_comment, make_idea


def _opt_in(app, *user_ids):
    with app.app_context():
        for user_id in user_ids:
            db.session.get(User, user_id).email_notifications = True
        db.session.commit()


def _support(app, user_id, idea_id):
    with app.test_request_context():
        services.support_idea(db.session.get(User, user_id), db.session.get(Idea, idea_id))
        db.session.commit()


def _answer(app, staff_id, idea_id, status="answered", reason="Thank you, we will do it."):
    with app.test_request_context():
        status_service.change_status(
            db.session.get(Idea, idea_id), db.session.get(User, staff_id),
            status_service.StatusDecision(status=status, reason=reason))
        db.session.commit()


def _mails(outbox) -> dict[str, email.message.EmailMessage]:
    messages = [email.message_from_bytes(path.read_bytes(), policy=policy.default)
                for path in sorted(outbox.glob("*.eml"))]
    return {message["To"]: message for message in messages}


def test_email_goes_to_those_who_opted_in_in_their_language(app, outbox, factory, staff):
    author = factory.user(language="sv")
    supporter = factory.user(language="fi")
    silent = factory.user(language="en")
    _opt_in(app, author.id, supporter.id)
    idea_id = make_idea(app, author.id)
    _support(app, supporter.id, idea_id)
    _support(app, silent.id, idea_id)
    _answer(app, staff.id, idea_id)
    mails = _mails(outbox)
    assert set(mails) == {author.email, supporter.email}
    answered_sv = translated(app, "Answered", "sv")
    assert mails[author.email]["Subject"] == translated(
        app, "Your idea's status: %(status)s", "sv", status=answered_sv)
    assert mails[supporter.email]["Subject"] == translated(
        app, "An idea you follow: %(status)s", "fi", status=translated(app, "Answered", "fi"))
    sv_body = mails[author.email].get_content()
    fi_body = mails[supporter.email].get_content()
    # Dates are written the recipient's way (Finland's 3.12.2026), whatever the request's.
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    assert f"{translated(app, 'Date:', 'sv')} {today.day}.{today.month}.{today.year}" in sv_body
    assert f"{translated(app, 'Date:', 'fi')} {today.day}.{today.month}.{today.year}" in fi_body
    assert "Thank you, we will do it." in sv_body
    assert f"/ideas/{idea_id}" in sv_body
    with app.app_context():
        in_app = db.session.scalars(sa.select(Notification.user_id)).all()
    assert sorted(in_app) == sorted([author.id, supporter.id, silent.id])


def test_notifications_page_badge_and_mark_all_read(app, client, auth, resident, staff):
    idea_id = make_idea(app, resident.id, title="Skate park")
    _answer(app, staff.id, idea_id, status="under_review", reason="")
    make_comment(app, staff.id, idea_id, "Nice idea")
    auth.login(resident.email)
    page = client.get("/notifications")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert body.count('class="notification notification-unread"') == 2
    assert '<span class="nav-badge" aria-hidden="true">2</span>' in body
    assert f'href="/ideas/{idea_id}#status"' in body
    assert "Skate park" in body
    done = client.post("/notifications/read", follow_redirects=True)
    body = done.get_data(as_text=True)
    assert "notification-unread" not in body
    assert "nav-badge" not in body


def test_commenting_tells_the_author_and_followers_not_the_commenter(app, resident, other,
                                                                     factory):
    follower = factory.user()
    idea_id = make_idea(app, resident.id)
    with app.test_request_context():
        services.follow_idea(db.session.get(User, follower.id), db.session.get(Idea, idea_id))
        services.follow_idea(db.session.get(User, other.id), db.session.get(Idea, idea_id))
        db.session.commit()
    make_comment(app, other.id, idea_id)
    with app.app_context():
        told = db.session.scalars(sa.select(Notification.user_id)
                                  .where(Notification.kind == "idea_commented")).all()
    assert sorted(told) == sorted([resident.id, follower.id])


def test_notifications_are_private(app, client, auth, resident, other, staff):
    idea_id = make_idea(app, resident.id, title="Private bench")
    _answer(app, staff.id, idea_id)
    auth.login(other.email)
    body = client.get("/notifications").get_data(as_text=True)
    assert "Private bench" not in body
    assert client.post("/notifications/read").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Notification.read_at)) is None


def test_other_packages_register_their_kinds(app, client, auth, resident, monkeypatch):
    from participation.ideas import notifications

    monkeypatch.setattr(notifications, "_kinds", dict(notifications._kinds))
    notifications.register_kind("test_kind", lambda n: f"Test text {n.params['n']}",
                                lambda n: "/accessibility")
    with app.app_context():
        db.session.add(Notification(user_id=resident.id, kind="test_kind", params={"n": 7}))
        db.session.add(Notification(user_id=resident.id, kind="unknown_kind", params={}))
        db.session.commit()
    auth.login(resident.email)
    body = client.get("/notifications").get_data(as_text=True)
    assert '<a href="/accessibility">Test text 7</a>' in body
    assert body.count('class="notification notification-unread"') == 2


def test_comments_held_by_the_filter_notify_nobody(app, resident, other, factory):
    follower = factory.user()
    idea_id = make_idea(app, resident.id)
    with app.test_request_context():
        services.follow_idea(db.session.get(User, follower.id), db.session.get(Idea, idea_id))
        db.session.commit()
    make_comment(app, other.id, idea_id, "You are all bastards")
    with app.app_context():
        told = db.session.scalars(sa.select(Notification.user_id)
                                  .where(Notification.kind == "idea_commented")).all()
    assert told == []
    make_comment(app, other.id, idea_id, "A kind word")
    with app.app_context():
        told = db.session.scalars(sa.select(Notification.user_id)
                                  .where(Notification.kind == "idea_commented")).all()
    assert sorted(told) == sorted([resident.id, follower.id])


def test_a_hidden_idea_is_not_named_in_notifications(app, client, auth, resident, other,
                                                     staff):
    idea_id = make_idea(app, resident.id, title="Ugly secret title")
    _support(app, other.id, idea_id)
    _answer(app, staff.id, idea_id, status="under_review", reason="")
    make_comment(app, staff.id, idea_id, "Nice idea")
    with app.app_context():
        db.session.get(Idea, idea_id).moderation_state = "hidden"
        db.session.commit()
    auth.login(other.email)
    body = client.get("/notifications").get_data(as_text=True)
    neutral = translated(app, "There was news about an idea that is no longer shown in the "
                              "service.", "fi")
    assert "Ugly secret title" not in body
    assert body.count(neutral) == 1
    assert f'href="/ideas/{idea_id}' not in body
    auth.logout()
    # The author still sees their own idea's title (they can open the idea too).
    auth.login(resident.email)
    body = client.get("/notifications").get_data(as_text=True)
    assert body.count("Ugly secret title") == 2


def test_a_reply_tells_the_author_of_the_comment_it_answers(app, client, auth, resident, other,
                                                            factory):
    commenter = factory.user(language="en")
    idea_id = make_idea(app, resident.id)
    first = make_comment(app, commenter.id, idea_id, body="Where exactly?")
    make_comment(app, other.id, idea_id, body="Near the school.", parent_id=first)
    make_comment(app, commenter.id, idea_id, body="Thanks!", parent_id=first)  # own thread
    with app.app_context():
        told = db.session.execute(sa.select(Notification.user_id, Notification.kind)
                                  .order_by(Notification.id)).all()
    assert (commenter.id, "idea_comment_replied") in told
    assert [kind for user, kind in told if user == commenter.id] == ["idea_comment_replied"]
    auth.login(commenter.email)
    page = client.get("/notifications", headers={"Accept-Language": "en"}).text
    assert "Someone replied to your comment on the idea" in page
