"""The offering rule with fake catalogues (never the translators' files): a page is shown in a
language only if its page group is completely translated in it, else in Finnish, Swedish or
English with a note in the language menu; plain Finnish falls back to Finnish message by
message; the language menu names each language in itself."""

from __future__ import annotations

import json

import pytest
from flask import g
from flask_babel import force_locale, gettext, ngettext

from participation import create_app
from participation.catalogues import MANIFEST_NAME
from participation.i18n import LOCALE_COOKIE, available_in, resolve, use_language
from tests.fake_catalogues import (
    compile_here,
    only_in,
    pseudo_strings,
    translations_with,
    write_catalogue,
)
from tests.i18n_helpers import translated

SELKO_SKIP = "Selkeä: siirry sivun sisältöön"


@pytest.fixture(scope="module")
def fake_app(app, database_url, tmp_path_factory):
    """The real site with fi, sv and en, a fake Russian lacking what only the privacy and
    accessibility statements and the figures pages show, a complete fake Arabic, and a plain
    Finnish that rewrites one message (and leaves a plural empty: it must fall back)."""
    directory = translations_with(tmp_path_factory.mktemp("fake_i18n"))
    manifest = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
    write_catalogue(directory, "ru", pseudo_strings(
        manifest, "ru", 3, skip=only_in("statements", "figures")))
    write_catalogue(directory, "ar", pseudo_strings(manifest, "ar", 6))
    write_catalogue(directory, "fi", {
        "Skip to main content": SELKO_SKIP,
        ("%(num)d unread", "%(num)d unread"): ("", ""),
    }, domain="selko")
    compile_here(directory)
    return create_app({
        "TESTING": True, "INSTANCE_PATH": tmp_path_factory.mktemp("fake_instance"),
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret-key",
        "PSEUDONYM_KEY": "test-pseudonym-key", "WTF_CSRF_ENABLED": False,
        "BABEL_TRANSLATION_DIRECTORIES": str(directory),
    })


def _get(fake_app, path, language=None, **headers):
    client = fake_app.test_client()
    if language:
        client.set_cookie(LOCALE_COOKIE, language)
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _lang_dir(html):
    head = html.split("<html ", 1)[1].split(">", 1)[0]
    return head.split('lang="')[1].split('"')[0], head.split('dir="')[1].split('"')[0]


def test_languages_are_listed_when_their_catalogue_exists(fake_app):
    codes = [language.interface for language in fake_app.config["LANGUAGES"]]
    assert codes == ["fi", "fi-x-selko", "sv", "en", "ar", "ru"] or \
        codes[:4] == ["fi", "fi-x-selko", "sv", "en"] and set(codes[4:]) == {"ar", "ru"}
    html = _get(fake_app, "/")
    for name, lang in (("Русский", "ru"), ("العربية", "ar"), ("Selkosuomi", "fi"),
                       ("Suomi", "fi"), ("Svenska", "sv"), ("English", "en")):
        assert f'lang="{lang}"' in html and f">{name}</a>" in html
    assert "/language/fi-x-selko" in html


def test_a_complete_group_is_shown_in_the_language(fake_app):
    html = _get(fake_app, "/", "ru")
    assert _lang_dir(html) == ("ru", "ltr")
    assert "[ru] Skip to main content" in html and "[ru] Front page" in html
    assert 'class="language-note"' not in html  # ru is offered on every resident page here


def test_right_to_left_language_gets_dir_rtl(fake_app):
    html = _get(fake_app, "/ideas", "ar")
    assert _lang_dir(html) == ("ar", "rtl")
    assert "[ar] Front page" in html


def test_an_incomplete_group_falls_back_to_finnish_with_a_note(fake_app):
    html = _get(fake_app, "/privacy", "ru")
    assert _lang_dir(html) == ("fi", "ltr")
    assert "[ru]" not in html.split('<span lang="ru"')[0]  # no Russian outside the note
    assert translated(fake_app, "Privacy notice", "fi") in html
    assert "Tämä sivu on saatavilla näillä kielillä: suomi, ruotsi, englanti ja arabia." in html
    # The same said in Russian for the visitor who chose it, marked with its language.
    assert ('<span lang="ru" dir="ltr">[ru] This page is available in these languages: '
            "финский, шведский, английский и арабский.</span>") in html


