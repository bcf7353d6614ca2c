"""Looking up what a message says in a language, so tests don't hard-code translations."""

from __future__ import annotations

from flask_babel import force_locale, gettext


def translated(app, message: str, language: str, **params) -> str:
    with app.test_request_context(), force_locale(language):
        return gettext(message, **params)
