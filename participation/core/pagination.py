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


def paginate(statement, page: int, per_page: int = DEFAULT_PER_PAGE) -> Page:
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
    )
    page = min(page, max(1, -(-total // per_page))) if total else 1
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), page=page, per_page=per_page, total=total or 0)


def paginate_parts(parts: list, page: int, per_page: int = DEFAULT_PER_PAGE) -> Page:
    """One page over ordered statements listed one after another (say, the ideas of the
    reader's home area, then all the others): each part is counted and read with its own
    LIMIT/OFFSET, so every part can use its own index and no row is shown twice."""
    counts = [db.session.scalar(
        sa.select(sa.func.count()).select_from(part.order_by(None).subquery())) or 0
        for part in parts]
    total = sum(counts)
    page = min(page, max(1, -(-total // per_page))) if total else 1
    skip, wanted, items = (page - 1) * per_page, per_page, []
    for part, count in zip(parts, counts, strict=True):
        if wanted == 0:
            break
        if skip >= count:
            skip -= count
            continue
        rows = db.session.scalars(part.limit(wanted).offset(skip)).all()
        items.extend(rows)
        wanted -= len(rows)
        skip = 0
    return Page(items=items, page=page, per_page=per_page, total=total)
