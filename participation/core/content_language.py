"""The language a resident's own text is written in (ideas, comments), and saying so.

The interface languages (participation/i18n.py) are the ones with a catalogue; residents may
write in any language, so the choice here is wider: the city's languages, the largest foreign
language groups of Espoo, and "another language" (stored as the BCP 47 code `und`,
undetermined, which is also a valid `lang` attribute). Search stems the languages that have a
stemmer (participation/ideas/stemming.py) and only folds the rest.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..i18n import current_language, localized_language

OTHER = "und"
# Finnish and Swedish first, then English and the largest foreign-language groups of Espoo.
CONTENT_LANGUAGES = ("fi", "sv", "en", "ru", "et", "ar", "so")
CONTENT_CODES = frozenset(CONTENT_LANGUAGES) | {OTHER}

# The note next to content written in another language than the page's.
_NOTES = {
    "idea": _l("This idea is written in %(language)s."),
    "comment": _l("This comment is written in %(language)s."),
    "proposal": _l("This proposal is written in %(language)s."),
    "hearing": _l("This hearing is written in %(language)s."),
}


def language_name(code: str | None, in_language: str | None = None) -> str:
    """The name of language `code` in the interface language (fi: "ruotsi"), or "Another
    language" for `und` and unknown codes."""
    if not code or code == OTHER:
        return _("Another language")
    interface = in_language or current_language().code
    try:
        name = Locale.parse(interface).languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    if not name:
        try:
            name = Locale.parse("en").languages.get(code)
        except (UnknownLocaleError, ValueError):
            name = None
    return name or _("Another language")


def content_language_choices() -> list[tuple[str, str]]:
    """The select's choices: each language named in the interface language, then "other"."""
    choices = []
    for code in CONTENT_LANGUAGES:
        name = language_name(code)
        choices.append((code, name[:1].upper() + name[1:]))
    return choices + [(OTHER, _("Another language"))]


def normalise_content_language(code: str | None) -> str | None:
    """A stored content language for `code` ("sv-FI" -> "sv", unknown languages -> None)."""
    if not code:
        return None
    code = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return code if code in CONTENT_CODES else None


def language_note(kind: str, code: str | None) -> Markup:
    """`<p class="content-language">This idea is written in Swedish.</p>` when the content's
    language differs from the page's, else nothing (also for "another language", which the
    sentence could not name)."""
    if not code or code == OTHER or code == normalise_content_language(current_language().code):
        return Markup("")
    text = _NOTES[kind] % {"language": language_name(code)}
    return Markup('<p class="content-language">%s</p>') % text


def official_language_note(kind: str, obj, field: str) -> Markup:
    """The same for official content stored per language (title_fi, title_sv...), which falls
    back to another language when the page's is missing."""
    return language_note(kind, localized_language(obj, field))
