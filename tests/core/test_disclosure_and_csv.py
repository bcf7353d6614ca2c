"""Disclosure control and formula-safe CSV: the shared rules every published figure follows."""

from __future__ import annotations

import csv
import io
import itertools

import pytest

from participation.core.csvsafe import safe_cell, write_csv
from participation.core.disclosure import (
    MIN_CELL,
    format_count,
    suppress_counts,
    suppress_table,
)


def test_cells_of_four_are_hidden_and_five_are_shown():
    result = suppress_counts({"a": 4, "b": 5, "c": 5}, with_total=False)
    assert result.published() == {"a": None, "b": 5, "c": 5}


def test_zero_describes_nobody_and_is_published():
    assert suppress_counts({"a": 0, "b": 9}).published() == {"a": 0, "b": 9}


def test_a_single_hidden_cell_cannot_be_subtracted_back_from_the_total():
    result = suppress_counts({"a": 3, "b": 10, "c": 20})
    assert result.total == 33
    assert result.value("a") is None
    assert sum(1 for v in result.published().values() if v is None) >= 2


def _recoverable(counts, result):
    """Can a reader who sees the published cells and total work out any hidden cell?"""
    hidden = [key for key in counts if result.value(key) is None]
    if result.total is None or not hidden:
        return False
    remainder = result.total - sum(v for v in result.published().values() if v is not None)
    return len(hidden) == 1 or remainder < MIN_CELL


@pytest.mark.parametrize("counts", [
    dict(zip("abc", values, strict=True))
    for values in itertools.product([0, 1, 4, 5, 6, 30], repeat=3)])
def test_no_line_lets_a_reader_recover_a_hidden_cell(counts):
    result = suppress_counts(counts)
    assert not _recoverable(counts, result)
    for key, count in counts.items():
        if 0 < count < MIN_CELL:
            assert result.value(key) is None


def test_people_outside_the_breakdown_count_as_a_cell_of_their_own():
    # 3 respondents did not give an age band: the total minus the cells must not reveal them
    # together with a hidden cell.
    result = suppress_counts({"13-17": 10, "18-29": 12}, total=25)
    assert result.value("13-17") is None
    assert result.total == 25


def test_a_small_total_is_hidden():
    result = suppress_counts({"a": 2, "b": 1})
    assert result.total is None
    assert result.published() == {"a": None, "b": None}


def test_tables_protect_every_row_and_column():
    table = {"r1": {"x": 3, "y": 10, "z": 8}, "r2": {"x": 7, "y": 9, "z": 12}}
    hidden = suppress_table(table)
    assert ("r1", "x") in hidden
    for row in table:
        in_row = [c for c in table[row] if (row, c) in hidden]
        assert len(in_row) != 1
    for column in ("x", "y", "z"):
        in_column = [r for r in table if (r, column) in hidden]
        assert len(in_column) != 1


def test_counts_read_lt5_on_pages_and_two_dots_in_exports():
    assert format_count(None) == "<5"
    assert format_count(None, export=True) == ".."
    assert format_count(12) == "12"


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_csv_cells_that_look_like_formulas_are_made_text(text):
    assert safe_cell(text) == "'" + text
    parsed = next(csv.reader(io.StringIO(write_csv([[text]]), newline="")))
    assert parsed[0].startswith("'")


def test_numbers_and_plain_text_are_left_alone():
    assert safe_cell(-5) == -5
    assert safe_cell("Matinkylä") == "Matinkylä"
    assert safe_cell(None) == ""
    assert write_csv([[1, "a"]], header=["n", "t"]) == "n,t\n1,a\n"
