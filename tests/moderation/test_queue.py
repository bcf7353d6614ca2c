"""The queue: filters, order, counts and pages come from the database, with no item cut off."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.models import Area
from participation.core.types import utcnow
from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment
from participation.moderation import services
from participation.moderation.queue import QueueFilters, queue, queue_count, queue_length
from tests.ideas.builders import make_idea

EN = {"Accept-Language": "en"}


def _area(code):
    return db.session.scalar(sa.select(Area.id).where(Area.code == code))


def _flag(app, factory, model, object_id, reason="spam", details=""):
    with app.test_request_context():
        services.flag_content(db.session.get(model, object_id),
                              db.session.get(User, factory.user().id), reason, details)
        db.session.commit()


def _age(app, model, object_id, days):
    with app.app_context():
        db.session.get(model, object_id).created_at = utcnow() - timedelta(days=days)
        db.session.commit()


def test_held_first_then_flagged_then_new_oldest_first(app, factory, author, idea_id,
                                                       comment_id):
    older_new = make_idea(app, author.id, title="Older new idea")
    held = make_idea(app, author.id, title="Held idea", moderation_state="pending")
    _age(app, Idea, older_new, 10)
    _age(app, Idea, idea_id, 5)
    _flag(app, factory, IdeaComment, comment_id)
    with app.app_context():
        order = [(entry.kind, entry.moderated.key, entry.obj.id)
                 for entry in queue(QueueFilters())]
    assert order == [("held", "idea", held), ("flagged", "idea_comment", comment_id),
                     ("new", "idea", older_new), ("new", "idea", idea_id)]


def test_area_state_and_language_filters_count_in_the_database(app, factory, author,
                                                               idea_id, comment_id):
    elsewhere = make_idea(app, author.id, title="Idea in area 2", area_code=2)
    hidden = make_idea(app, author.id, title="Hidden idea", moderation_state="hidden")
    with app.app_context():
        area_1, area_2 = _area(1), _area(2)
        # The comment's area is its idea's area (a correlated subquery, not Python).
        in_area_1 = {(e.moderated.key, e.obj.id) for e in queue(QueueFilters(area_id=area_1))}
        assert in_area_1 == {("idea", idea_id), ("idea_comment", comment_id), ("idea", hidden)}
        assert queue_count(QueueFilters(area_id=area_2)) == 1
        assert [e.obj.id for e in queue(QueueFilters(area_id=area_2))] == [elsewhere]
        assert [e.obj.id for e in queue(QueueFilters(state="hidden"))] == [hidden]
        assert queue_count(QueueFilters(state="pending")) == 0
        assert queue_count(QueueFilters(language="sv")) == 1
        assert queue_count(QueueFilters(content_type="idea", language="sv")) == 0


def test_over_a_thousand_old_items_do_not_push_out_new_held_ones(app, author, idea_id):
    with app.app_context():
        template = db.session.get(Idea, idea_id)
        old = utcnow() - timedelta(days=400)
        db.session.execute(sa.insert(Idea), [{
            "title": f"Old idea {number}", "description_text": "Old.",
            "description_html": "<p>Old.</p>", "language": "fi", "theme_id": template.theme_id,
            "area_id": template.area_id, "author_id": author.id, "created_at": old,
        } for number in range(1100)])
        db.session.commit()
    held = make_idea(app, author.id, title="Newest held idea", moderation_state="pending")
    with app.app_context():
        assert queue_length() == 1102
        first = queue(QueueFilters(), limit=20)
        assert (first[0].kind, first[0].obj.id) == ("held", held)
        last_page = queue(QueueFilters(), offset=1101, limit=20)
        assert [entry.obj.id for entry in last_page] == [idea_id]


def test_queue_page_shows_flag_reasons_history_and_pages(app, client, auth, factory, author,
                                                         moderator, idea_id):
    _flag(app, factory, Idea, idea_id, "harassment", "Rude words about the neighbours")
    for number in range(21):
        make_idea(app, author.id, title=f"Idea number {number}")
    auth.login(moderator.email)
    html = client.get("/moderation/", headers=EN).get_data(as_text=True)
    assert "22 items in the queue." in html
    assert "Harassment or hate speech" in html and "Rude words about the neighbours" in html
    assert "Idea: 22" in html  # the author's history: how many ideas they wrote
    assert "Flagged 1 time in all." in html
    second = client.get("/moderation/?page=2", headers=EN).get_data(as_text=True)
    assert second.count('class="queue-item') == 2
    assert client.get("/moderation/?page=99999999999999999999").status_code == 200
    assert client.get("/moderation/?area=abc&state=nope&type=nope").status_code == 200


def test_held_entries_say_why(app, client, auth, author, moderator):
    make_idea(app, author.id, title="Puisto", language="fi",
              description="Tämä vitun puisto pitää korjata.")
    make_idea(app, author.id, title="Pre-moderated", moderation_state="pending")
    auth.login(moderator.email)
    html = client.get("/moderation/", headers=EN).get_data(as_text=True)
    assert "The word filter found words that need a moderator" in html
    assert "Waiting for a moderator before publishing" in html
