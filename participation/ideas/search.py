"""Finding ideas: the list's filters and sorts, and full-text search behind one function.

SQLite uses the FTS5 table `fts_idea` (kept in sync by triggers on `idea`); PostgreSQL uses
to_tsvector('simple', ...) with the GIN index `fts_idea_tsv`. Both are made by the migration.
Words are matched as prefixes (`puisto` finds `puistoon`), all words must match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..core.pagination import DEFAULT_PER_PAGE, Page, paginate
from ..core.parsing import parse_id
from ..extensions import db
from .models import PUBLISHED, STATUSES, Idea, Theme

SORTS = {
    "newest": _l("Newest first"),
    "supported": _l("Most supported"),
    "discussed": _l("Most discussed"),
    "relevance": _l("Best match"),
}
CITY_WIDE = "city"
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
FTS_TABLE = sa.table("fts_idea", sa.column("rowid", sa.Integer), sa.column("rank"))
PG_DOCUMENT = sa.literal_column(
    "to_tsvector('simple', idea.title || ' ' || idea.description_text)"
)


@dataclass(frozen=True)
class Process:
    """A participation process ideas can belong to; budgeting rounds register theirs."""

    key: str
    label: object
    clause: Callable[[], sa.ColumnElement | None]


_processes: dict[str, Process] = {}


def register_process(key: str, label, clause: Callable[[], sa.ColumnElement | None]) -> None:
    """Offer `key` in the list's process filter; `clause()` selects that process's ideas."""
    _processes[key] = Process(key, label, clause)


def processes() -> list[Process]:
    return list(_processes.values())


# Open ideas collected all year round (every idea, for now).
register_process("ideas", _l("Open ideas"), lambda: None)


@dataclass
class IdeaFilters:
    """The list's filter state, as in the URL. Unknown values are ignored, never an error."""

    area: str = ""
    theme: str = ""
    status: str = ""
    language: str = ""
    process: str = ""

    def as_args(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value}


@dataclass
class SearchResult:
    page: Page
    backend: str
    terms: list[str] = field(default_factory=list)
    sort: str = "newest"


def search_terms(query: str) -> list[str]:
    """The words of a search, lower-cased; punctuation and search operators dropped."""
    words = re.findall(r"\w+", (query or "").lower())
    return [word[:MAX_TERM_LENGTH] for word in words][:MAX_TERMS]


def backend_name() -> str:
    dialect = db.session.get_bind().dialect.name
    return {"sqlite": "fts5", "postgresql": "postgresql"}.get(dialect, "like")


def _filtered(statement, filters: IdeaFilters):
    if filters.area == CITY_WIDE:
        statement = statement.where(Idea.area_id.is_(None))
    elif parse_id(filters.area) is not None:
        statement = statement.where(Idea.area_id == parse_id(filters.area))
    if filters.theme:
        theme_id = sa.select(Theme.id).where(Theme.slug == filters.theme).scalar_subquery()
        statement = statement.where(Idea.theme_id == theme_id)
    if filters.status in STATUSES:
        statement = statement.where(Idea.status == filters.status)
    if filters.language:
        statement = statement.where(Idea.language == filters.language)
    process = _processes.get(filters.process)
    clause = process.clause() if process else None
    if clause is not None:
        statement = statement.where(clause)
    return statement


def _matching(statement, terms: list[str], backend: str):
    """Restrict to ideas matching every term; returns (statement, relevance order)."""
    if backend == "fts5":
        match = " ".join(f'"{term}"*' for term in terms)
        statement = statement.join(FTS_TABLE, FTS_TABLE.c.rowid == Idea.id).where(
            sa.literal_column("fts_idea").op("MATCH")(match)
        )
        return statement, FTS_TABLE.c.rank.asc()
    if backend == "postgresql":
        query = sa.func.to_tsquery(sa.literal_column("'simple'"),
                                   " & ".join(f"{term}:*" for term in terms))
        statement = statement.where(PG_DOCUMENT.op("@@")(query))
        return statement, sa.func.ts_rank(PG_DOCUMENT, query).desc()
    for term in terms:
        pattern = f"%{term}%"
        statement = statement.where(sa.or_(Idea.title.ilike(pattern),
                                           Idea.description_text.ilike(pattern)))
    return statement, Idea.support_count.desc()


def _ordered(statement, sort: str, relevance):
    if sort == "relevance" and relevance is not None:
        return statement.order_by(relevance, Idea.id.desc())
    column = {"supported": Idea.support_count, "discussed": Idea.comment_count}.get(
        sort, Idea.created_at
    )
    return statement.order_by(column.desc(), Idea.id.desc())


def list_statement(filters: IdeaFilters | None = None):
    """Published ideas under the filters, with area, theme and author loaded in one query."""
    statement = (
        sa.select(Idea)
        .where(Idea.moderation_state == PUBLISHED)
        .options(joinedload(Idea.area), joinedload(Idea.theme), joinedload(Idea.author))
    )
    return _filtered(statement, filters or IdeaFilters())


def search_ideas(query: str = "", filters: IdeaFilters | None = None, *, sort: str = "",
                 page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> SearchResult:
    """The one way to list and search ideas: filters, full text `query`, sort and a page."""
    statement = list_statement(filters)
    terms = search_terms(query)
    backend, relevance = "none", None
    if terms:
        backend = backend_name()
        statement, relevance = _matching(statement, terms, backend)
    if sort not in SORTS or (sort == "relevance" and not terms):
        sort = "relevance" if terms else "newest"
    statement = _ordered(statement, sort, relevance)
    return SearchResult(paginate(statement, page, per_page), backend, terms, sort)


def related_ideas(idea: Idea, limit: int = 4) -> list[Idea]:
    """Published ideas in the same area (or also city-wide) and theme, most supported first."""
    area = Idea.area_id.is_(None) if idea.area_id is None else Idea.area_id == idea.area_id
    return list(db.session.scalars(
        sa.select(Idea)
        .where(Idea.moderation_state == PUBLISHED, Idea.theme_id == idea.theme_id, area,
               Idea.id != idea.id)
        .options(joinedload(Idea.area), joinedload(Idea.theme))
        .order_by(Idea.support_count.desc(), Idea.id.desc())
        .limit(limit)
    ))
