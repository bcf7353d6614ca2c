"""Search understands Finnish and Swedish: stems per language, diacritics ignored, matches
highlighted (escaped). Runs on the database in use (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.extensions import db
from participation.ideas import search, stemming
from participation.ideas.models import Idea
from tests.ideas.builders import make_idea


def _titles(app, query):
    with app.test_request_context():
        return sorted(idea.title for idea in search.search_ideas(query).page.items)


@pytest.fixture
def ideas(app, resident):
    make_idea(app, resident.id, title="Lisää penkkejä Matinkylään",
              description="Kauppakeskuksen edessä ei ole istumapaikkoja.", language="fi")
    make_idea(app, resident.id, title="Fler bänkar vid stranden",
              description="Äldre behöver vila på promenaden.", language="sv")
    make_idea(app, resident.id, title="Leikkipaikalle varjoa",
              description="Lapset palavat auringossa.", language="fi")
    make_idea(app, resident.id, title="Benches by the shore",
              description="Walking is easier with resting places.", language="en")


@pytest.mark.parametrize("query, expected", [
    ("penkki", ["Lisää penkkejä Matinkylään"]),           # inflected plural partitive
    ("penkit", ["Lisää penkkejä Matinkylään"]),
    ("matinkyla", ["Lisää penkkejä Matinkylään"]),        # typed without ä
    ("Matinkylä", ["Lisää penkkejä Matinkylään"]),
    ("MATINKYLÄÄN", ["Lisää penkkejä Matinkylään"]),
    ("leikkipaikka", ["Leikkipaikalle varjoa"]),          # -lle, consonant gradation
    ("bänk", ["Fler bänkar vid stranden"]),               # Swedish plural
    ("bankar", ["Fler bänkar vid stranden"]),             # typed without ä
    ("aldre", ["Fler bänkar vid stranden"]),
    ("strand", ["Fler bänkar vid stranden"]),             # definite form
    ("bench", ["Benches by the shore"]),
    ("walks", ["Benches by the shore"]),                  # English stem walk
    ("penkki matinkyla", ["Lisää penkkejä Matinkylään"]),
    ("penkki varjoa", []),                                # every word must match
    ("ja", []),                                           # stop words are words too
])
def test_stems_and_diacritics(app, ideas, query, expected):
    assert _titles(app, query) == expected


def _indexed(idea_id) -> str:
    if db.engine.dialect.name == "sqlite":
        return db.session.scalar(sa.text("SELECT title FROM fts_idea WHERE rowid = :id"),
                                 {"id": idea_id})
    return db.session.scalar(sa.text(
        "SELECT document::text FROM fts_idea_document WHERE idea_id = :id"), {"id": idea_id})


def test_the_index_stems_in_the_ideas_language_and_follows_changes(app, resident):
    idea_id = make_idea(app, resident.id, title="Leikkipaikalle varjoa", language="fi")
    with app.app_context():
        assert "leikkipaik" in _indexed(idea_id) and "leikkipaikalle" not in _indexed(idea_id)
        db.session.get(Idea, idea_id).language = "xx"  # a language without a stemmer
        db.session.commit()
        assert "leikkipaikalle" in _indexed(idea_id)


def test_matched_words_are_highlighted_and_escaped():
    html = stemming.highlight("Penkkejä <b>Matinkylään</b> & puistoon", ["penkki", "matinkyla"],
                              "fi")
    assert str(html) == ("<mark>Penkkejä</mark> &lt;b&gt;<mark>Matinkylään</mark>&lt;/b&gt; "
                         "&amp; puistoon")
    assert str(stemming.highlight("<script>", [], "fi")) == "&lt;script&gt;"


def test_a_long_description_is_cut_around_the_first_match():
    text = "Alku " * 60 + "tarvitaan penkkejä " + "loppu " * 60
    html = str(stemming.highlight(text, ["penkki"], "fi", width=120))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>penkkejä</mark>" in html
    assert len(html) < 200


def test_the_list_page_highlights_matches(client, ideas):
    page = client.get("/ideas?q=matinkyla").get_data(as_text=True)
    assert "<mark>Matinkylään</mark>" in page
    assert "Leikkipaikalle" not in page
