"""A text search costs the same however many ideas match: it reads the newest RESULT_CAP
matches at most (filters applied by the index on SQLite), says "over N" beyond that, and
sorts and ranks only those. Runs on the database in use (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.extensions import db
from participation.ideas import search, status_service
from participation.ideas.models import Idea
from tests.ideas.builders import make_idea

ENGLISH = {"Accept-Language": "en"}


def _search(app, query, **options):
    with app.test_request_context():
        result = search.search_ideas(query, options.pop("filters", None), **options)
        return result, [idea.title for idea in result.page.items]


@pytest.fixture
def benches(app, resident):
    """Seven bench ideas (Bench 0 oldest); 2, 4 and 6 have the word in the title only."""
    ids = []
    for number in range(7):
        title = f"Bench {number}" if number % 2 == 0 else f"Seat {number}"
        description = "More seats." if number % 2 == 0 else "A bench would help."
        ids.append(make_idea(app, resident.id, title=title, description=description,
                             area_code=(number % 3) + 1))
    return ids


def test_over_the_cap_the_newest_matches_are_counted_and_sorted(app, client, benches,
                                                                 monkeypatch):
    monkeypatch.setattr(search, "RESULT_CAP", 4)
    result, titles = _search(app, "bench", sort="newest")
    assert result.capped and result.page.total == 4
    assert titles == ["Bench 6", "Seat 5", "Bench 4", "Seat 3"]
    # Relevance among those four: title matches (counted twice) against two in the text.
    result, titles = _search(app, "bench")
    assert titles == ["Bench 6", "Bench 4", "Seat 5", "Seat 3"]
    body = client.get("/ideas?q=bench", headers=ENGLISH).get_data(as_text=True)
    assert "Over 4 ideas match “bench”" in body and "The newest 4 of them" in body
    monkeypatch.setattr(search, "RESULT_CAP", 7)
    result, titles = _search(app, "bench", sort="newest")
    assert not result.capped and result.page.total == 7 and len(titles) == 7
    body = client.get("/ideas?q=bench", headers=ENGLISH).get_data(as_text=True)
    assert "7 ideas match “bench”" in body and "Over" not in body


def test_pages_of_a_search_do_not_overlap(app, benches, monkeypatch):
    monkeypatch.setattr(search, "RESULT_CAP", 6)
    seen = []
    for page in (1, 2):
        with app.test_request_context():
            result = search.search_ideas("bench", sort="supported", page=page, per_page=4)
        assert result.page.pages == 2
        seen += [idea.id for idea in result.page.items]
    assert len(seen) == len(set(seen)) == 6 and benches[0] not in seen


def test_filters_follow_changes_of_status_area_and_moderation(app, benches, staff):
    from participation.accounts.models import User
    from participation.core.models import Area

    with app.app_context():
        area_2 = db.session.scalar(sa.select(Area.id).where(Area.code == 2))
    by_area = search.IdeaFilters(area=str(area_2))
    result, titles = _search(app, "bench", filters=by_area)
    assert sorted(titles) == ["Bench 4", "Seat 1"] and result.page.total == 2
    with app.test_request_context():
        idea = db.session.get(Idea, benches[0])
        status_service.change_status(idea, db.session.get(User, staff.id),
                                     status_service.StatusDecision(status="under_review"))
        idea.area_id = area_2
        db.session.get(Idea, benches[4]).moderation_state = "hidden"
        db.session.commit()
    result, titles = _search(app, "bench", filters=by_area)
    assert sorted(titles) == ["Bench 0", "Seat 1"] and result.page.total == 2
    reviewed = search.IdeaFilters(status="under_review")
    result, titles = _search(app, "bench", filters=reviewed)
    assert titles == ["Bench 0"] and result.page.total == 1
    assert _search(app, "bench")[0].page.total == 6  # the hidden one is not counted
    assert _search(app, "bench", filters=search.IdeaFilters(theme="no-such-theme"))[1] == []
    assert _search(app, "bench", filters=search.IdeaFilters(language="sv"))[1] == []


def test_sqlite_stems_expand_to_exact_terms_and_short_prefixes_still_work(app, benches,
                                                                          monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the vocabulary of stems is SQLite's")
    with app.test_request_context():
        assert {"bench", "seat"} <= set(db.session.scalars(sa.text(
            "SELECT term FROM fts_idea_term")))
        expanded = search._expanded("ben")
        # (the vocabulary only grows: earlier tests' stems may be there too)
        assert "bench" in expanded.exact and "seat" not in expanded.exact
        assert expanded.prefixes == []
    monkeypatch.setattr(search, "MAX_EXPANSIONS", 0)  # every prefix "too common"
    with app.test_request_context():
        assert search._expanded("ben").prefixes
    assert sorted(_search(app, "ben")[1]) == sorted(
        ["Bench 0", "Seat 1", "Bench 2", "Seat 3", "Bench 4", "Seat 5", "Bench 6"])


def test_sqlite_reads_matches_newest_first_without_sorting_them(app, benches):
    with app.test_request_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("FTS5's plan")
        statement, _expanded = search._fts5_window(
            search.IdeaFilters(area="city", status="submitted", language="en"), ["bench"],
            sort="relevance")
        compiled = statement.limit(1001).compile(db.engine)
        params = tuple(compiled.params[name] for name in compiled.positiontup)
        plan = "\n".join(str(row) for row in db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled.string}", params))
    assert "VIRTUAL TABLE INDEX" in plan and "TEMP B-TREE" not in plan, plan


def test_postgresql_common_and_rare_words_take_paths_with_the_same_results(app, benches,
                                                                           monkeypatch):
    from sqlalchemy import event

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL chooses between the GIN index and the newest-first walk")
        db.session.execute(sa.text("ANALYZE idea"))
        db.session.commit()
        engine = db.engine
    monkeypatch.setattr(search, "RESULT_CAP", 4)
    seen, found = [], {}

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        for share in (0.0, 1.0):
            monkeypatch.setattr(search, "_pg_share", lambda terms, share=share: share)
            seen.clear()
            result, titles = _search(app, "bench", sort="newest")
            walked = any("IS true" in statement for statement in seen)
            found[share] = (titles, result.capped, walked)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert found[0.0][:2] == found[1.0][:2] == (["Bench 6", "Seat 5", "Bench 4", "Seat 3"],
                                                  True)
    assert (found[0.0][2], found[1.0][2]) == (False, True)


def test_each_sort_orders_the_window_by_its_own_column(app, benches):
    """The window reads only the column its sort needs: each sort must still follow its own
    column, not the id order the index hands rows over in (here the oldest id is newest)."""
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    with app.app_context():
        for position, idea_id in enumerate(benches):
            db.session.execute(sa.update(Idea).where(Idea.id == idea_id).values(
                created_at=now - timedelta(days=position),
                support_count=(position * 3) % 7, comment_count=(position * 5) % 7))
        db.session.commit()
        rows = {idea.id: idea for idea in db.session.scalars(
            sa.select(Idea).where(Idea.id.in_(benches)))}
    expected = {
        "newest": sorted(benches, key=lambda i: (rows[i].created_at, i), reverse=True),
        "supported": sorted(benches, key=lambda i: (-rows[i].support_count, -i)),
        "discussed": sorted(benches, key=lambda i: (-rows[i].comment_count, -i)),
    }
    assert expected["newest"] != sorted(benches, reverse=True)
    for sort, ids in expected.items():
        result, titles = _search(app, "bench", sort=sort)
        assert [idea.id for idea in result.page.items] == ids, sort
    result, titles = _search(app, "bench")
    assert titles == ["Bench 6", "Bench 4", "Bench 2", "Bench 0", "Seat 5", "Seat 3",
                      "Seat 1"]
