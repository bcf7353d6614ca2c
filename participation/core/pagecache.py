"""A microcache for anonymous pages: what a city puts in front of a vote's traffic peak.

A GET or HEAD from a visitor with no signed-in user and nothing in the session but the
language menu's choice is answered from memory when the same page, in the same language, was
rendered for such a visitor in the last PAGE_CACHE_SECONDS (0 turns the cache off). Only a
200 that sets no cookie, leaves the session untouched and holds no CSRF token is kept, so a
cached page never carries anything of a person: a signed-in page, a form bound to a session,
a flash, an error page or a redirect is never stored.

The key is everything the templates read from the request: scheme and host, path and query
string, the language the visitor asked for and the one the page is shown in (the offering
rule; both come from the session's choice, the cookie or Accept-Language).

When a page's TTL has run out, the first request for it renders it again while the other
requests for it meanwhile get the page it replaces (for at most one more TTL): without that,
every thread of every process rendered the same page at the same moment each time it expired,
and the slowest of those renders set the peak's response times. A write (below) never leaves a
page to be served stale.

Each app process keeps its own cache (app servers stay stateless: nothing is shared, nothing
survives a restart). A write committed in a process empties that process's cache at once
(the generation below); other processes, and the job worker, see their pages renewed within
the TTL. Time alone (a phase opening, a vote ending) shows within the TTL too; a budgeting or
hearing page served from memory skips that blueprint's lazy closing of ended votes, which the
next miss, any signed-in request and the scheduled job still do.

Served pages get the same headers as when rendered: the response's own headers are kept, and
the after-request hooks (security headers, Cache-Control: no-store, HSTS) run again, so no
browser or proxy keeps a page either way.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app, g, request, request_finished, session
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..i18n import SESSION_LOCALE

EXTENSION = "page_cache"
WRITES = "page_cache_writes"  # Session.info: this transaction flushed or executed a write
# Session keys a cacheable visitor may have: the language menu's choice (part of the key).
ANONYMOUS_SESSION_KEYS = frozenset({SESSION_LOCALE})
# Headers that belong to one request: left out of a stored page (the hooks add them again).
PER_REQUEST_HEADERS = frozenset({"set-cookie", "date", "content-length",
                                 "strict-transport-security", "retry-after"})
CSRF_FIELD = b"csrf_token"


@dataclass(frozen=True)
class Entry:
    expires: float
    generation: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class PageCache:
    """A bounded LRU of rendered pages (entries and bytes), safe for gunicorn's threads."""

    def __init__(self, max_entries: int, max_bytes: int, clock=time.monotonic,
                 grace: float = 0.0) -> None:
        self.max_entries, self.max_bytes, self.clock = max_entries, max_bytes, clock
        self.grace = grace  # how long past its TTL a page may stand in while it is renewed
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._renewing: dict[tuple, float] = {}  # key -> when a request began to renew it
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = self.stores = self.stale_hits = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        return self._bytes

    def get(self, key: tuple, generation: int) -> Entry | None:
        """The page to serve, or None: render it (and put it). Past its TTL, the first caller
        gets None and renews the page; until it does (within the grace), the others get the
        old page."""
        with self._lock:
            entry = self._entries.get(key)
            now = self.clock()
            if entry is not None and entry.generation != generation:
                self._drop(key)
                entry = None
            elif entry is not None and entry.expires <= now:
                started = self._renewing.get(key)
                if now >= entry.expires + self.grace:
                    self._drop(key)
                    entry = None
                elif started is None or now >= started + self.grace:
                    self._renewing[key] = now  # this caller renews it
                    entry = None
                else:
                    self._entries.move_to_end(key)
                    self.stale_hits += 1
                    return entry
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def release(self, key: tuple) -> None:
        """The renewing request kept nothing (an error, a cookie): the next one renews."""
        with self._lock:
            self._renewing.pop(key, None)

    def put(self, key: tuple, entry: Entry) -> bool:
        if len(entry.body) > self.max_bytes // 4:  # one page may not push out all the others
            self.release(key)
            return False
        with self._lock:
            self._renewing.pop(key, None)
            self._drop(key)
            self._entries[key] = entry
            self._bytes += len(entry.body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))
            self.stores += 1
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._renewing.clear()
            self._bytes = 0

    def _drop(self, key: tuple) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.body)


# --- Writes: a commit that changed something renews every page of this process ---------

_generation = 0
_generation_lock = threading.Lock()


def generation() -> int:
    return _generation


def bump_generation() -> None:
    global _generation
    with _generation_lock:
        _generation += 1


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    session.info[WRITES] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if not state.is_select:  # insert / update / delete statements and raw SQL
        state.session.info[WRITES] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(WRITES, False):
        bump_generation()


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(WRITES, None)


# --- The request hooks ----------------------------------------------------------------

def _cache() -> PageCache:
    cache = current_app.extensions.get(EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(EXTENSION, PageCache(
            current_app.config["PAGE_CACHE_MAX_ENTRIES"],
            current_app.config["PAGE_CACHE_MAX_BYTES"],
            grace=current_app.config["PAGE_CACHE_SECONDS"]))
    return cache


def _anonymous_visitor() -> bool:
    """Nobody signed in, no flash, no CSRF token, no remember-me cookie, no credentials."""
    if not set(session.keys()) <= ANONYMOUS_SESSION_KEYS:
        return False
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False
    return "Authorization" not in request.headers


def page_key() -> tuple:
    get_locale()  # the language selector fills g.interface_wanted / g.interface_shown
    return (request.scheme, request.host, request.path, request.query_string,
            getattr(g, "interface_wanted", None), getattr(g, "interface_shown", None))


def serve_from_cache():
    """before_request: the stored page for this visitor's key, or None to render it."""
    if request.method not in ("GET", "HEAD") or current_app.config["PAGE_CACHE_SECONDS"] <= 0:
        return None
    if not _anonymous_visitor():
        return None
    key = page_key()
    current = generation()
    entry = _cache().get(key, current)
    if entry is None:
        g.page_cache_key, g.page_cache_generation = key, current
        return None
    g.page_cache_hit = True
    return current_app.response_class(entry.body, status=200, headers=list(entry.headers))


def _storable(response) -> bool:
    if response.status_code != 200 or response.direct_passthrough or response.is_streamed:
        return False
    if "Set-Cookie" in response.headers or session.modified:
        return False
    if not set(session.keys()) <= ANONYMOUS_SESSION_KEYS:
        return False
    user = getattr(g, "_login_user", None)
    return user is None or not user.is_authenticated


def store_page(sender, response, **_extra) -> None:
    """request_finished (after the session cookie is written): keep a miss worth keeping."""
    key = g.get("page_cache_key")
    if key is None:
        return
    cache = _cache()
    body = response.get_data() if _storable(response) else None
    # also not kept: a write committed while it rendered, or a form's CSRF token in it
    if body is None or generation() != g.page_cache_generation or CSRF_FIELD in body:
        cache.release(key)
        return
    headers = tuple((name, value) for name, value in response.headers.items()
                    if name.lower() not in PER_REQUEST_HEADERS
                    and not name.lower().startswith("x-ratelimit"))
    cache.put(key, Entry(cache.clock() + current_app.config["PAGE_CACHE_SECONDS"],
                         g.page_cache_generation, headers, body))


def init_page_cache(app) -> None:
    """Register the hooks (after the others: rate limits and the job runner still apply)."""
    app.before_request(serve_from_cache)
    request_finished.connect(store_page, app)
