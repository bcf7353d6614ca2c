"""The person's data export includes moderation; the audit trail's filters and its words."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.models import User
from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment
from participation.moderation import services
from participation.moderation.models import ModerationDecision
from tests.i18n_helpers import translated

EN = {"Accept-Language": "en"}


def test_my_data_includes_flags_answers_and_bans(app, client, auth, factory, author,
                                                 moderator, idea_id, comment_id):
    with app.test_request_context(headers=EN):
        services.flag_content(db.session.get(IdeaComment, comment_id),
                              db.session.get(User, author.id), "off_topic", "Not about parks")
        decision = services.decide(db.session.get(Idea, idea_id),
                                   db.session.get(User, moderator.id), "hide", "off_topic")
        services.appeal(decision, db.session.get(User, author.id), "It is about parks")
        services.ban_user(db.session.get(User, author.id), db.session.get(User, moderator.id),
                          2, "rules")
        db.session.commit()
    auth.login(author.email)
    data = client.get("/profile/my-data.json").get_json()["moderation"]
    assert [(f["content_type"], f["reason"], f["details"]) for f in data["flags"]] == [
        ("idea_comment", "off_topic", "Not about parks")]
    assert [a["text"] for a in data["appeals"]] == ["It is about parks"]
    assert [b["reason"] for b in data["bans"]] == ["rules"]
    assert {d["action"] for d in data["decisions_about_me"]} == {"hide", "ban"}


def test_log_filters_by_type_reason_and_moderator(app, client, auth, factory, moderator,
                                                  idea_id, comment_id):
    other = factory.user(display_name="Otto Other", roles=("moderator",))
    with app.test_request_context(headers=EN):
        services.decide(db.session.get(Idea, idea_id), db.session.get(User, moderator.id),
                        "hide", "spam")
        services.decide(db.session.get(IdeaComment, comment_id),
                        db.session.get(User, other.id), "hide", "harassment")
        db.session.commit()
    auth.login(moderator.email)
    page = client.get("/moderation/log", headers=EN).get_data(as_text=True)
    assert 'name="type"' in page and 'name="reason"' in page and 'name="moderator"' in page
    assert "Otto Other" in page

    def rows(query):
        html = client.get(f"/moderation/log?{query}", headers=EN).get_data(as_text=True)
        return html.count("/moderation/item/")

    assert rows("") == 2
    assert rows("type=idea_comment") == 1 and rows("type=proposal") == 0
    assert rows("reason=spam") == 1
    assert rows(f"moderator={other.id}") == 1
    assert rows("moderator=abc") == 2


def test_log_and_item_show_words_not_codes(app, client, auth, factory, moderator, idea_id):
    person = factory.user(display_name="Berit Banned")
    with app.test_request_context(headers=EN):
        services.decide(db.session.get(Idea, idea_id), db.session.get(User, moderator.id),
                        "lock_comments", "rules")
        services.ban_user(db.session.get(User, person.id), db.session.get(User, moderator.id),
                          3, "spam")
        db.session.commit()
    for language in ("fi", "sv", "en"):
        auth.logout()
        auth.login(factory.user(roles=("moderator",), language=language).email)
        headers = {"Accept-Language": language}
        log = client.get("/moderation/log", headers=headers).get_data(as_text=True)
        item = client.get(f"/moderation/item/idea/{idea_id}", headers=headers) \
            .get_data(as_text=True)
        for html in (log, item):
            assert "comments_locked" not in html and "comments_open" not in html
            assert translated(app, "Comments locked", language) in html
        assert "banned_until" not in log and "not_banned" not in log
        assert translated(app, "Not banned", language) in log
        assert "Berit Banned" in log  # who was banned
        assert ">idea 1<" not in log.replace(" ", "")
        assert translated(app, "Idea", language) in log
        assert "<dt>spam</dt>" not in item
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ModerationDecision)) == 2
