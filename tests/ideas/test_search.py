"""Full-text search on the database in use: SQLite FTS5 or PostgreSQL, one service function."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from participation.extensions import db
from participation.ideas import search
from participation.ideas.models import Idea
from tests.ideas.builders import make_idea

EXPECTED_BACKEND = {"sqlite": "fts5", "postgresql": "postgresql"}


def _search(app, query, **options):
    with app.test_request_context():
        result = search.search_ideas(query, options.pop("filters", None), **options)
        return result.backend, [idea.title for idea in result.page.items], result.page.total


@pytest.fixture
def corpus(app, resident):
    ideas = {
        "park": make_idea(app, resident.id, title="Penkkejä puistoon",
                          description="Leppävaaran puistoon tarvitaan penkkejä ja varjoa.",
                          language="fi"),
        "skate": make_idea(app, resident.id, title="Skate park for Soukka",
                           description="Young people want a skate park. Skate skate.",
                           area_code=4),
        "bikes": make_idea(app, resident.id, title="Safer bike lanes",
                           description="Bike lanes near schools, and a small skate ramp.",
                           theme="traffic-safety", area_code=None),
        "konsert": make_idea(app, resident.id, title="Konserter i Hagalund",
                             description="Utomhuskonserter på sommaren.", language="sv"),
        "hidden": make_idea(app, resident.id, title="Hidden skate idea",
                            description="Skate.", moderation_state="hidden"),
    }
    return ideas


def test_the_database_backend_runs(app, corpus):
    with app.app_context():
        dialect = db.engine.dialect.name
    assert dialect == os.environ.get("PARTICIPATION_TEST_DB", "sqlite")
    backend, titles, _total = _search(app, "skate")
    assert backend == EXPECTED_BACKEND[dialect]
    assert _search(app, "")[0] == "none"


def test_words_in_title_and_description_are_found(app, corpus):
    assert _search(app, "konserter")[1] == ["Konserter i Hagalund"]
    assert _search(app, "UTOMHUSKONSERTER")[1] == ["Konserter i Hagalund"]
    assert _search(app, "varjoa")[1] == ["Penkkejä puistoon"]
    assert _search(app, "nothing-like-this")[1] == []


def test_words_match_as_prefixes_and_all_words_must_match(app, corpus):
    assert _search(app, "puisto")[1] == ["Penkkejä puistoon"]
    assert sorted(_search(app, "skate")[1]) == ["Safer bike lanes", "Skate park for Soukka"]
    assert _search(app, "skate bike")[1] == ["Safer bike lanes"]


def test_best_match_comes_first(app, corpus):
    _backend, titles, total = _search(app, "skate")
    assert total == 2
    assert titles[0] == "Skate park for Soukka"


def test_hidden_and_pending_ideas_are_never_found(app, corpus):
    assert "Hidden skate idea" not in _search(app, "hidden skate")[1]
    assert _search(app, "hidden")[2] == 0


SKATE = ["Safer bike lanes", "Skate park for Soukka"]


@pytest.mark.parametrize("query, expected", [
    ('"skate', SKATE), ("skate*", SKATE), ("***skate***", SKATE),
    ("skate AND bike", ["Safer bike lanes"]), ("NEAR(skate bike)", ["Safer bike lanes"]),
    ("'; DROP TABLE idea; -- puisto", []), ("'; puisto --", ["Penkkejä puistoon"]),
    ("skate:* & (park)!", ["Skate park for Soukka"]), ("\\konserter", ["Konserter i Hagalund"]),
    ("Penkkejä?", ["Penkkejä puistoon"]), ("ä ö å", []),
])
def test_search_syntax_characters_are_harmless(app, corpus, query, expected):
    backend, titles, total = _search(app, query)
    assert backend != "none"
    assert sorted(titles) == expected
    assert total == len(expected)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 5


@pytest.mark.parametrize("query", ['"', "***", "\\", "&|!():*"])
def test_a_query_of_syntax_characters_only_lists_every_idea(app, corpus, query):
    backend, _titles, total = _search(app, query)
    assert (backend, total) == ("none", 4)


def test_search_combines_with_filters_and_sorts(app, corpus):
    filters = search.IdeaFilters(area=search.CITY_WIDE)
    assert _search(app, "skate", filters=filters)[1] == ["Safer bike lanes"]
    filters = search.IdeaFilters(language="sv")
    assert _search(app, "konserter", filters=filters)[1] == ["Konserter i Hagalund"]
    assert _search(app, "skate", filters=search.IdeaFilters(language="fi"))[1] == []
    assert _search(app, "skate", sort="newest")[1] == ["Safer bike lanes",
                                                        "Skate park for Soukka"]


def test_the_index_follows_changes_and_deletions(app, corpus):
    with app.app_context():
        idea = db.session.get(Idea, corpus["bikes"])
        idea.title = "Safer cycle paths"
        idea.description_text = "Paths near schools."
        db.session.delete(db.session.get(Idea, corpus["konsert"]))
        db.session.commit()
    assert _search(app, "cycle")[1] == ["Safer cycle paths"]
    assert _search(app, "bike")[1] == []
    assert _search(app, "konserter")[1] == []


def _plan(connection, statement) -> str:
    compiled = statement.compile(connection)
    params = compiled.params if compiled.positiontup is None else tuple(
        compiled.params[name] for name in compiled.positiontup)
    prefix = "EXPLAIN" if connection.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
    rows = connection.exec_driver_sql(f"{prefix} {compiled.string}", params).all()
    return "\n".join(str(row) for row in rows)


def test_the_full_text_index_is_used(app, corpus):
    with app.test_request_context(), db.engine.connect() as connection:
        dialect = connection.dialect.name
        statement, _order = search._matching(sa.select(Idea.id), ["skate"],
                                             EXPECTED_BACKEND[dialect])
        if dialect == "postgresql":
            # A handful of rows: make the planner show whether the expression index fits.
            # Plain index scans off too: a full scan of the primary key with a filter is not
            # the full-text index answering the query.
            connection.execute(sa.text("SET enable_seqscan = off"))
            connection.execute(sa.text("SET enable_indexscan = off"))
            connection.execute(sa.text("SET enable_nestloop = off"))
        plan = _plan(connection, statement)
    assert ("fts_idea_tsv" if dialect == "postgresql" else "VIRTUAL TABLE INDEX") in plan, plan
