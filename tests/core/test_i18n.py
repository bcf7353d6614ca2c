"""Locale choice, <html lang dir>, Babel formatting, and languages that drop in as catalogues."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import force_locale

from participation.i18n import LOCALE_COOKIE, describe
from participation.templating import _format_euros
from tests.i18n_helpers import translated


def _lang(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="')[1].split('"')[0]


def test_default_language_is_finnish(client):
    assert _lang(client.get("/")) == "fi"


def test_accept_language_is_used(client):
    assert _lang(client.get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9"})) == "sv"
    assert _lang(client.get("/", headers={"Accept-Language": "en-GB"})) == "en"


def test_unsupported_accept_language_falls_back_to_finnish(client):
    assert _lang(client.get("/", headers={"Accept-Language": "de-DE,fr;q=0.5"})) == "fi"


def test_language_menu_sets_cookie_over_accept_language(client):
    response = client.get("/language/sv?next=/privacy")
    assert response.status_code == 302 and response.headers["Location"] == "/privacy"
    assert f"{LOCALE_COOKIE}=sv" in response.headers["Set-Cookie"]
    assert _lang(client.get("/", headers={"Accept-Language": "en"})) == "sv"


def test_unknown_locale_falls_back_without_error(client):
    response = client.get("/language/xx-YY?next=/", follow_redirects=True)
    assert response.status_code == 200
    assert _lang(response) == "fi"
    assert LOCALE_COOKIE not in (response.request.headers.get("Cookie") or "")
    client.set_cookie(LOCALE_COOKIE, "klingon")
    assert client.get("/").status_code == 200


def test_users_setting_wins_over_cookie(client, factory, auth):
    person = factory.user(language="en")
    client.set_cookie(LOCALE_COOKIE, "sv")
    auth.login(person.email)
    assert _lang(client.get("/")) == "en"


def test_language_menu_changes_the_page_but_not_the_stored_setting(app, client, factory, auth):
    """A GET anyone's page can trigger (an image, a prefetch) must not change stored data."""
    from participation.accounts.models import User
    from participation.extensions import db

    person = factory.user(language="fi")
    auth.login(person.email)
    client.get("/language/sv")
    assert _lang(client.get("/")) == "sv"
    with app.app_context():
        assert db.session.get(User, person.id).preferred_language == "fi"


def test_language_menu_links_on_every_page(client):
    html = client.get("/privacy").get_data(as_text=True)
    for code in ("fi", "sv", "en"):
        assert f'hreflang="{code}"' in html
    assert 'aria-current="true"' in html


def test_pages_are_translated(app, client):
    source = "Skip to main content"
    texts = {language: translated(app, source, language) for language in ("fi", "sv", "en")}
    assert texts["en"] == source
    assert len({texts["fi"], texts["sv"], source}) == 3
    for language, text in texts.items():
        html = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
        assert text in html


def test_text_direction_for_right_to_left_languages():
    assert describe("ar").direction == "rtl"
    assert describe("fi").direction == "ltr"
    assert describe("sv").native_name == "Svenska"


def test_numbers_money_and_dates_per_locale(app):
    moment = datetime(2026, 6, 1, 21, 30, tzinfo=UTC)  # 00:30 on 2 June in Helsinki
    with app.test_request_context():
        from flask_babel import format_datetime

        with force_locale("fi"):
            assert _format_euros(1234567) == "1\u00a0234\u00a0567\u00a0€"
            assert format_datetime(moment, "d.M.yyyy H.mm") == "2.6.2026 0.30"
        with force_locale("sv"):
            assert _format_euros(1500) == "1\u00a0500\u00a0€"
        with force_locale("en"):
            assert _format_euros(1500) == "€1,500"


def test_official_content_in_another_language_than_the_page_is_marked_with_its_lang(app):
    from types import SimpleNamespace

    from flask import render_template_string

    point = SimpleNamespace(heard_fi="Moni kertoi.", heard_sv="Många berättade.", heard_en="")
    template = '<p{{ lang_of(point, "heard") }}>{{ point.heard_fi }}</p>'
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string(template, point=point) == '<p lang="fi">Moni kertoi.</p>'
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert render_template_string(template, point=point) == "<p>Moni kertoi.</p>"
    with app.test_request_context(headers={"Accept-Language": "fi"}):
        assert render_template_string(template, point=point) == "<p>Moni kertoi.</p>"
