"""Finding ideas: the list's filters and sorts, and full-text search behind one function.

SQLite uses the FTS5 table `fts_idea` of stems (kept in sync by triggers on `idea`); PostgreSQL
the table `fts_idea_document` (each idea's fts_document(language, title, description), stored
by a trigger, with the GIN index `fts_idea_tsv`), so ranking reads a stored tsvector instead of
parsing every matching text again. Both are made by the migrations; stemming.py says how words
become stems. Each search word matches as a prefix of a stem in any language (`penkki` finds
`penkkejä`, `matinkyla` finds `Matinkylä`); all words must match.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..core.pagination import DEFAULT_PER_PAGE, Page, paginate, paginate_parts
from ..core.parsing import parse_id
from ..extensions import db
from . import stemming
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
PG_DOCUMENTS = sa.table("fts_idea_document", sa.column("idea_id", sa.Integer),
                        sa.column("document"))


@dataclass(frozen=True)
class Process:
    """A participation process ideas can belong to: a key for the URL, a label, a clause."""

    key: str
    label: object
    clause: Callable[[], sa.ColumnElement | None]


_processes: dict[str, Process] = {}
_process_sources: dict[str, Callable[[], list[Process]]] = {}


def register_process(key: str, label, clause: Callable[[], sa.ColumnElement | None]) -> None:
    """Offer `key` in the list's process filter; `clause()` selects that process's ideas."""
    _processes[key] = Process(key, label, clause)


def register_process_source(name: str, source: Callable[[], list[Process]]) -> None:
    """Processes that come and go with the data (budgeting rounds): `source()` lists the ones
    to offer now. Other packages call this once at import time; ideas never imports them."""
    _process_sources[name] = source


def processes() -> list[Process]:
    """Every process offered now, the fixed ones first (one query per source)."""
    found = list(_processes.values())
    for source in _process_sources.values():
        found.extend(source())
    return found


def process_for(key: str) -> Process | None:
    if not key:
        return None
    return _processes.get(key) or next((p for p in processes() if p.key == key), None)


# Ideas no budgeting proposal has been made from (the budgeting package sets the column).
register_process("ideas", _l("Ideas not yet in any process"),
                 lambda: Idea.budgeting_proposal_id.is_(None))


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
    # The area whose ideas were listed first (the reader's home area), or None.
    home_first: int | None = None


def search_terms(query: str) -> list[str]:
    """The words of a search, lower-cased; punctuation and search operators dropped."""
    words = stemming.words((query or "").lower())
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
    process = process_for(filters.process)
    clause = process.clause() if process else None
    if clause is not None:
        statement = statement.where(clause)
    return statement


def _matching(statement, terms: list[str], backend: str):
    """Restrict to ideas matching every term; returns (statement, relevance order)."""
    if backend == "fts5":
        match = " AND ".join(
            "(" + " OR ".join(f'"{option}"*' for option in stemming.query_alternatives(term))
            + ")" for term in terms)
        statement = statement.join(FTS_TABLE, FTS_TABLE.c.rowid == Idea.id).where(
            sa.literal_column("fts_idea").op("MATCH")(match)
        )
        return statement, FTS_TABLE.c.rank.asc()
    if backend == "postgresql":
        query = functools.reduce(lambda left, right: left.op("&&")(right),
                                 [sa.func.fts_query(term) for term in terms])
        document = PG_DOCUMENTS.c.document
        statement = statement.join(PG_DOCUMENTS, PG_DOCUMENTS.c.idea_id == Idea.id).where(
            document.op("@@")(query))
        return statement, sa.func.ts_rank(document, query).desc()
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


def list_statement(filters: IdeaFilters | None = None, *, with_author: bool = False):
    """Published ideas under the filters, with area and theme loaded in the same query.

    The list's cards never show the author; callers that do (the API) ask `with_author`.
    """
    options = [joinedload(Idea.area), joinedload(Idea.theme)]
    if with_author:
        options.append(joinedload(Idea.author))
    statement = sa.select(Idea).where(Idea.moderation_state == PUBLISHED).options(*options)
    return _filtered(statement, filters or IdeaFilters())


def home_first_applies(filters: IdeaFilters | None, query: str, home_area_id) -> bool:
    """Whether the list puts the reader's home area first: a list without a text search (that
    is ordered by relevance) and without an area filter (that already chooses the area)."""
    return home_area_id is not None and not search_terms(query) \
        and not (filters and filters.area)


def search_ideas(query: str = "", filters: IdeaFilters | None = None, *, sort: str = "",
                 page: int = 1, per_page: int = DEFAULT_PER_PAGE,
                 with_author: bool = False, home_area_id: int | None = None) -> SearchResult:
    """The one way to list and search ideas: filters, full text `query`, sort and a page.

    With `home_area_id` (see home_first_applies) that area's ideas come first, then the
    others, each in the chosen order."""
    statement = list_statement(filters, with_author=with_author)
    terms = search_terms(query)
    backend, relevance = "none", None
    if terms:
        backend = backend_name()
        statement, relevance = _matching(statement, terms, backend)
    if sort not in SORTS or (sort == "relevance" and not terms):
        sort = "relevance" if terms else "newest"
    if home_first_applies(filters, query, home_area_id):
        parts = [_ordered(statement.where(Idea.area_id == home_area_id), sort, None),
                 _ordered(statement.where(sa.or_(Idea.area_id != home_area_id,
                                                 Idea.area_id.is_(None))), sort, None)]
        return SearchResult(paginate_parts(parts, page, per_page), backend, terms, sort,
                            home_first=home_area_id)
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
