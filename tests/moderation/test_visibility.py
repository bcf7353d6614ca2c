"""Hidden content never shows in lists or search; its place shows the reason instead."""

from __future__ import annotations

import re

from participation.accounts.models import User
from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment
from participation.moderation import services
from tests.i18n_helpers import translated
from tests.ideas.builders import make_idea

REASON = "This content was removed because it was spam or advertising."


def _hide(app, model, object_id, moderator_id, reason="spam"):
    with app.test_request_context():
        services.decide(db.session.get(model, object_id), db.session.get(User, moderator_id),
                        "hide", reason)
        db.session.commit()


def test_hidden_idea_leaves_lists_and_search(app, client, author, moderator):
    kept = make_idea(app, author.id, title="Kirjasto Leppävaaraan", language="fi")
    hidden = make_idea(app, author.id, title="Kirjasto mainos", language="fi")
    _hide(app, Idea, hidden, moderator.id)
    listing = client.get("/ideas").get_data(as_text=True)
    assert "Kirjasto Leppävaaraan" in listing and "Kirjasto mainos" not in listing
    found = re.sub(r"</?mark>", "", client.get("/ideas?q=kirjasto").get_data(as_text=True))
    assert "Kirjasto Leppävaaraan" in found and "Kirjasto mainos" not in found
    assert f"/ideas/{hidden}" not in client.get("/").get_data(as_text=True)
    assert kept != hidden


def test_hidden_idea_page_shows_the_reason_in_the_readers_language(app, client, author,
                                                                   moderator, idea_id):
    _hide(app, Idea, idea_id, moderator.id)
    for language in ("fi", "sv", "en"):
        response = client.get(f"/ideas/{idea_id}", headers={"Accept-Language": language})
        assert response.status_code == 410
        html = response.get_data(as_text=True)
        assert translated(app, REASON, language) in html
        assert "Leikkipuisto Tapiolaan" not in html


def test_hidden_comment_replaced_by_reason(app, client, moderator, idea_id, comment_id):
    _hide(app, IdeaComment, comment_id, moderator.id)
    html = client.get(f"/ideas/{idea_id}", headers={"Accept-Language": "sv"}) \
        .get_data(as_text=True)
    assert "Bra idé!" not in html
    assert translated(app, REASON, "sv") in html
    with app.app_context():
        assert db.session.get(Idea, idea_id).comment_count == 0


def test_flagged_to_threshold_leaves_search(app, client, factory, author, idea_id):
    with app.test_request_context():
        idea = db.session.get(Idea, idea_id)
        for _ in range(3):
            services.flag_content(idea, db.session.get(User, factory.user().id), "spam")
        db.session.commit()
    assert "A new playground" not in client.get("/ideas?q=playground").get_data(as_text=True)
    assert client.get(f"/ideas/{idea_id}").status_code == 404


def test_word_filter_sends_new_content_to_the_queue(app, author, factory):
    idea = make_idea(app, author.id, title="Puisto", language="fi",
                     description="Tämä vitun puisto pitää korjata.")
    clean = make_idea(app, author.id, title="Puisto 2", language="fi",
                      description="Tämä puisto pitää korjata.")
    with app.app_context():
        assert db.session.get(Idea, idea).moderation_state == "pending"
        assert db.session.get(Idea, clean).moderation_state == "published"
        from participation.moderation.queue import QueueFilters, queue

        kinds = {entry.obj.id: entry.kind for entry in queue(QueueFilters())}
    assert kinds[idea] == "held" and kinds[clean] == "new"


def test_hidden_idea_is_not_in_notifications_or_others_exports(app, client, auth, factory,
                                                                author, moderator):
    kept = make_idea(app, author.id, title="Kirjasto Leppävaaraan", language="fi",
                     description="Uusi kirjasto Leppävaaraan.")
    hidden = make_idea(app, author.id, title="Osta halpaa", language="fi",
                       description="Halpoja tarjouksia osoitteessa kauppa.")
    _hide(app, Idea, hidden, moderator.id)
    auth.login(author.email)
    notes = client.get("/notifications", headers={"Accept-Language": "en"}).text
    assert "/appeal" in notes  # positive control: the decision is there, not the content
    assert "Halpoja tarjouksia" not in notes and "Osta halpaa" not in notes
    auth.logout()
    reader = factory.user()
    auth.login(reader.email)
    export = client.get("/profile/my-data.json").text
    assert "Osta halpaa" not in export and "Kirjasto" not in export
    found = re.sub(r"</?mark>", "", client.get("/ideas?q=kirjasto").text)
    assert "Kirjasto Leppävaaraan" in found
    assert "Osta halpaa" not in client.get("/ideas?q=halpaa").text
    assert kept != hidden
