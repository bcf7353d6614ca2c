"""The author edits an idea's place (adds, changes or clears it), checked as at submission;
the earlier place stays in the visible history, and a wrong place keeps what was typed."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.extensions import db
from participation.ideas import editing, services
from participation.ideas.models import Idea, IdeaRevision
from tests.ideas.builders import theme_id

TEXT = {"title": "Benches for the park", "language": "en",
        "description": "More benches near the playground, please."}
TAPIOLA = {"place_address": "Tapiolan keskuspuisto", "place_lat": "60.1756",
           "place_lon": "24.8055"}
LEPPAVAARA = {"place_address": "Leppävaaran puisto", "place_lat": "60.2190",
              "place_lon": "24.8130"}
NO_PLACE = {"place_address": "", "place_lat": "", "place_lon": ""}


@pytest.fixture
def idea_id(app, resident):
    """An idea published with a place (Tapiola)."""
    with app.test_request_context():
        draft = services.IdeaDraft(title=TEXT["title"], description=TEXT["description"],
                                   theme_id=theme_id(app), language="en", **TAPIOLA)
        idea = services.submit_idea(db.session.get(User, resident.id), draft)
        db.session.commit()
        return idea.id


def _place(app, idea_id: int):
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        return idea.place_address, idea.place_lat, idea.place_lon


def _revisions(app, idea_id: int):
    with app.app_context():
        return [(r.place_address, r.place_lat, r.place_lon) for r in db.session.scalars(
            sa.select(IdeaRevision).where(IdeaRevision.idea_id == idea_id)
            .order_by(IdeaRevision.id))]


def _history(page: str) -> str:
    return html.unescape(page.split('class="idea-history"', 1)[1].split("</details>", 1)[0])


def test_the_edit_form_shows_the_place_as_it_is(app, client, auth, resident, idea_id):
    auth.login(resident.email)
    form = client.get(f"/ideas/{idea_id}/edit").get_data(as_text=True)
    assert 'value="Tapiolan keskuspuisto"' in form
    assert 'value="60.1756"' in form and 'value="24.8055"' in form
    assert "To remove the place, empty these fields." in form


def test_changing_the_place_keeps_the_earlier_one_in_the_history(app, client, auth, resident,
                                                                 idea_id):
    auth.login(resident.email)
    response = client.post(f"/ideas/{idea_id}/edit", data={**TEXT, **LEPPAVAARA})
    assert response.status_code == 302
    assert _place(app, idea_id) == ("Leppävaaran puisto", 60.219, 24.813)
    assert _revisions(app, idea_id) == [("Tapiolan keskuspuisto", 60.1756, 24.8055)]
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "1 earlier version" in page
    history = _history(page)
    assert "Tapiolan keskuspuisto" in history and "60.17560° N, 24.80550° E" in history
    facts = html.unescape(page.split('class="idea-facts"', 1)[1].split("</dl>", 1)[0])
    assert "Leppävaaran puisto" in facts and "Tapiolan" not in facts
    # The same place (written with a comma) again: nothing changed, no second version.
    client.post(f"/ideas/{idea_id}/edit", data={**TEXT, **LEPPAVAARA,
                                                "place_lat": "60,219"})
    assert len(_revisions(app, idea_id)) == 1


def test_clearing_the_place(app, client, auth, resident, idea_id):
    auth.login(resident.email)
    assert client.post(f"/ideas/{idea_id}/edit", data={**TEXT, **NO_PLACE}).status_code == 302
    assert _place(app, idea_id) == ("", None, None)
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    facts = html.unescape(page.split('class="idea-facts"', 1)[1].split("</dl>", 1)[0])
    assert "Tapiolan" not in facts and "kartat.espoo.fi" not in facts
    assert "Tapiolan keskuspuisto" in _history(page)
    # Adding one back: the version without a place says so in the history.
    client.post(f"/ideas/{idea_id}/edit", data={**TEXT, **NO_PLACE,
                                                "place_address": "Otaniemi beach"})
    assert _place(app, idea_id) == ("Otaniemi beach", None, None)
    history = _history(client.get(f"/ideas/{idea_id}").get_data(as_text=True))
    assert "This version gave no place." in history and "Tapiolan keskuspuisto" in history


@pytest.mark.parametrize("place, field, message", [
    ({"place_lat": "59.4370", "place_lon": "24.7536"}, "place_lat", "This point is not in Espoo"),
    ({"place_lat": "60.2055", "place_lon": ""}, "place_lon",
     "Give both the latitude and the longitude"),
    ({"place_lat": "sixty", "place_lon": "24.65"}, "place_lat",
     "Write the coordinate as decimal degrees"),
    ({"place_address": "x" * 201}, "place_address", "Use at most 200 characters"),
])
def test_a_wrong_place_is_refused_and_the_typed_text_kept(app, client, auth, resident, idea_id,
                                                          place, field, message):
    auth.login(resident.email)
    typed = {**TEXT, "title": "Benches and shade", "place_address": "Kauppatori",
             "place_lat": "", "place_lon": "", **place}
    response = client.post(f"/ideas/{idea_id}/edit", data=typed)
    assert response.status_code == 422
    body = html.unescape(response.get_data(as_text=True))
    assert message in body
    error = body.split(f'<p class="field-error" id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error  # next to its field, not only in the summary
    for name in ("title", "place_address", "place_lat", "place_lon"):
        if typed[name] and len(typed[name]) <= 200:
            assert f'value="{typed[name]}"' in body, name
    assert _place(app, idea_id) == ("Tapiolan keskuspuisto", 60.1756, 24.8055)
    assert _revisions(app, idea_id) == []
    with app.app_context():
        assert db.session.get(Idea, idea_id).title == TEXT["title"]


def test_the_service_keeps_the_place_unless_given(app, resident, idea_id):
    with app.test_request_context():
        idea = db.session.get(Idea, idea_id)
        author = db.session.get(User, resident.id)
        editing.edit_idea(author, idea, "Benches and shade", TEXT["description"], "en")
        db.session.commit()
    assert _place(app, idea_id) == ("Tapiolan keskuspuisto", 60.1756, 24.8055)
    assert _revisions(app, idea_id) == [("Tapiolan keskuspuisto", 60.1756, 24.8055)]


def test_the_finnish_edit_page_explains_the_error_in_finnish(app, client, auth, factory,
                                                             idea_id):
    with app.app_context():
        author = db.session.get(Idea, idea_id).author
        author.preferred_language = "fi"
        db.session.commit()
        email = author.email
    auth.login(email)
    response = client.post(f"/ideas/{idea_id}/edit",
                           data={**TEXT, "place_lat": "59.4", "place_lon": "24.7"})
    assert response.status_code == 422
    assert "Tämä kohta ei ole Espoossa" in html.unescape(response.get_data(as_text=True))
