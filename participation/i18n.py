"""Languages: the registry of interface languages, how a request's language is chosen (with the
offering rule: no page mixes languages), text direction, and official content per language.

An interface language is offered when its catalogue exists (translations/<code>/LC_MESSAGES/
messages.po; plain Finnish is the `selko` domain in translations/fi). A page is shown in the
visitor's language only if every message of the page's group is translated in it (see
participation/pagegroups.py and participation/catalogues.py); otherwise in their best of
Finnish, Swedish and English, and the language menu says so.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations
from flask import current_app, g, has_request_context, request, session
from flask_babel import Domain, force_locale, get_locale
from flask_login import current_user

DEFAULT_LOCALE = "fi"
LOCALE_COOKIE = "osallistu_lang"
SESSION_LOCALE = "locale"  # the language menu's choice for this session
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ku"})
# Every page exists in these: a page another language lacks falls back to one of them.
BASE_LANGUAGES = ("fi", "sv", "en")
PLAIN_FINNISH = "fi-x-selko"  # BCP 47 private use; the page's lang stays "fi"
# Interface variants: interface code -> (catalogue folder and Babel locale, gettext domain).
# A variant's domain falls back message by message to the folder's `messages` catalogue.
VARIANTS = {PLAIN_FINNISH: ("fi", "selko")}
# Names in the language itself (Babel's names are lower case, and it has none for variants).
NATIVE_NAMES = {"fi": "Suomi", PLAIN_FINNISH: "Selkosuomi", "sv": "Svenska", "en": "English",
                "ru": "Русский", "et": "Eesti", "ar": "العربية", "so": "Soomaali"}
MENU_ORDER = ("fi", PLAIN_FINNISH, "sv", "en", "ru", "et", "ar", "so")


@dataclass(frozen=True)
class Language:
    """One interface language. `code` is the BCP 47 language of the page (the html lang, the
    language content is written in); `interface` is the menu's, cookie's and profile's code
    ("fi-x-selko" for plain Finnish, else the same as `code`)."""

    code: str
    native_name: str
    direction: str
    interface: str = ""
    locale: str = ""  # Babel locale: catalogue folder and formatting
    domain: str = "messages"

    def __post_init__(self):
        if not self.interface:
            object.__setattr__(self, "interface", self.code)
        if not self.locale:
            object.__setattr__(self, "locale", self.code)


@lru_cache(maxsize=256)
def describe(code: str) -> Language:
    """The Language for an interface code ("fi", "ar", "fi-x-selko")."""
    if code in VARIANTS:
        folder, domain = VARIANTS[code]
        return Language(code=folder, native_name=NATIVE_NAMES[code], direction="ltr",
                        interface=code, locale=folder, domain=domain)
    locale = Locale.parse(code)
    name = NATIVE_NAMES.get(code) or locale.get_display_name(locale) or code
    direction = "rtl" if locale.language in RTL_LANGUAGES else "ltr"
    return Language(code=code, native_name=name[:1].upper() + name[1:], direction=direction)


def _catalogue_codes(translations_dir: Path) -> list[str]:
    """Interface codes with a catalogue: a language drops in as translations/<code>/LC_MESSAGES
    /messages.po, plain Finnish as translations/fi/LC_MESSAGES/selko.po."""
    codes = {path.parent.parent.name
             for path in translations_dir.glob("*/LC_MESSAGES/messages.po")}
    codes.add(DEFAULT_LOCALE)
    for code, (folder, domain) in VARIANTS.items():
        if (translations_dir / folder / "LC_MESSAGES" / f"{domain}.po").exists():
            codes.add(code)
    known = []
    for code in codes:
        try:
            describe(code)
        except (UnknownLocaleError, ValueError):
            continue  # a folder that is not a language
        known.append(code)
    rank = {code: index for index, code in enumerate(MENU_ORDER)}
    return sorted(known, key=lambda c: (rank.get(c, len(rank)), c))


def init_languages(app) -> None:
    """The registry (app.config["LANGUAGES"]), and for each language the page groups it is
    complete in (app.config["LANGUAGE_OFFERING"]), computed once here, never per request."""
    from .catalogues import offering
    from .extensions import babel
    from .pagegroups import endpoint_groups

    directory = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    languages = [describe(code) for code in _catalogue_codes(directory)]
    app.config["LANGUAGES"] = languages
    app.config["LANGUAGE_OFFERING"] = offering(directory, languages)
    app.extensions["interface_translations"] = {}
    app.extensions["endpoint_groups"] = endpoint_groups
    # Every gettext call (Python and templates) goes through the interface domain.
    babel.domain_instance = INTERFACE_DOMAIN


def languages() -> list[Language]:
    return current_app.config["LANGUAGES"]


def by_interface(code: str) -> Language | None:
    return next((language for language in languages() if language.interface == code), None)


def supported_codes() -> list[str]:
    """Languages content can be written in here (plain Finnish is Finnish)."""
    return list(dict.fromkeys(language.code for language in languages()))


def interface_codes() -> list[str]:
    return [language.interface for language in languages()]


def normalise(code: str | None) -> str | None:
    """A supported interface code for `code` (e.g. 'sv-FI' -> 'sv'), or None."""
    if not code:
        return None
    code = code.strip()
    by_lower = {interface.lower(): interface for interface in interface_codes()}
    if code.lower() in by_lower:
        return by_lower[code.lower()]
    language = code.replace("-", "_").split("_", 1)[0].lower()
    return by_lower.get(language)


# --- The offering rule --------------------------------------------------------------------

def page_group(endpoint: str | None = None) -> str:
    """The page group of an endpoint (the current request's by default)."""
    from .pagegroups import COMMON

    if endpoint is None:
        endpoint = request.endpoint if has_request_context() else None
    if not endpoint:
        return COMMON
    groups = current_app.extensions.get("endpoint_groups")
    return groups(current_app).get(endpoint, COMMON) if groups else COMMON


def available_in(interface: str, group: str) -> bool:
    """Is every message of `group` (and the groups it extends) translated in `interface`?"""
    return group in current_app.config["LANGUAGE_OFFERING"].get(interface, ())


def page_languages(group: str) -> list[Language]:
    return [language for language in languages() if available_in(language.interface, group)]


def resolve(wanted: str | None, group: str, accepted: list[str] = ()) -> str:
    """The interface code a page of `group` is shown in for a visitor who wants `wanted`:
    `wanted` itself if the group is complete in it, else the visitor's best complete language
    among Finnish, Swedish and English (Accept-Language order), else Finnish."""
    if wanted and available_in(wanted, group):
        return wanted
    wanted_language = describe(wanted).code if wanted else None
    order = [code for code in (wanted_language, *accepted, *BASE_LANGUAGES)
             if code in BASE_LANGUAGES]
    for code in dict.fromkeys(order):
        if available_in(code, group):
            return code
    return DEFAULT_LOCALE


def preferred_interface() -> str:
    """The visitor's language: the menu's choice in this session, the account's setting, the
    menu's cookie, then Accept-Language, then Finnish (an interface code)."""
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
    return normalise(best) or DEFAULT_LOCALE


def _accepted_base_languages() -> list[str]:
    return [value.split("-")[0].lower() for value, _quality in request.accept_languages]


def select_locale() -> str:
    """Flask-Babel's locale selector: the Babel locale of the interface language this page is
    shown in (the choice is kept in g for the menu, the domain and the events)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    if getattr(g, "forced_locale", None):
        return g.forced_locale
    wanted = preferred_interface()
    group = page_group()
    shown = resolve(wanted, group, _accepted_base_languages())
    g.interface_wanted, g.interface_shown, g.page_group = wanted, shown, group
    return describe(shown).locale


def current_language() -> Language:
    """The interface language of the page being rendered (or of a forced locale).

    A page asks this hundreds of times (every gettext, figure and official text), so the
    answer is kept in flask.g for the state it was worked out in: the locale object and the
    page's shown / forced interface (force_locale and use_language change them)."""
    try:
        state = g._get_current_object().__dict__  # plain lookups: this runs very often
    except RuntimeError:  # no application context
        return _language_of(get_locale(), None, False)
    babel_state = state.get("_flask_babel")
    locale = getattr(babel_state, "babel_locale", None) or get_locale()
    # Only a request sets interface_shown (select_locale, use_language).
    shown = state.get("interface_shown")
    # Flask-Babel's force_locale("fi") (official Finnish text) means Finnish, not the page's
    # plain Finnish; use_language keeps the variant.
    forced = hasattr(babel_state, "forced_babel_locale") \
        and not state.get("interface_forced", False)
    memo = state.get("_current_language")
    # `is`: the memo holds the locale object, so its identity cannot pass to another one
    if memo is not None and memo[0] is locale and memo[1] == shown and memo[2] == forced:
        return memo[3]
    language = _language_of(locale, shown, forced)
    state["_current_language"] = (locale, shown, forced, language)
    return language


def _language_of(locale, shown: str | None, forced: bool) -> Language:
    code = str(locale) if locale else DEFAULT_LOCALE
    if shown and not forced and describe(shown).locale == code:
        return describe(shown)
    try:
        return describe(code)
    except (UnknownLocaleError, ValueError):
        return describe(DEFAULT_LOCALE)


def current_interface() -> str | None:
    """The interface code in use in this request (None outside a request)."""
    if not has_request_context():
        return None
    return current_language().interface


@contextmanager
def use_language(interface: str | None, group: str = "email"):
    """Render in a person's language (an email, a notification) by the offering rule: their
    language if `group` is complete in it, else Finnish, Swedish or English."""
    shown = resolve(normalise(interface) or DEFAULT_LOCALE, group)
    language = describe(shown)
    in_request = has_request_context()
    previous = (getattr(g, "interface_shown", None), getattr(g, "interface_forced", False)) \
        if in_request else None
    with force_locale(language.locale):
        if in_request:
            g.interface_shown, g.interface_forced = shown, True
        try:
            yield language
        finally:
            if in_request:
                g.interface_shown, g.interface_forced = previous


class InterfaceDomain(Domain):
    """The `messages` domain, except for a variant (plain Finnish): its own domain with the
    folder's `messages` catalogue behind it, message by message. Cached per app and language."""

    def get_translations(self):
        """A page's every message asks this (a ballot page about ninety times): the answer
        is kept in flask.g beside the language it is for, so a repeat costs one lookup."""
        try:
            state = g._get_current_object().__dict__
        except RuntimeError:  # no application context: Flask-Babel's answer
            return NullTranslations()
        memo = state.get("_interface_translations")
        if memo is not None and memo[0] is current_language():
            return memo[1]
        locale = get_locale()
        if locale is None:
            return NullTranslations()
        language = current_language()
        cache = current_app.extensions.setdefault("interface_translations", {})
        translations = cache.get(language.interface)
        if translations is None:
            translations = load_translations(
                Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"]), language)
            cache[language.interface] = translations
        state["_interface_translations"] = (language, translations)
        return translations

    def install_in_templates(self, app) -> None:
        """Templates' _(), ngettext() and the rest straight from this domain (Flask-Babel's
        own go through its context lookups first, on every message of every page)."""
        app.jinja_env.install_gettext_callables(
            gettext=lambda s: self.get_translations().ugettext(s),
            ngettext=lambda s, p, n: self.get_translations().ungettext(s, p, n),
            pgettext=lambda c, s: self.get_translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: self.get_translations().unpgettext(c, s, p, n),
            newstyle=True)


def load_translations(directory: Path, language: Language):
    base = Translations.load(str(directory), [language.locale], "messages")
    if language.domain == "messages":
        return base
    variant = Translations.load(str(directory), [language.locale], language.domain)
    if not isinstance(variant, Translations):  # no compiled variant: the base catalogue
        return base
    variant.add_fallback(base)
    return variant


INTERFACE_DOMAIN = InterfaceDomain()


# --- Official content per language --------------------------------------------------------

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


# --- The language menu --------------------------------------------------------------------

@dataclass(frozen=True)
class Offer:
    """What the language menu says on a page some languages do not translate: in which
    languages the page is (in the page's language), and the same in the visitor's own language
    when the page could not be shown in it (marked with its lang on the page)."""

    limited: bool
    sentence: str = ""
    wanted: Language | None = None
    wanted_sentence: str = ""


def _available_sentence(codes: list[str], language: Language) -> str:
    from flask_babel import gettext

    from .core.formats import format_list

    names = [Locale.parse(code).get_display_name(language.locale) or code for code in codes]
    if language.interface == current_language().interface:
        return gettext("This page is available in these languages: %(languages)s.",
                       languages=format_list(names, language.locale))
    with use_language(language.interface, "common"):
        return gettext("This page is available in these languages: %(languages)s.",
                       languages=format_list(names, language.locale))


def _complete_in_every_language(group: str) -> bool:
    """Whether every language has the whole group (kept per app: the catalogues are read at
    start, init_languages)."""
    known = current_app.extensions.setdefault("complete_groups", {})
    complete = known.get(group)
    if complete is None:
        complete = known[group] = all(available_in(language.interface, group)
                                      for language in languages())
    return complete


def language_offer() -> Offer:
    from .pagegroups import COMMON

    group = getattr(g, "page_group", None) or page_group()
    if _complete_in_every_language(group):
        return Offer(False)
    shown = current_language()
    codes = list(dict.fromkeys(language.code for language in page_languages(group)))
    wanted_code = getattr(g, "interface_wanted", None)
    wanted = describe(wanted_code) if wanted_code else None
    if wanted is None or wanted.code == shown.code or not available_in(wanted.interface, COMMON):
        return Offer(True, _available_sentence(codes, shown))
    return Offer(True, _available_sentence(codes, shown), wanted,
                 _available_sentence(codes, wanted))
