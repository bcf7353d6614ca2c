"""Disclosure control: no published figure reveals a group of fewer than MIN_CELL people.

The rule (written for residents on the "about the figures" page):
1. A cell counting 1 to MIN_CELL - 1 people is suppressed (shown "<5"; ".." in exports).
   Zero is published: it describes nobody.
2. Complementary suppression: where a total is published, the suppressed cells of a row must
   not be recoverable by subtraction. If only one cell of a row is suppressed, or the suppressed
   cells together count fewer than MIN_CELL, the smallest published non-zero cells are
   suppressed too until neither holds. If that is impossible, the total is suppressed.
3. Figures derived from a suppressed cell (shares, rates, averages) are suppressed with it.

Tables with rows and columns (`suppress_table`) apply rule 2 to every row and every column
until nothing changes, so no margin reveals a hidden cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

MIN_CELL = 5


def is_small(count: int | None, threshold: int = MIN_CELL) -> bool:
    return count is not None and 0 < count < threshold


def _protect_line(counts: Mapping, hidden: set, threshold: int) -> bool:
    """Hide more cells of one line (a row or column with a published total) until no hidden
    cell can be subtracted back. Returns False if that needs the total itself hidden."""
    while True:
        hidden_here = [key for key in counts if key in hidden]
        if not hidden_here:
            return True
        hidden_sum = sum(counts[key] for key in hidden_here)
        if len(hidden_here) >= 2 and hidden_sum >= threshold:
            return True
        candidates = sorted((counts[key], str(key), key) for key in counts
                            if key not in hidden and counts[key] > 0)
        if not candidates:
            return False
        hidden.add(candidates[0][2])


@dataclass(frozen=True)
class Suppressed:
    """Cells after disclosure control: `value(key)` is None where the count is not published."""

    counts: Mapping
    hidden: frozenset
    total: int | None  # None when the total itself had to be hidden

    def value(self, key) -> int | None:
        return None if key in self.hidden else self.counts[key]

    def published(self) -> dict:
        return {key: self.value(key) for key in self.counts}


def suppress_counts(counts: Mapping[Hashable, int], *, total: int | None = None,
                    with_total: bool = True, threshold: int = MIN_CELL) -> Suppressed:
    """One line of counts (e.g. respondents per age band) and its total.

    `total` defaults to the sum of the cells; give it when the line is a breakdown of a larger
    published figure (people with no answer for the breakdown are in the total, not in a cell).
    With `with_total=False` no total is published beside the line, so only rule 1 applies.
    """
    total = sum(counts.values()) if total is None else total
    hidden = {key for key, count in counts.items() if is_small(count, threshold)}
    if not with_total:
        return Suppressed(dict(counts), frozenset(hidden), None)
    # Cells outside the breakdown (total minus the sum of the cells) act as one more cell.
    rest = total - sum(counts.values())
    line = dict(counts)
    if rest:
        line[_REST] = rest
        if is_small(rest, threshold):
            hidden.add(_REST)
    keeps_total = _protect_line(line, hidden, threshold) and not is_small(total, threshold)
    hidden.discard(_REST)
    return Suppressed(dict(counts), frozenset(hidden), total if keeps_total else None)


class _Rest:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<rest>"

    def __lt__(self, other) -> bool:
        return False


_REST = _Rest()


def suppress_table(table: Mapping[Hashable, Mapping[Hashable, int]], *,
                   threshold: int = MIN_CELL) -> set[tuple]:
    """Cells (row, column) to hide in a table whose row and column totals are published.

    Applies rule 1, then rule 2 to every row and every column until nothing changes. A line
    that cannot be protected by its own cells hides all its non-zero cells (the caller hides
    that line's total too: check `line_total_hidden`).
    """
    rows = list(table)
    columns = sorted({column for row in table.values() for column in row}, key=str)
    hidden = {(row, column) for row in rows for column, count in table[row].items()
              if is_small(count, threshold)}
    changed = True
    while changed:
        changed = False
        lines = [{(row, column): table[row].get(column, 0) for column in columns}
                 for row in rows]
        lines += [{(row, column): table[row].get(column, 0) for row in rows}
                  for column in columns]
        for line in lines:
            before = len(hidden)
            if not _protect_line(line, hidden, threshold):
                hidden.update(key for key, count in line.items() if count > 0)
            changed = changed or len(hidden) != before
    return hidden


def format_count(count: int | None, *, export: bool = False) -> str:
    """A suppressed count reads "<5" on pages and ".." (Statistics Finland's mark) in exports."""
    if count is None:
        return ".." if export else f"<{MIN_CELL}"
    return str(count)


def protect_line(counts: Mapping, hidden: set, threshold: int = MIN_CELL) -> bool:
    """Rule 2 for one line whose total is published, with `hidden` already holding the cells
    hidden for other reasons (it is extended in place). False: the total must be hidden."""
    return _protect_line(counts, hidden, threshold)
