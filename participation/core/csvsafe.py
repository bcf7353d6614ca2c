"""CSV that a spreadsheet opens safely: no cell is read as a formula (CWE-1236).

Every CSV the service writes goes through `write_csv` (or `safe_cell` for one value). A text
cell that starts with = + - @ TAB or CR gets a leading apostrophe, the convention spreadsheets
show as plain text. Numbers stay numbers: -5 is written as -5, not as '-5.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from numbers import Number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, Number) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(rows: Iterable[Iterable], *, header: Iterable | None = None,
              delimiter: str = ",") -> str:
    """The rows as CSV text (newline "\\n"), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    if header is not None:
        writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
