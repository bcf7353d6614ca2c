"""Pieces of a page that are the same for everyone who sees them, rendered once per process.

A signed-in page cannot go to the page cache (core/pagecache.py): it carries a person's name,
choices and CSRF token. Most of its markup is still the same for everyone: the page frame
(core/layout.py) and a ballot's proposal cards (budgeting/web/ballot_cards.py), which 50,000
voters see in one of a few states each. Such a piece is rendered once per key and kept here.

The key must hold everything the piece shows: the caller puts in the content itself (the
database row, not an id: an edit gives a new key, so nothing is ever invalidated and no other
process has to be told) and the interface language (`language_key`). A piece may also depend
on per-request values (a CSRF token, a link back to the page): it is rendered with `HOLE` in
their place and stored in parts, and `fill` joins the parts with the request's values. `HOLE`
holds markup characters, so no escaped text of a page can contain it.

Each process keeps its own bounded LRU (entries), safe for gunicorn's threads. Nothing of a
person is ever kept: a key holds content shown to everyone and the state of a piece (a card
chosen or not, the menu of a signed-in moderator), never who is looking.
FRAGMENT_CACHE_ENTRIES = 0 turns it off (every piece is rendered), and so does template
auto-reload (development: an edited template shows at once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from flask import get_template_attribute, request
from markupsafe import Markup, escape

from ..i18n import current_language
from .lru import LruCache, app_cache

EXTENSION = "fragments"
HOLE = Markup("<fragment-hole>")


class FragmentCache(LruCache[tuple[str, ...]]):
    """A bounded LRU: key -> the parts of a rendered piece between its holes."""


def _cache() -> FragmentCache | None:
    return app_cache(EXTENSION, _entries, FragmentCache)


def _entries(app) -> int:
    """On unless turned off, or templates reload (development)."""
    return 0 if app.jinja_env.auto_reload else int(app.config.get("FRAGMENT_CACHE_ENTRIES") or 0)


def language_key() -> tuple:
    """What a piece's text depends on besides its content: the page's language (messages,
    money and dates, which official text shows and its lang attribute) and the site's root."""
    return current_language(), request.script_root


def rendered(key: tuple | None, render: Callable[[], str]) -> tuple[str, ...]:
    """The parts of the piece for `key`, rendered by `render()` (with HOLE where the
    per-request value goes) on the first request that needs it; key None: a piece that is
    not to be kept (rendered every time)."""
    return _rendered(_cache() if key is not None else None, key, render)


def piece(template: str, macro: str, key: tuple | None, values: Sequence[str], *arguments,
          **keywords) -> Markup:
    """The piece a macro of `template` renders (called with HOLE where each of `values` goes),
    kept for `key`, with the request's `values` filled in. The macro is looked up only when
    the piece is rendered (not on a cache hit)."""
    parts = rendered(key, lambda: get_template_attribute(template, macro)(*arguments,
                                                                          **keywords))
    return Markup(fill(parts, values))


def rendered_each(pieces: Iterable[tuple[tuple | None, Callable[[], str]]]) \
        -> list[tuple[str, ...]]:
    """`rendered` for each (key, render) of `pieces` (a page's many cards: the cache is
    looked up once)."""
    cache = _cache()
    return [_rendered(cache if key is not None else None, key, render)
            for key, render in pieces]


def _rendered(cache: FragmentCache | None, key, render) -> tuple[str, ...]:
    parts = cache.get(key) if cache is not None else None
    if parts is None:
        parts = tuple(str(render()).split(str(HOLE)))
        if cache is not None:
            cache.put(key, parts)
    return parts


def fill_each(pieces: Iterable[tuple[str, ...]], value: str) -> str:
    """The pieces (parts as `rendered` gives them) one after another, with `value` (escaped
    once) in every hole: a page's cards, each with the page's CSRF token."""
    value = str(escape(value))
    return "".join(value.join(parts) for parts in pieces)


def fill(parts: tuple[str, ...], values: Sequence[str]) -> str:
    """The piece with the request's values (escaped), one per hole in the order they appear."""
    if len(values) != len(parts) - 1:
        raise ValueError(f"{len(parts) - 1} holes, {len(values)} values")
    out = [parts[0]]
    for value, part in zip(values, parts[1:], strict=True):
        out += (str(escape(value)), part)
    return "".join(out)
