"""Template globals and filters: language menu, locale-aware formatting, role checks."""

from __future__ import annotations

from collections import ChainMap

from flask.templating import Environment as FlaskEnvironment
from markupsafe import Markup

from .core import formats
from .core.content_language import language_note, official_language_note
from .core.links import external_url, return_path
from .i18n import current_language, language_offer, localized_language

# Kept for code that imported the old name: money is formatted by formats.format_money.
_format_euros = formats.format_money


# First-strong isolate ... pop directional isolate: the text between keeps its own direction
# (digits only: left to right) whatever surrounds it, in HTML text, attributes and SVG alike.
FSI, PDI = "\u2068", "\u2069"


def isolate_bidi(text: str) -> str:
    """A figure, amount, date or code isolated on right-to-left pages (Arabic), so that
    "1 200 €" or "3.12.2026 klo 12.00" is not reordered by the text around it; unchanged on
    left-to-right pages."""
    if not text or not is_rtl():
        return text
    return f"{FSI}{text}{PDI}"


def is_rtl() -> bool:
    return current_language().direction == "rtl"


def mirror_x(x, width, span=0):
    """An SVG x coordinate on a chart `width` units wide, mirrored on right-to-left pages so
    that bars grow from the start edge; `span` is the width of a rect placed at x. Text keeps
    its text-anchor: start and end follow the page's direction."""
    if not is_rtl():
        return x
    return round(width - x - span, 1)


def _one_style(formatter):
    """A filter with one style per language; an old template's width argument ("short",
    "long") is accepted and ignored, so every page shows the same style."""
    def filter_(value, _style=None):
        return isolate_bidi(formatter(value))

    filter_.__doc__ = formatter.__doc__
    return filter_


def _number(value, decimals=None) -> str:
    places = decimals if isinstance(decimals, int) else None
    return isolate_bidi(formats.format_number(value, places))


def _role_names(roles) -> str:
    from .core.permissions import ROLE_LABELS, ROLES

    return ", ".join(str(ROLE_LABELS[role]) for role in ROLES if role in roles)


def _lang_of(obj, field: str) -> Markup:
    """` lang="fi"` where official content falls back to another language than the page's
    (WCAG 3.1.2), else nothing: `<p{{ lang_of(point, "heard") }}>{{ point.heard }}</p>`."""
    code = localized_language(obj, field)
    if code is None or code == current_language().code:
        return Markup("")
    return Markup(' lang="%s"') % code


def init_templating(app) -> None:
    from .core.layout import init_layout

    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    init_layout(app)
    app.jinja_env.filters.update(
        # Dates, times, numbers and money: participation/core/formats.py (Finnish conventions).
        euros=_one_style(formats.format_money),
        number=_number,
        date=_one_style(formats.format_date),
        long_date=_one_style(formats.format_long_date),
        time=_one_style(formats.format_time),
        datetime=_one_style(formats.format_datetime),
        role_names=_role_names,
    )

    # Globals (not the context processor) so that macros imported without context see them.
    app.jinja_env.globals.update(is_rtl=is_rtl, mirror_x=mirror_x, isolate_bidi=isolate_bidi,
                                 lang_of=_lang_of, language_note=language_note,
                                 official_language_note=official_language_note)

    @app.context_processor
    def inject_globals():
        return {
            "languages": app.config["LANGUAGES"],
            "current_language": current_language(),
            "current_path": return_path(),
            "external_url": external_url,
            "lang_of": _lang_of,
            "language_offer": language_offer,
        }


class _TemplateGlobals(ChainMap):
    """A template's globals: its own over the environment's (as Jinja keeps them), with keys
    that answer as a set. Jinja works out `context.globals_keys - template.globals.keys()` at
    every `{% from ... import %}` (base.html has one, so every page does); a ChainMap's keys
    view answers that one key at a time, through every map, which cost about 8 % of a ballot
    page's instructions (bench/README.md). The keys are read when asked, so a global added
    later is seen as before."""

    def keys(self):
        return set(self)


class TemplateEnvironment(FlaskEnvironment):
    """Flask's Jinja environment with _TemplateGlobals (create_app sets it)."""

    def make_globals(self, d):
        return _TemplateGlobals(d if d is not None else {}, self.globals)
