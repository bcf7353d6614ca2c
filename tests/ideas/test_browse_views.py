"""The idea list: filters and sorts in the URL, pagination, search, related ideas, my pages."""

from __future__ import annotations

import re

import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.models import Area
from participation.extensions import db
from participation.ideas import services
from participation.ideas.models import Idea
from tests.ideas.builders import make_comment, make_idea


def _titles(body: str) -> list[str]:
    return re.findall(r'class="idea-card-title"[^>]*><a href="/ideas/\d+">(.+?)</a>',
                      re.sub(r"</?mark>", "", body))


def _support(app, user_id, idea_id):
    with app.test_request_context():
        services.support_idea(db.session.get(User, user_id), db.session.get(Idea, idea_id))
        db.session.commit()


def _area_id(app, code):
    with app.app_context():
        return db.session.scalar(sa.select(Area.id).where(Area.code == code))


def test_filters_each_have_their_own_address(app, client, resident, factory):
    make_idea(app, resident.id, title="Leppävaara park", area_code=1, language="fi")
    make_idea(app, resident.id, title="Tapiola culture", area_code=2, theme="culture",
              language="sv")
    make_idea(app, resident.id, title="City bikes", area_code=None, theme="traffic-safety")
    make_idea(app, resident.id, title="Answered one", status="answered")
    assert set(_titles(client.get("/ideas").get_data(as_text=True))) == {
        "Leppävaara park", "Tapiola culture", "City bikes", "Answered one"}
    cases = {
        f"/ideas?area={_area_id(app, 2)}": ["Tapiola culture"],
        "/ideas?area=city": ["City bikes"],
        "/ideas?theme=culture": ["Tapiola culture"],
        "/ideas?language=sv": ["Tapiola culture"],
        "/ideas?status=answered": ["Answered one"],
        "/ideas?theme=traffic-safety&area=city&process=ideas": ["City bikes"],
        "/ideas?q=park": ["Leppävaara park"],
    }
    for url, expected in cases.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert _titles(response.get_data(as_text=True)) == expected, url


def test_unknown_filter_values_are_ignored(app, client, resident):
    make_idea(app, resident.id)
    for url in ("/ideas?area=abc", "/ideas?theme=nope", "/ideas?status=x&language=zz",
                "/ideas?sort=weird&page=-3", "/ideas?process=pb-9999", "/ideas?page=abc",
                "/ideas?q=" + "x" * 500):
        response = client.get(url)
        assert response.status_code == 200, url


def test_sorting_by_supports_and_comments(app, client, resident, other, factory):
    quiet = make_idea(app, resident.id, title="Quiet")
    loved = make_idea(app, resident.id, title="Loved")
    talked = make_idea(app, resident.id, title="Talked about")
    _support(app, other.id, loved)
    _support(app, resident.id, loved)
    _support(app, other.id, quiet)
    make_comment(app, other.id, talked)
    make_comment(app, other.id, talked)

    def page(sort):
        return _titles(client.get(f"/ideas?sort={sort}").get_data(as_text=True))

    assert page("newest") == ["Talked about", "Loved", "Quiet"]
    assert page("supported") == ["Loved", "Quiet", "Talked about"]
    assert page("discussed")[0] == "Talked about"


def test_pagination_keeps_the_filters(app, client, resident):
    for number in range(23):
        make_idea(app, resident.id, title=f"Idea {number:02d}", theme="culture")
    first = client.get("/ideas?theme=culture&sort=newest").get_data(as_text=True)
    assert len(_titles(first)) == 20
    assert 'href="/ideas?page=2&amp;theme=culture&amp;sort=newest"' in first
    second = client.get("/ideas?page=2&theme=culture&sort=newest").get_data(as_text=True)
    assert _titles(second) == ["Idea 02", "Idea 01", "Idea 00"]


def test_related_ideas_share_area_and_theme(app, client, resident):
    idea = make_idea(app, resident.id, title="Main", area_code=1)
    make_idea(app, resident.id, title="Same place and theme", area_code=1)
    make_idea(app, resident.id, title="Other area", area_code=2)
    make_idea(app, resident.id, title="Other theme", area_code=1, theme="culture")
    make_idea(app, resident.id, title="Hidden one", area_code=1, moderation_state="hidden")
    body = client.get(f"/ideas/{idea}").get_data(as_text=True)
    related = body[body.index('id="related-title"'):]
    assert _titles(related) == ["Same place and theme"]


def test_author_name_and_deleted_user(app, client, resident):
    idea = make_idea(app, resident.id)
    assert "Riikka Resident" in client.get(f"/ideas/{idea}").get_data(as_text=True)
    with app.app_context():
        db.session.get(Idea, idea).author_id = None
        db.session.commit()
    body = client.get(f"/ideas/{idea}").get_data(as_text=True)
    assert 'class="deleted-user"' in body and "Riikka Resident" not in body


def test_my_ideas_and_my_activity(app, client, auth, resident, other):
    mine = make_idea(app, resident.id, title="My own idea", moderation_state="pending")
    theirs = make_idea(app, other.id, title="Their idea")
    _support(app, resident.id, theirs)
    make_comment(app, resident.id, theirs, "My comment text")
    auth.login(resident.email)
    my_ideas = client.get("/my/ideas").get_data(as_text=True)
    assert f'href="/ideas/{mine}"' in my_ideas and "Their idea" not in my_ideas
    activity = client.get("/my/activity").get_data(as_text=True)
    assert "Their idea" in activity and "My comment text" in activity
    assert "My own idea" not in activity


def test_front_page_shows_latest_ideas(app, client, resident):
    make_idea(app, resident.id, title="Newest on the front page")
    body = client.get("/").get_data(as_text=True)
    assert "Newest on the front page" in body
    assert 'href="/ideas"' in body


def test_cards_show_the_ideas_image_with_its_description(app, client, resident):
    with_image = make_idea(app, resident.id, title="With a picture")
    make_idea(app, resident.id, title="Without a picture")
    with app.app_context():
        idea = db.session.get(Idea, with_image)
        idea.image_file, idea.image_alt = "abc.jpg", "A <b>bench</b> under a tree"
        idea.image_width, idea.image_height = 640, 480
        db.session.commit()
    page = client.get("/ideas").get_data(as_text=True)
    assert (f'<img class="idea-card-image" src="/ideas/{with_image}/image" '
            'alt="A &lt;b&gt;bench&lt;/b&gt; under a tree"') in page
    assert page.count('class="idea-card-image"') == 1
