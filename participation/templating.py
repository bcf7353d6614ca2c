"""Template globals and filters: language menu, locale-aware formatting, role checks."""

from __future__ import annotations

from flask import request
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
)

from .core.links import external_url
from .i18n import current_language


def _format_euros(value) -> str:
    """Whole euros in the locale's own currency layout: 1 500 € (fi, sv), €1,500 (en)."""
    if value is None:
        return ""
    pattern = get_locale().currency_formats["standard"].pattern.split(";")[0]
    return format_currency(value, "EUR", format=pattern.replace(".00", ""), currency_digits=False)


def _role_names(roles) -> str:
    from .core.permissions import ROLE_LABELS, ROLES

    return ", ".join(str(ROLE_LABELS[role]) for role in ROLES if role in roles)


def _current_path() -> str:
    return request.full_path.rstrip("?") if request else "/"


def init_templating(app) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(
        euros=_format_euros,
        number=format_decimal,
        date=format_date,
        datetime=format_datetime,
        role_names=_role_names,
    )

    @app.context_processor
    def inject_globals():
        return {
            "languages": app.config["LANGUAGES"],
            "current_language": current_language(),
            "current_path": _current_path(),
            "external_url": external_url,
        }
