"""A bounded least-recently-used map, safe for gunicorn's threads (one per process)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from flask import current_app

Value = TypeVar("Value")


class LruCache(Generic[Value]):
    """key -> value, at most `max_entries` of them; the least recently used go first."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[object, Value] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key) -> Value | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value: Value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def app_cache(name: str, entries: Callable[[object], int], kind: type = LruCache):
    """The app's cache `name` (in app.extensions), made by the first request that asks, with
    `entries(app)` entries; None when that is 0 or less (the cache is off)."""
    app = current_app._get_current_object()
    kept = app.extensions.get(name)
    if kept is None:
        size = entries(app)
        kept = kind(size) if size > 0 else False
        app.extensions[name] = kept
    return kept if kept is not False else None  # (an empty cache has len 0: not `or`)
