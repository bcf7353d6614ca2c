"""Pagination of select() statements, one way for every list page."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db

DEFAULT_PER_PAGE = 20


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    # True when more than `total` rows match: the count stopped at its cap (see paginate).
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def parse_page(value) -> int:
    try:
        page = int(value)
    except (TypeError, ValueError):
        return 1
    return page if page >= 1 else 1


def count_rows(statement, cap: int | None = None) -> tuple[int, bool]:
    """How many rows `statement` gives, and whether there are more than `cap` (then `cap`
    is returned): a capped count reads at most cap + 1 rows, so its cost does not grow with
    the table."""
    counted = _keys_only(statement).order_by(None)
    if cap is not None:
        counted = counted.limit(cap + 1)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted.subquery())) or 0
    if cap is not None and total > cap:
        return cap, True
    return total, False


def _keys_only(statement):
    """`statement` reading only its first entity's primary key, when that gives the same
    rows (no DISTINCT, GROUP BY or HAVING, whose rows depend on the columns): counting
    then reads no wide rows, and PostgreSQL may answer from an index alone."""
    if not isinstance(statement, sa.Select) or (
            statement._distinct or statement._group_by_clauses or statement._having_criteria):
        return statement
    descriptions = statement.column_descriptions
    entity = descriptions[0].get("entity") if descriptions else None
    if entity is None:
        return statement
    keys = sa.inspect(entity).primary_key
    return statement.with_only_columns(*keys, maintain_column_froms=True)


def paginate(statement, page: int, per_page: int = DEFAULT_PER_PAGE,
             count_cap: int | None = None) -> Page:
    """One page of `statement`. With `count_cap`, at most that many rows are counted and
    paged through (Page.capped says there are more): a list that can hold 100,000 rows costs
    the same as one of 10,000."""
    total, capped = count_rows(statement, count_cap)
    page = min(page, max(1, -(-total // per_page))) if total else 1
    skip = (page - 1) * per_page
    wanted = min(per_page, total - skip) if capped else per_page  # never past the counted
    items = db.session.scalars(statement.limit(wanted).offset(skip)).all() if wanted else []
    return Page(items=list(items), page=page, per_page=per_page, total=total, capped=capped)


def paginate_parts(parts: list, page: int, per_page: int = DEFAULT_PER_PAGE,
                   count_cap: int | None = None) -> Page:
    """One page over ordered statements listed one after another (say, the ideas of the
    reader's home area, then all the others): each part is counted and read with its own
    LIMIT/OFFSET, so every part can use its own index and no row is shown twice. With
    `count_cap`, the parts together are counted and paged up to that many rows."""
    counts, capped, left = [], False, count_cap
    for part in parts:
        count, part_capped = count_rows(part, left)
        counts.append(count)
        if left is not None:
            left -= count
            capped = capped or part_capped
    total = sum(counts)
    page = min(page, max(1, -(-total // per_page))) if total else 1
    skip, wanted, items = (page - 1) * per_page, per_page, []
    for part, count in zip(parts, counts, strict=True):
        if wanted == 0:
            break
        if skip >= count:
            skip -= count
            continue
        rows = db.session.scalars(part.limit(min(wanted, count - skip)).offset(skip)).all()
        items.extend(rows)
        wanted -= len(rows)
        skip = 0
    return Page(items=items, page=page, per_page=per_page, total=total, capped=capped)
