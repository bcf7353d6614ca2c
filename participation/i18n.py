"""Languages: which locales we serve, how a request's locale is chosen, text direction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

DEFAULT_LOCALE = "fi"
LOCALE_COOKIE = "osallistu_lang"
SESSION_LOCALE = "locale"  # the language menu's choice for this session
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ku"})


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    direction: str


def _catalogue_codes(translations_dir: Path) -> list[str]:
    """Locales with a catalogue; a new language drops in as translations/<code>/LC_MESSAGES."""
    codes = {
        path.parent.parent.name
        for path in translations_dir.glob("*/LC_MESSAGES/messages.po")
    }
    codes.add(DEFAULT_LOCALE)
    # Finnish and Swedish first (the city's languages), the rest alphabetically.
    return sorted(codes, key=lambda c: ({"fi": 0, "sv": 1, "en": 2}.get(c, 3), c))


def describe(code: str) -> Language:
    locale = Locale.parse(code)
    name = locale.get_display_name(locale) or code
    direction = "rtl" if locale.language in RTL_LANGUAGES else "ltr"
    return Language(code=code, native_name=name[:1].upper() + name[1:], direction=direction)


def init_languages(app) -> None:
    codes = _catalogue_codes(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    app.config["LANGUAGES"] = [describe(code) for code in codes]


def supported_codes() -> list[str]:
    return [language.code for language in current_app.config["LANGUAGES"]]


def normalise(code: str | None) -> str | None:
    """A supported locale code for `code` (e.g. 'sv-FI' -> 'sv'), or None."""
    if not code:
        return None
    code = code.strip().replace("-", "_")
    supported = supported_codes()
    if code in supported:
        return code
    language = code.split("_", 1)[0].lower()
    return language if language in supported else None


def select_locale() -> str:
    """The language menu's choice in this session, the user's setting, the menu's cookie,
    then Accept-Language, then Finnish."""
    if not has_request_context():
        return DEFAULT_LOCALE
    if getattr(g, "forced_locale", None):
        return g.forced_locale
    chosen = normalise(session.get(SESSION_LOCALE))
    if chosen:
        return chosen
    if current_user and current_user.is_authenticated:
        chosen = normalise(getattr(current_user, "preferred_language", None))
        if chosen:
            return chosen
    chosen = normalise(request.cookies.get(LOCALE_COOKIE))
    if chosen:
        return chosen
    best = request.accept_languages.best_match(supported_codes())
    return best or DEFAULT_LOCALE


def current_language() -> Language:
    from flask_babel import get_locale

    locale = get_locale()
    return describe(str(locale) if locale else DEFAULT_LOCALE)


def localized(obj, field: str, locale: str | None = None) -> str:
    """Official content stored per language: obj.<field>_<locale>, falling back fi, sv, en."""
    return _localized_with_language(obj, field, locale)[0]


def localized_language(obj, field: str, locale: str | None = None) -> str | None:
    """The language `localized` takes the text from (None when there is no text)."""
    return _localized_with_language(obj, field, locale)[1]


def _localized_with_language(obj, field: str, locale: str | None) -> tuple[str, str | None]:
    if locale is None:
        locale = current_language().code
    for code in (locale, DEFAULT_LOCALE, "sv", "en"):
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return value, code
    return "", None
