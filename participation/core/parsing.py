"""Reading numbers and text that came from outside: strict, bounded, never an exception."""

from __future__ import annotations

import re

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

# The largest id any table holds (PostgreSQL INTEGER); bigger numbers in URLs are simply 404.
MAX_ID = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_count(value, maximum: int = MAX_ID) -> int | None:
    """A whole number 0..maximum written in ASCII digits, else None ("²", "١", 10**30 included)."""
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    value = value.strip()
    if not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= maximum else None


def parse_id(value) -> int | None:
    """A positive database id written in ASCII digits, else None."""
    number = parse_count(value)
    return number if number else None


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ids above what the database holds are 404, not an error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class CleanMultiDict(ImmutableMultiDict):
    """Query and form values without NUL characters, which no database column can store."""

    def __init__(self, mapping=None):
        super().__init__([(_clean(key), _clean(value)) for key, value in _pairs(mapping)])


def _pairs(mapping):
    if mapping is None:
        return []
    if isinstance(mapping, MultiDict):
        return list(mapping.items(multi=True))
    if isinstance(mapping, dict):
        return [(key, item) for key, value in mapping.items()
                for item in (value if isinstance(value, list | tuple) else [value])]
    return list(mapping)


def _clean(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict
