"""Per-question breakdowns: single and multiple choice answers by age band and by area.

Each table (options by groups) goes through `suppress_table`, so a cell under MIN_CELL is
hidden and no row or column total can subtract one back. The option counts of the main
results are published too: where the main results hide an option's count, all its cells hide
here as well, and the columns are protected again, so the two figures never reveal each other.
People who gave no background answer form a "not known" column, so each row adds up to the
option's count in the main results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from ..core.disclosure import protect_line, suppress_table
from ..core.models import Area
from ..extensions import db
from .models import BACKGROUND_AGE_BANDS, MULTIPLE, SINGLE, Answer, Response

UNKNOWN = ""  # the column of people who did not say


@dataclass
class CrossTable:
    question_id: int
    dimension: str  # "age_band" or "area"
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[tuple[str, list[int | None]]]  # option label, a count per column (None: hidden)


def _hide(table: dict, forced_rows: set) -> set:
    """`suppress_table`, then every cell of a forced row, then rows and columns again."""
    hidden = set(suppress_table(table))
    hidden.update((row, column) for row in forced_rows for column, count in table[row].items()
                  if count > 0)
    columns = sorted({column for row in table.values() for column in row}, key=str)
    changed = True
    while changed:
        before = len(hidden)
        lines = [{(row, column): table[row].get(column, 0) for column in columns}
                 for row in table]
        lines += [{(row, column): table[row].get(column, 0) for row in table}
                  for column in columns]
        for line in lines:
            if not protect_line(line, hidden):
                hidden.update(key for key, count in line.items() if count > 0)
        changed = len(hidden) != before
    return hidden


def question_breakdowns(hearing, main_results) -> list[CrossTable]:
    """Tables for the single and multiple choice questions whose main counts are shown."""
    questions = [result for result in main_results
                 if result.question.kind in (SINGLE, MULTIPLE) and result.answered is not None]
    if not questions:
        return []
    rows = db.session.execute(
        sa.select(Answer.question_id, Answer.option_id, Response.age_band, Response.area_id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.hearing_id == hearing.id)).all()
    areas = {str(area.id): area.name for area in sorted(
        db.session.scalars(sa.select(Area)), key=lambda area: area.name)}
    dimensions = {
        "age_band": ([(band, band.replace("-", "–")) for band in BACKGROUND_AGE_BANDS],
                     lambda row: row.age_band if row.age_band in BACKGROUND_AGE_BANDS else UNKNOWN),
        "area": (list(areas.items()),
                 lambda row: str(row.area_id) if str(row.area_id) in areas else UNKNOWN),
    }
    tables = []
    for result in questions:
        question = result.question
        answers = [row for row in rows if row.question_id == question.id]
        forced = {option.id for option, shown in zip(question.options, result.rows, strict=False)
                  if shown.count is None}
        for name, (columns, key) in dimensions.items():
            columns = [*columns, (UNKNOWN, _("Not known"))]
            table = {option.id: defaultdict(int) for option in question.options}
            for row in answers:
                if row.option_id in table:
                    table[row.option_id][key(row)] += 1
            table = {option: {column: cells.get(column, 0) for column, _label in columns}
                     for option, cells in table.items()}
            hidden = _hide(table, forced)
            tables.append(CrossTable(question.id, name, columns, [
                (option.label, [None if (option.id, column) in hidden
                                else table[option.id][column] for column, _label in columns])
                for option in question.options]))
    return tables
