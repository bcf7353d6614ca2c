"""Template globals and filters: language menu, locale-aware formatting, role checks."""

from __future__ import annotations

from flask import request
from markupsafe import Markup

from .core import formats
from .core.links import external_url
from .i18n import current_language, language_offer, localized_language

# Kept for code that imported the old name: money is formatted by formats.format_money.
_format_euros = formats.format_money


def _one_style(formatter):
    """A filter with one style per language; an old template's width argument ("short",
    "long") is accepted and ignored, so every page shows the same style."""
    def filter_(value, _style=None):
        return formatter(value)

    filter_.__doc__ = formatter.__doc__
    return filter_


def _number(value, decimals=None) -> str:
    return formats.format_number(value, decimals if isinstance(decimals, int) else None)


def _role_names(roles) -> str:
    from .core.permissions import ROLE_LABELS, ROLES

    return ", ".join(str(ROLE_LABELS[role]) for role in ROLES if role in roles)


def _current_path() -> str:
    return request.full_path.rstrip("?") if request else "/"


def _lang_of(obj, field: str) -> Markup:
    """` lang="fi"` where official content falls back to another language than the page's
    (WCAG 3.1.2), else nothing: `<p{{ lang_of(point, "heard") }}>{{ point.heard }}</p>`."""
    code = localized_language(obj, field)
    if code is None or code == current_language().code:
        return Markup("")
    return Markup(' lang="%s"') % code


def init_templating(app) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
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

    @app.context_processor
    def inject_globals():
        return {
            "languages": app.config["LANGUAGES"],
            "current_language": current_language(),
            "current_path": _current_path(),
            "external_url": external_url,
            "lang_of": _lang_of,
            "language_offer": language_offer,
        }
