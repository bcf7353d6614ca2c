"""The registration hint promises "Ideas and budgets are shown for [your home area] first":
the default idea list puts a signed-in resident's home-area ideas first, then the others,
each part in the chosen order, paginated without gaps or repeats; it can be switched off."""

from __future__ import annotations

import re

import sqlalchemy as sa

from participation.core.models import Area
from participation.core.pagination import paginate_parts
from participation.extensions import db
from participation.ideas.models import Idea
from tests.ideas.builders import make_idea

AREAS = (1, 2, None, 3, 2)  # the fourth idea's area code, cycled


def _titles(body: str) -> list[str]:
    return re.findall(r'class="idea-card-title"[^>]*><a href="/ideas/\d+">(.+?)</a>',
                      re.sub(r"</?mark>", "", body))


def _seed(app, author_id: int, count: int = 27) -> list[tuple[str, int | None]]:
    """(title, area code), newest first."""
    made = []
    for number in range(count):
        code = AREAS[number % len(AREAS)]
        title = f"Idea {number:02d}"
        make_idea(app, author_id, title=title, area_code=code)
        made.append((title, code))
    return made[::-1]


def _all_pages(client, url: str) -> list[str]:
    titles, page = [], 1
    while True:
        body = client.get(f"{url}{'&' if '?' in url else '?'}page={page}").get_data(as_text=True)
        found = _titles(body)
        titles += found
        if 'rel="next"' not in body or not found:
            return titles
        page += 1


def test_home_area_first_then_the_rest_across_pages(app, client, auth, factory):
    author = factory.user(area_code=1)
    newest_first = _seed(app, author.id)
    reader = factory.user(area_code=2, language="en")
    auth.login(reader.email)
    expected = [title for title, code in newest_first if code == 2] + \
        [title for title, code in newest_first if code != 2]
    first = client.get("/ideas").get_data(as_text=True)
    assert _titles(first) == expected[:20]
    assert "The ideas of your home area, Greater Tapiola, are shown first" in first
    assert 'href="/ideas?sort=newest&amp;home=off"' in first
    listed = _all_pages(client, "/ideas")
    assert listed == expected and len(set(listed)) == len(newest_first)
    # Switched off: one list, newest first, and the choice travels with the pages.
    off = client.get("/ideas?home=off").get_data(as_text=True)
    assert _titles(off) == [title for title, _code in newest_first][:20]
    assert "All ideas are shown in one list." in off
    assert 'name="home" value="off"' in off
    assert re.search(r'href="/ideas\?[^"]*home=off[^"]*" rel="next"', off)
    assert _all_pages(client, "/ideas?home=off") == [title for title, _ in newest_first]


def test_other_sorts_keep_the_home_area_first(app, client, auth, factory):
    author = factory.user(area_code=1)
    newest_first = _seed(app, author.id, count=10)
    with app.app_context():
        for idea in db.session.scalars(sa.select(Idea)):
            idea.support_count = int(idea.title[-2:]) % 4
        db.session.commit()
    reader = factory.user(area_code=2, language="en")
    auth.login(reader.email)
    ids = {title: int(title[-2:]) for title, _code in newest_first}

    def key(title):
        return (-(ids[title] % 4), -ids[title])  # supports, then newest (higher number)

    home = sorted((t for t, c in newest_first if c == 2), key=key)
    rest = sorted((t for t, c in newest_first if c != 2), key=key)
    assert _titles(client.get("/ideas?sort=supported").get_data(as_text=True)) == home + rest


def test_no_home_first_for_searches_area_filters_and_visitors(app, client, auth, factory):
    author = factory.user(area_code=1)
    newest_first = _seed(app, author.id, count=8)
    plain = [title for title, _code in newest_first]
    anonymous = client.get("/ideas").get_data(as_text=True)
    assert _titles(anonymous) == plain and "home-first-note" not in anonymous
    reader = factory.user(area_code=2, language="en")
    auth.login(reader.email)
    with app.app_context():
        area_3 = db.session.scalar(sa.select(Area.id).where(Area.code == 3))
    filtered = client.get(f"/ideas?area={area_3}").get_data(as_text=True)
    assert "home-first-note" not in filtered
    assert _titles(filtered) == [t for t, c in newest_first if c == 3]
    searched = client.get("/ideas?q=idea&sort=newest").get_data(as_text=True)
    assert "home-first-note" not in searched and _titles(searched) == plain


def test_paginate_parts_boundaries(app, factory):
    author = factory.user(area_code=1)
    _seed(app, author.id, count=7)
    with app.app_context():
        base = sa.select(Idea.id).order_by(Idea.id)
        first = base.where(Idea.id % 2 == 0)
        second = base.where(Idea.id % 2 == 1)
        everything = list(db.session.scalars(first)) + list(db.session.scalars(second))
        for per_page in (1, 2, 3, 7, 10):
            seen = []
            for page in range(1, 9):
                result = paginate_parts([first, second], page, per_page)
                assert result.total == 7
                if page <= result.pages:
                    assert result.page == page
                    seen += result.items
            assert seen == everything, per_page
        assert paginate_parts([first.where(Idea.id < 0)], 3).items == []
