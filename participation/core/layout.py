"""The page frame (templates/_macros/site.html) from the fragment cache (core/fragments.py).

Every page, anonymous or signed in, shows the same head links, header and footer in its
language; only a few things in the header change: which menu item is the current page, the
signed-in menu (a moderator's and an admin's items, the unread count), the language menu's
note, and two per-request values filled into holes: the language links (they lead back to
this page) and the log-out form's CSRF token. base.html calls these globals.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, request, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..i18n import current_language, language_offer
from . import fragments
from .links import return_path

TEMPLATE = "_macros/site.html"


def site_head() -> Markup:
    return fragments.piece(TEMPLATE, "site_head", ("site_head", fragments.language_key()), ())


def site_footer() -> Markup:
    return fragments.piece(TEMPLATE, "site_footer", ("site_footer", fragments.language_key()),
                           ())


def site_header(*, signed_in: bool = False, moderator: bool = False, admin: bool = False,
                unread: int = 0) -> Markup:
    """The header for this request: the signed-in state comes from base.html (the account
    and its unread count), the rest from the request."""
    languages = current_app.config["LANGUAGES"]
    values = language_urls(languages, return_path())
    if signed_in:  # never for a visitor: a token would start a session (and no page cache)
        values.append(generate_csrf())
    offer = language_offer()
    state = dict(endpoint=request.endpoint, signed_in=signed_in, moderator=moderator,
                 admin=admin, unread=unread, offer=offer)
    key = ("site_header", fragments.language_key(), *state.values())
    return fragments.piece(TEMPLATE, "site_header", key, values, language=current_language(),
                           languages=languages, language_urls=[fragments.HOLE] * len(languages),
                           token=fragments.HOLE, **state)


# url_for's own query encoding (werkzeug.urls._urlencode): the same link, byte for byte.
_QUERY_SAFE = "!$'()*,/:;?@"
_LANGUAGE_PATHS = "language_paths"


def language_urls(languages, back: str) -> list[str]:
    """`url_for("core.set_language", code=..., next=back)` for each language, on every page:
    each language's path is built once per process and site root (routing it costs more
    than the rest of the header), the query is added here as url_for adds it."""
    paths = current_app.extensions.setdefault(_LANGUAGE_PATHS, {})
    query = "?" + urlencode({"next": back}, safe=_QUERY_SAFE)
    urls = []
    for choice in languages:
        key = (request.script_root, choice.interface)
        path = paths.get(key)
        if path is None:
            path = paths[key] = url_for("core.set_language", code=choice.interface)
        urls.append(path + query)
    return urls


def init_layout(app) -> None:
    app.jinja_env.globals.update(site_head=site_head, site_header=site_header,
                                 site_footer=site_footer)