def test_the_fallback_is_the_visitors_best_of_finnish_swedish_and_english(fake_app):
    html = _get(fake_app, "/privacy", "ru", **{"Accept-Language": "ru, sv;q=0.8, en;q=0.5"})
    assert _lang_dir(html)[0] == "sv"
    assert "Den här sidan finns på dessa språk:" in html
    html = _get(fake_app, "/figures/", "ru", **{"Accept-Language": "ru, en;q=0.5"})
    assert _lang_dir(html)[0] == "en"
    assert "This page is available in these languages: Finnish, Swedish, English and Arabic." \
        in html


def test_the_note_is_shown_to_everyone_on_a_page_some_languages_lack(fake_app):
    html = _get(fake_app, "/figures/", "fi")
    assert _lang_dir(html)[0] == "fi"
    assert "Tämä sivu on saatavilla näillä kielillä:" in html
    assert '<span lang="ru"' not in html


def test_resolve_and_emails_follow_the_same_rule(fake_app):
    with fake_app.test_request_context():
        assert available_in("ru", "ideas") and not available_in("ru", "statements")
        assert resolve("ru", "statements") == "fi"
        assert resolve("ru", "statements", ["en"]) == "en"
        assert resolve("ar", "statements") == "ar"
        with use_language("ru", "email") as language:
            assert language.code == "ru" and gettext("Front page") == "[ru] Front page"
        with use_language("ru", "statements") as language:
            assert language.code == "fi"
            assert gettext("Front page") == translated(fake_app, "Front page", "fi")
        with use_language("xx", "email") as language:
            assert language.code == "fi"


def test_plain_finnish_falls_back_to_finnish_message_by_message(fake_app):
    html = _get(fake_app, "/", "fi-x-selko")
    assert _lang_dir(html) == ("fi", "ltr")
    assert SELKO_SKIP in html
    assert translated(fake_app, "Front page", "fi") in html  # not rewritten: normal Finnish
    assert 'aria-current="true">Selkosuomi<' in html.replace("\n", "").replace("  ", "")
    with fake_app.test_request_context(), force_locale("fi"):
        finnish = ngettext("%(num)d unread", "%(num)d unread", 3)
    with fake_app.test_request_context(headers={"Cookie": f"{LOCALE_COOKIE}=fi-x-selko"}):
        assert gettext("Skip to main content") == SELKO_SKIP
        assert g.interface_shown == "fi-x-selko"
        with force_locale("fi"):  # official Finnish text (e.g. a hearing's feedback)
            assert gettext("Skip to main content") == translated(
                fake_app, "Skip to main content", "fi")
        with use_language("fi-x-selko", "common"):  # a plain-Finnish reader's email
            assert gettext("Skip to main content") == SELKO_SKIP
        assert gettext("Skip to main content") == SELKO_SKIP
        # The plural left empty in selko.po is not compiled, so Finnish shows, never "".
        assert ngettext("%(num)d unread", "%(num)d unread", 3) == finnish != ""


def test_plain_finnish_is_offered_wherever_finnish_is(fake_app):
    offering = fake_app.config["LANGUAGE_OFFERING"]
    assert offering["fi-x-selko"] == offering["fi"]
    assert "statements" not in offering["ru"] and "ideas" in offering["ru"]
    assert "moderation" in offering["ar"]


@pytest.mark.parametrize(("setting", "expected"), [("fi-x-selko", "fi-x-selko"), ("ru", "ru"),
                                                   ("sv", "sv"), ("zh", "fi")])
def test_mail_goes_in_the_persons_language_or_the_best_offered(app, client, factory, outbox,
                                                               setting, expected):
    """A plain-Finnish or Russian reader's email is in their language (Babel cannot even
    parse "fi-x-selko" as a locale: no error either); a language the site lacks gets Finnish."""
    from email import message_from_bytes
    from email.policy import default as default_policy

    person = factory.user(language=setting)
    response = client.post("/password/forgot", buffered=True, data={"email": person.email})
    assert response.status_code == 200
    [path] = sorted(outbox.glob("*.eml"))
    message = message_from_bytes(path.read_bytes(), policy=default_policy)
    with app.test_request_context(), use_language(expected):
        subject = gettext("Reset your Osallistu Espoo password")
    assert message["Subject"] == subject
