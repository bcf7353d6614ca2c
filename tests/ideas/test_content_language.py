"""Residents write ideas and comments in any language; pages say which language the content is
in when it differs from the interface language, and the content carries its `lang`."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from participation.core.content_language import (
    CONTENT_CODES,
    OTHER,
    content_language_choices,
    normalise_content_language,
)
from participation.extensions import db
from participation.ideas import search
from participation.ideas.models import IdeaComment
from participation.moderation.registry import PENDING
from tests.ideas.builders import get_idea, make_comment, make_idea, theme_id


def _in(client, code: str) -> None:
    client.get(f"/language/{code}?next=/")


def test_the_choice_offers_the_big_languages_and_another_language(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        codes = [code for code, _label in content_language_choices()]
        labels = dict(content_language_choices())
    for code in ("fi", "sv", "en", "ru", "et", "ar", "so", OTHER):
        assert code in codes
    assert labels["ru"] == "Russian" and labels["so"] == "Somali"
    assert labels[OTHER] == "Another language"
    assert codes[-1] == OTHER
    assert normalise_content_language("sv-FI") == "sv"
    assert normalise_content_language("xx") is None
    assert set(codes) == CONTENT_CODES


def test_choices_are_named_in_the_interface_language(app):
    with app.test_request_context(headers={"Accept-Language": "fi"}):
        labels = dict(content_language_choices())
    assert labels["ru"] == "Venäjä" and labels["sv"] == "Ruotsi"
    assert labels[OTHER] == "Jokin muu kieli"


def test_comment_form_defaults_to_the_interface_language(app, client, auth, resident, other):
    idea_id = make_idea(app, resident.id)
    auth.login(other.email)
    _in(client, "sv")
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="language"[^>]*>.*?</select>', page, re.S).group()
    assert re.search(r'<option selected value="sv">|<option value="sv" selected>', select)
    assert 'value="ar"' in select and f'value="{OTHER}"' in select


@pytest.mark.parametrize("code", ["ru", "ar", OTHER])
def test_a_comment_in_any_language_is_stored_with_it(app, client, auth, resident, other, code):
    idea_id = make_idea(app, resident.id)
    auth.login(other.email)
    _in(client, "fi")
    response = client.post(f"/ideas/{idea_id}/comments",
                           data={"body": "Хорошая идея / فكرة جيدة", "language": code})
    assert response.status_code == 302
    with app.app_context():
        comment = db.session.scalar(sa.select(IdeaComment).where(IdeaComment.idea_id == idea_id))
        assert comment.language == code
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert f'<div class="comment-body" lang="{code}">' in page


def test_a_comment_with_an_unknown_language_is_refused_and_kept(app, client, auth, resident,
                                                                 other):
    idea_id = make_idea(app, resident.id)
    auth.login(other.email)
    _in(client, "en")
    response = client.post(f"/ideas/{idea_id}/comments",
                           data={"body": "My words stay here", "language": "klingon"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the language from the list." in page
    assert "My words stay here" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IdeaComment)) == 0


def test_a_reply_without_the_select_gets_the_interface_language(app, client, auth, resident,
                                                                other):
    idea_id = make_idea(app, resident.id)
    parent_id = make_comment(app, resident.id, idea_id)
    auth.login(other.email)
    _in(client, "sv")
    client.post(f"/ideas/{idea_id}/comments", data={"body": "Bra!", "parent_id": parent_id})
    with app.app_context():
        reply = db.session.scalar(sa.select(IdeaComment).where(IdeaComment.parent_id == parent_id))
        assert reply.language == "sv"


def test_an_idea_in_russian_is_submitted_and_kept_in_russian(app, client, auth, resident):
    auth.login(resident.email)
    _in(client, "en")
    data = {"title": "Скамейки в парке", "description": "Нужно больше скамеек у площадки.",
            "theme": str(theme_id(app)), "area": "", "district": "", "language": "ru",
            }
    response = client.post("/ideas/new/publish", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    idea_id = int(response.headers["Location"].rsplit("/", 1)[1].split("?")[0])
    assert get_idea(app, idea_id)["language"] == "ru"
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert '<h1 id="idea-title" lang="ru">' in page
    assert '<p class="content-language">This idea is written in Russian.</p>' in page


def test_an_idea_in_an_unlisted_language_is_refused(app, client, auth, resident):
    auth.login(resident.email)
    _in(client, "en")
    data = {"title": "Penkkejä puistoon", "description": "Lisää penkkejä leikkipaikalle.",
            "theme": str(theme_id(app)), "area": "", "district": "", "language": "xx",
            }
    page = client.post("/ideas/new/publish", data=data).get_data(as_text=True)
    assert "Penkkejä puistoon" in page  # nothing typed is lost
    assert "Not a valid choice" in page or "Choose the language from the list." in page


def test_the_note_names_the_language_in_the_interface_language(app, client, resident):
    idea_id = make_idea(app, resident.id, title="Penkkejä puistoon", language="fi")
    _in(client, "sv")
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "Den här idén är skriven på finska." in page
    _in(client, "fi")
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert 'class="content-language"' not in page  # same language: no note


def test_comment_note_only_where_the_language_differs(app, client, resident, other):
    idea_id = make_idea(app, resident.id, language="en")
    make_comment(app, other.id, idea_id, body="Hyvä idea", language="fi")
    make_comment(app, other.id, idea_id, body="Good idea", language="en")
    _in(client, "en")
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert page.count('class="content-language"') == 1
    assert "This comment is written in Finnish." in page


@pytest.mark.parametrize("query, title", [
    ("скамейки", "Скамейки в парке"),
    ("скамей", "Скамейки в парке"),      # prefix, unstemmed path
    ("مقاعد", "مقاعد في الحديقة"),
    ("Fooldaha", "Fooldaha beerta"),
])
def test_ideas_in_other_languages_are_searchable(app, resident, query, title):
    make_idea(app, resident.id, title="Скамейки в парке",
              description="Нужно больше скамеек у детской площадки.", language="ru")
    make_idea(app, resident.id, title="مقاعد في الحديقة",
              description="نحتاج إلى المزيد من المقاعد بالقرب من الملعب.", language="ar")
    make_idea(app, resident.id, title="Fooldaha beerta",
              description="Fadhi badan ayaa loo baahan yahay.", language="so")
    make_idea(app, resident.id, title="Penkkejä puistoon", description="Lisää penkkejä.",
              language="fi")
    with app.test_request_context():
        found = [idea.title for idea in search.search_ideas(query).page.items]
    assert found == [title]


def test_language_filter_lists_ideas_in_any_language(app, client, resident):
    make_idea(app, resident.id, title="Pargid ja pingid", language="et")
    make_idea(app, resident.id, title="Penkkejä puistoon", language="fi")
    _in(client, "en")
    page = client.get("/ideas?language=et").get_data(as_text=True)
    assert "Pargid ja pingid" in page and "Penkkejä puistoon" not in page


def test_a_comment_in_arabic_is_moderated_like_the_rest(app, resident, other):
    idea_id = make_idea(app, resident.id)
    comment_id = make_comment(app, other.id, idea_id, body="اشتروا الآن!!!!!!!!!!!!!!!!!!!!",
                              language="ar")
    with app.app_context():
        assert db.session.get(IdeaComment, comment_id).moderation_state == PENDING
