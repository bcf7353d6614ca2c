"""A list without a text search counts at most LIST_COUNT_CAP ideas ("Over 1,000 ideas"),
so its count reads the same number of rows at 100,000 ideas as at 1,000; the capped pages
follow on without gaps or repeats, the home-area-first list too, and the API says so."""

from __future__ import annotations

import re

import sqlalchemy as sa

from participation.core.pagination import count_rows, paginate, paginate_parts
from participation.extensions import db
from participation.ideas import search
from participation.ideas.models import Idea
from tests.ideas.builders import make_idea


def _titles(body: str) -> list[str]:
    return re.findall(r'class="idea-card-title"[^>]*><a href="/ideas/\d+">(.+?)</a>', body)


def test_a_capped_count_reads_at_most_cap_plus_one_rows(app, factory):
    author = factory.user()
    for number in range(6):
        make_idea(app, author.id, title=f"Idea {number}")
    with app.app_context():
        statement = sa.select(Idea.id).order_by(Idea.id)
        assert count_rows(statement) == (6, False)
        assert count_rows(statement, 6) == (6, False)
        assert count_rows(statement, 5) == (5, True)
        assert count_rows(statement, 0) == (0, True)
        page = paginate(statement, 9, per_page=2, count_cap=3)
        assert (page.total, page.capped, page.pages, page.page) == (3, True, 2, 2)
        assert len(page.items) == 1  # the third counted row only, nothing beyond the count
        odd, even = statement.where(Idea.id % 2 == 1), statement.where(Idea.id % 2 == 0)
        seen = []
        for number in (1, 2, 3):
            parts = paginate_parts([odd, even], number, per_page=2, count_cap=5)
            assert (parts.total, parts.capped) == (5, True)
            seen += parts.items
        ids = list(db.session.scalars(odd)) + list(db.session.scalars(even))
        assert seen == ids[:5]
        assert paginate_parts([odd, even], 1, per_page=2, count_cap=6).capped is False


def test_the_list_says_over_and_pages_through_the_counted_ideas(app, client, factory,
                                                                 monkeypatch):
    monkeypatch.setattr(search, "LIST_COUNT_CAP", 4)
    author = factory.user()
    for number in range(7):
        make_idea(app, author.id, title=f"Idea {number}")
    first = client.get("/ideas?lang=en", headers={"Accept-Language": "en"})
    body = first.get_data(as_text=True)
    assert "Over 4 ideas" in body and "These pages show the first 4 of them" in body
    seen = _titles(body)
    page = 2
    while 'rel="next"' in body:
        body = client.get(f"/ideas?page={page}").get_data(as_text=True)
        seen += _titles(body)
        page += 1
    assert seen == [f"Idea {n}" for n in (6, 5, 4, 3)]
    finnish = client.get("/ideas", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "Yli 4 ideaa" in finnish
    api = client.get("/api/v1/ideas").get_json()
    assert (api["total"], api["capped"]) == (4, True)
    monkeypatch.setattr(search, "LIST_COUNT_CAP", 10)
    assert client.get("/api/v1/ideas").get_json()["capped"] is False
    assert "Over" not in client.get("/ideas", headers={"Accept-Language": "en"}).get_data(
        as_text=True).split("results-title", 1)[1].split("</h2>", 1)[0]
