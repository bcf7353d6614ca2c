"""Supports, follows and comments as plain form posts and through the JSON path of ideas.js."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from participation.extensions import db
from participation.ideas.models import IdeaComment
from tests.ideas.builders import get_idea, make_comment, make_idea

JSON = {"Accept": "application/json"}


def test_support_without_javascript_redirects_back(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id)
    auth.login(other.email)
    response = client.post(f"/ideas/{idea_id}/support")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ideas/{idea_id}#support")
    assert get_idea(app, idea_id)["support_count"] == 1
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert f'action="/ideas/{idea_id}/unsupport"' in page
    client.post(f"/ideas/{idea_id}/unsupport")
    assert get_idea(app, idea_id)["support_count"] == 0


def test_support_with_javascript_answers_json(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id)
    auth.login(other.email)
    response = client.post(f"/ideas/{idea_id}/support", headers=JSON)
    data = response.get_json()
    assert response.status_code == 200
    assert data["ok"] is True and data["support_count"] == 1
    assert f'action="/ideas/{idea_id}/unsupport"' in data["html"]
    again = client.post(f"/ideas/{idea_id}/support", headers=JSON).get_json()
    assert again["support_count"] == 1
    withdrawn = client.post(f"/ideas/{idea_id}/unsupport", headers=JSON).get_json()
    assert withdrawn["support_count"] == 0
    assert f'action="/ideas/{idea_id}/support"' in withdrawn["html"]


def test_support_refused_on_a_closed_idea(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id, status="rejected")
    auth.login(other.email)
    response = client.post(f"/ideas/{idea_id}/support", headers=JSON)
    assert response.status_code == 409
    assert response.get_json()["ok"] is False
    plain = client.post(f"/ideas/{idea_id}/support", follow_redirects=True)
    assert 'class="flash flash-error"' in plain.get_data(as_text=True)
    assert get_idea(app, idea_id)["support_count"] == 0


def test_follow_and_unfollow_pages(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id)
    auth.login(other.email)
    data = client.post(f"/ideas/{idea_id}/follow", headers=JSON).get_json()
    assert f'action="/ideas/{idea_id}/unfollow"' in data["html"]
    assert client.post(f"/ideas/{idea_id}/unfollow").status_code == 302
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert f'action="/ideas/{idea_id}/follow"' in page


def test_comment_and_reply_without_javascript(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id)
    auth.login(other.email)
    response = client.post(f"/ideas/{idea_id}/comments", data={"body": "Great <b>idea</b>"})
    with app.app_context():
        comment_id = db.session.scalar(sa.select(IdeaComment.id))
    assert response.headers["Location"].endswith(f"/ideas/{idea_id}#comment-{comment_id}")
    reply = client.post(f"/ideas/{idea_id}/comments",
                        data={"body": "Agreed", "parent_id": str(comment_id)})
    assert reply.status_code == 302
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "Great &lt;b&gt;idea&lt;/b&gt;" in page
    assert f'data-replies-for="{comment_id}"' in page and "Agreed" in page
    assert get_idea(app, idea_id)["comment_count"] == 2


def test_comment_with_javascript_answers_json(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id)
    auth.login(other.email)
    response = client.post(f"/ideas/{idea_id}/comments", data={"body": "Hello"}, headers=JSON)
    data = response.get_json()
    assert response.status_code == 200 and data["ok"] is True
    assert data["comment_count"] == 1 and data["parent_id"] is None
    assert f'id="comment-{data["comment_id"]}"' in data["html"] and "Hello" in data["html"]
    refused = client.post(f"/ideas/{idea_id}/comments", data={"body": " "}, headers=JSON)
    assert refused.status_code == 422
    assert refused.get_json()["ok"] is False and refused.get_json()["errors"]


def test_refused_comment_keeps_the_text(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id)
    auth.login(other.email)
    too_long = "word " * 401
    response = client.post(f"/ideas/{idea_id}/comments", data={"body": too_long})
    assert response.status_code == 422
    assert too_long.strip() in response.get_data(as_text=True)
    top = make_comment(app, resident.id, idea_id)
    reply = client.post(f"/ideas/{idea_id}/comments",
                        data={"body": "", "parent_id": str(top)})
    body = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert f'id="reply-{top}-error"' in body and "<details class=\"reply-box\" open>" in body


def test_closed_idea_shows_why_and_refuses_comments(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id, status="implemented")
    auth.login(other.email)
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert 'id="new-comment"' not in page
    response = client.post(f"/ideas/{idea_id}/comments", data={"body": "Late"})
    assert response.status_code == 422
    assert get_idea(app, idea_id)["comment_count"] == 0


def test_edit_within_window_then_refused(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id)
    comment_id = make_comment(app, other.id, idea_id, "Frist")
    auth.login(other.email)
    assert client.get(f"/ideas/comments/{comment_id}/edit").status_code == 200
    saved = client.post(f"/ideas/comments/{comment_id}/edit", data={"body": "First"})
    assert saved.status_code == 302
    with app.app_context():
        comment = db.session.get(IdeaComment, comment_id)
        assert comment.body == "First"
        comment.created_at = comment.created_at - timedelta(minutes=16)
        db.session.commit()
    late = client.post(f"/ideas/comments/{comment_id}/edit", data={"body": "Third"})
    assert late.status_code == 422 and "Third" in late.get_data(as_text=True)
    assert client.get(f"/ideas/comments/{comment_id}/edit").status_code == 302


def test_delete_shows_comment_deleted(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id)
    comment_id = make_comment(app, other.id, idea_id, "Oops")
    auth.login(other.email)
    assert client.get(f"/ideas/comments/{comment_id}/delete").status_code == 200
    client.post(f"/ideas/comments/{comment_id}/delete")
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "Oops" not in page
    assert 'class="comment-removed"' in page
    assert get_idea(app, idea_id)["comment_count"] == 0


def test_comments_are_rate_limited(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id)
    auth.login(other.email)
    statuses = [client.post(f"/ideas/{idea_id}/comments", data={"body": ""}).status_code
                for _ in range(31)]
    assert statuses == [422] * 30 + [429]
