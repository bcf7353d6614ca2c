"""Numbers from outside are ASCII digits within the database's range, or nothing."""

import pytest

from participation.core.parsing import MAX_ID, parse_count, parse_id


@pytest.mark.parametrize("raw, expected", [
    ("12", 12), (" 7 ", 7), (str(MAX_ID), MAX_ID), (12, 12),
    ("0", None), ("-1", None), ("²", None), ("١٢", None), ("1e3", None), ("", None),
    (None, None), (str(MAX_ID + 1), None), ("9" * 30, None),
])
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("raw, maximum, expected", [
    ("0", 10, 0), ("10", 10, 10), ("11", 10, None), ("³", 10, None), ("x", 10, None),
])
def test_parse_count(raw, maximum, expected):
    assert parse_count(raw, maximum=maximum) == expected
