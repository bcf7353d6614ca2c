"""Looking up what a message says in a language, so tests don't hard-code translations."""

from __future__ import annotations

import os

from babel.messages.extract import extract
from flask_babel import force_locale, gettext

from participation.catalogues import babel_keywords
from participation.config import ROOT


def translated(app, message: str, language: str, **params) -> str:
    with app.test_request_context(), force_locale(language):
        return gettext(message, **params)


def source_messages() -> dict[str | tuple[str, ...], set[str]]:
    """Every message in every .py, .html and .txt under participation/ and templates/, found
    with os.walk (no folder skipped) and Babel's extractors, whatever babel.cfg says.
    A plural message is keyed by its (singular, plural) pair."""
    methods = {".py": "python", ".html": "jinja2", ".txt": "jinja2"}
    keywords = babel_keywords()
    found: dict[str, set[str]] = {}
    for top in ("participation", "templates"):
        for folder, _dirs, files in os.walk(ROOT / top):
            for name in files:
                method = methods.get(os.path.splitext(name)[1])
                if method is None:
                    continue
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    for _line, message, _comments, _context in extract(
                            method, handle, keywords=keywords, comment_tags=()):
                        if isinstance(message, tuple):  # ngettext: (singular, plural)
                            message = tuple(part for part in message if part)
                        if message:
                            found.setdefault(message, set()).add(os.path.relpath(path, ROOT))
    return found
