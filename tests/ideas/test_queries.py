"""No N+1: the list page (and the idea page) make the same number of queries for 3 or 30 items."""

from __future__ import annotations

from participation.extensions import db
from tests.ideas.builders import make_comment, make_idea
from tests.statements import counted


def _make_ideas(app, authors, count, start=0):
    themes = ("parks-nature", "culture", "learning")
    for number in range(start, start + count):
        make_idea(app, authors[number % len(authors)].id, title=f"Idea {number}",
                  description=f"What idea {number} is about.",
                  theme=themes[number % 3], area_code=(number % 7) + 1 if number % 4 else None)


def _queries(app, client, url) -> int:
    with counted(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_list_page_queries_do_not_grow_with_ideas(app, client, auth, factory):
    authors = [factory.user() for _ in range(3)]
    _make_ideas(app, authors, 3)
    # The first text search in a process reads the stem statistics once (cached for minutes):
    # warm it up so that the counts below compare like with like whatever ran before.
    client.get("/ideas?q=idea")
    anonymous_few = _queries(app, client, "/ideas")
    searched_few = _queries(app, client, "/ideas?q=idea&sort=supported")
    auth.login(authors[0].email)
    signed_in_few = _queries(app, client, "/ideas")
    auth.logout()
    _make_ideas(app, authors + [factory.user() for _ in range(5)], 27, start=3)
    assert _queries(app, client, "/ideas") == anonymous_few
    assert _queries(app, client, "/ideas?q=idea&sort=supported") == searched_few
    auth.login(authors[0].email)
    # Signed in with a home area, the list reads the home area's part and, once that part no
    # longer fills the page, one more part (search.home_first_applies): one read at most.
    assert signed_in_few <= _queries(app, client, "/ideas") <= signed_in_few + 1
    many = _queries(app, client, "/ideas")
    _make_ideas(app, authors, 30, start=30)
    assert _queries(app, client, "/ideas") == many
    assert anonymous_few <= 6


def test_list_page_does_not_load_authors(app, client, factory):
    author = factory.user(display_name="Never Shown Author")
    _make_ideas(app, [author], 3)
    with counted(app) as statements:
        body = client.get("/ideas?sort=supported").get_data(as_text=True)
    listing = [sql for sql in statements if "idea.description_text" in sql and "LIMIT" in sql
               and not sql.startswith("SELECT count(")]  # the capped count has a LIMIT too
    assert len(listing) == 1
    assert '"user"' not in listing[0] and "user_1" not in listing[0]
    assert "Never Shown Author" not in body


def test_my_ideas_queries_do_not_grow_with_ideas(app, client, auth, factory):
    author = factory.user()
    _make_ideas(app, [author], 3)
    auth.login(author.email)
    few = _queries(app, client, "/my/ideas")
    _make_ideas(app, [author], 22, start=3)
    assert _queries(app, client, "/my/ideas") == few
    assert "Idea 24" in client.get("/my/ideas").get_data(as_text=True)


def _take_part(app, user_id, idea_ids):
    from participation.accounts.models import User
    from participation.ideas import services
    from participation.ideas.models import Idea

    with app.test_request_context():
        user = db.session.get(User, user_id)
        for idea_id in idea_ids:
            idea = db.session.get(Idea, idea_id)
            services.support_idea(user, idea)
            services.follow_idea(user, idea)
        db.session.commit()
    for idea_id in idea_ids:
        make_comment(app, user_id, idea_id, f"Comment on {idea_id}")


def test_my_activity_queries_do_not_grow_with_activity(app, client, auth, factory):
    author, resident = factory.user(), factory.user()
    ideas = [make_idea(app, author.id, title=f"Idea {number}", description=f"About {number}.")
             for number in range(12)]
    _take_part(app, resident.id, ideas[:2])
    auth.login(resident.email)
    few = _queries(app, client, "/my/activity")
    _take_part(app, resident.id, ideas[2:])
    assert _queries(app, client, "/my/activity") == few
    body = client.get("/my/activity").get_data(as_text=True)
    assert body.count("Comment on") == 12


def test_idea_page_queries_do_not_grow_with_comments(app, client, auth, factory):
    author, *commenters = [factory.user() for _ in range(6)]
    idea = make_idea(app, author.id)
    make_idea(app, author.id, title="Related")
    first = make_comment(app, commenters[0].id, idea)
    make_comment(app, commenters[1].id, idea, parent_id=first)
    auth.login(author.email)
    few = _queries(app, client, f"/ideas/{idea}")
    for commenter in commenters:
        top = make_comment(app, commenter.id, idea)
        make_comment(app, author.id, idea, parent_id=top)
    assert _queries(app, client, f"/ideas/{idea}") == few
