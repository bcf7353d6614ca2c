"""Finding ideas: the list's filters and sorts, and full-text search behind one function.

SQLite uses the FTS5 table `fts_idea` of stems (kept in sync by triggers on `idea`); PostgreSQL
the table `fts_idea_document` (each idea's fts_document(language, title, description), stored
by a trigger, with the GIN index `fts_idea_tsv`), so ranking reads a stored tsvector instead of
parsing every matching text again. Both are made by the migrations; stemming.py says how words
become stems. Each search word matches as a prefix of a stem in any language (`penkki` finds
`penkkejä`, `matinkyla` finds `Matinkylä`); all words must match.

A text search costs the same at 1,000 ideas as at 100,000: it reads the newest RESULT_CAP + 1
matching ideas (the index walks ideas newest first and stops there), counts those (a page
says "over 1,000 ideas match" beyond the cap), and ranks and sorts only them. Relevance is
computed for that window only, never for every match: on SQLite the number of search words
in the title (the index applies the filters itself, see filter_tokens); on PostgreSQL
ts_rank of the window's stored documents.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..core.dialect import session_dialect
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
# A text search looks at this many of the newest matching ideas at most (see the docstring).
RESULT_CAP = 1000
# A list without a text search counts and pages through at most this many ideas ("Over
# 1,000 ideas", 50 pages; filters find the rest), like a text search's RESULT_CAP, so that its
# count reads the same rows at 100,000 ideas as at 1,000 (at 10,000 the count was most of the
# difference on PostgreSQL: /ideas 21 -> 14.5 ms at 100,000 ideas; bench/ideas_list.py).
LIST_COUNT_CAP = 1_000
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
FTS_TABLE = sa.table("fts_idea", sa.column("rowid", sa.Integer), sa.column("rank"),
                     sa.column("title"), sa.column("description_text"))
VOCABULARY = sa.table("fts_idea_term", sa.column("term"))
# A search word's prefix becomes at most this many exact stems; beyond, a prefix query.
MAX_EXPANSIONS = 40
# The filter tokens of fts_idea.tags, as the SQLite triggers write them (migration
# 3c862ebab9ac) and `participation ideas reindex` rebuilds them.
SQLITE_TAGS = ("CASE moderation_state WHEN 'published' THEN 'zzpub ' ELSE '' END"
               " || 'zzarea' || coalesce(area_id, 'city')"
               " || ' zztheme' || theme_id"
               " || ' zzstatus' || replace(status, '_', '')"
               " || ' zzlang' || replace(replace(language, '_', ''), '-', '')")
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
    # True when more ideas match than the page counts: a text search more than RESULT_CAP
    # (the newest RESULT_CAP are shown), a list more than LIST_COUNT_CAP.
    capped: bool = False


def search_terms(query: str) -> list[str]:
    """The words of a search, lower-cased; punctuation and search operators dropped."""
    words = stemming.words((query or "").lower())
    return [word[:MAX_TERM_LENGTH] for word in words][:MAX_TERMS]


def backend_name() -> str:
    dialect = session_dialect()
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
    if sort not in SORTS or (sort == "relevance" and not terms):
        sort = "relevance" if terms else "newest"
    if terms:
        return _search_window(statement, filters, terms, backend_name(), sort, page,
                              per_page)
    backend = "none"
    if home_first_applies(filters, query, home_area_id):
        parts = [_ordered(statement.where(Idea.area_id == home_area_id), sort, None),
                 _ordered(statement.where(sa.or_(Idea.area_id != home_area_id,
                                                 Idea.area_id.is_(None))), sort, None)]
        listed = paginate_parts(parts, page, per_page, count_cap=LIST_COUNT_CAP)
        return SearchResult(listed, backend, terms, sort, home_first=home_area_id,
                            capped=listed.capped)
    statement = _ordered(statement, sort, None)
    listed = paginate(statement, page, per_page, count_cap=LIST_COUNT_CAP)
    return SearchResult(listed, backend, terms, sort, capped=listed.capped)


def _token(value) -> str:
    return "".join(character for character in str(value) if character.isalnum()).lower()


def filter_tokens(filters: IdeaFilters | None) -> list[str] | None:
    """The list's filters as tokens of fts_idea.tags; None when a filter names nothing that
    exists (an unknown theme), so nothing can match. Published-or-not is checked on the
    idea row instead (nearly all are: ANDing the densest token cost more than it saved)."""
    filters = filters or IdeaFilters()
    tokens = []
    if filters.area == CITY_WIDE:
        tokens.append("zzareacity")
    elif parse_id(filters.area) is not None:
        tokens.append(f"zzarea{parse_id(filters.area)}")
    if filters.theme:
        theme_id = db.session.scalar(sa.select(Theme.id).where(Theme.slug == filters.theme))
        if theme_id is None:
            return None
        tokens.append(f"zztheme{theme_id}")
    if filters.status in STATUSES:
        tokens.append("zzstatus" + _token(filters.status))
    if filters.language:
        tokens.append("zzlang" + _token(filters.language))
    return tokens


@dataclass
class _Term:
    """One search word as the SQLite index is asked: exact stems, or prefixes when a prefix
    stands for too many stems (one or two letters)."""

    exact: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)

    def expression(self) -> str:
        options = [f'"{term}"' for term in sorted(self.exact)]
        options += [f'"{prefix}"*' for prefix in self.prefixes]
        return "(" + " OR ".join(options) + ")"

    def count(self, stems: str) -> int:
        words = (stems or "").split()
        found = sum(map(self.exact.__contains__, words))
        if self.prefixes:
            prefixes = tuple(self.prefixes)
            found += sum(1 for word in words
                         if word.startswith(prefixes) and word not in self.exact)
        return found


def _expanded(term: str) -> _Term:
    found = _Term()
    for option in stemming.query_alternatives(term):
        stems = db.session.scalars(
            sa.select(VOCABULARY.c.term)
            .where(VOCABULARY.c.term >= option, VOCABULARY.c.term < option + "\U0010ffff")
            .order_by(VOCABULARY.c.term).limit(MAX_EXPANSIONS + 1)).all()
        if len(stems) > MAX_EXPANSIONS:
            found.prefixes.append(option)
        else:
            found.exact.update(stems)
    return found


def _fts5_window(filters: IdeaFilters | None, terms: list[str], sort: str):
    """(statement, expanded terms) for the newest matches, or (None, ...) when none can
    match. The index applies the filters itself and hands rows over newest first.

    Rows are (id, created_at, support_count, comment_count, title stems) as _search_window
    reads them, but only the column `sort` needs is read (the others are NULL): with a
    common word and a filter the window holds 1,000 rows where a small site has a few
    dozen, so each row's cost is what makes the page grow (bench/README.md)."""
    expanded = [_expanded(term) for term in terms]
    tokens = filter_tokens(filters)
    if tokens is None or any(not (term.exact or term.prefixes) for term in expanded):
        return None, expanded
    match = "{title description_text} : (" + " AND ".join(
        term.expression() for term in expanded) + ")"
    match += "".join(f' AND tags : "{token}"' for token in tokens)
    columns = [Idea.id,
               Idea.created_at if sort not in SORTS or sort == "newest" else sa.null(),
               Idea.support_count if sort == "supported" else sa.null(),
               Idea.comment_count if sort == "discussed" else sa.null()]
    if sort == "relevance":
        columns.append(FTS_TABLE.c.title)
    statement = (sa.select(*columns).select_from(FTS_TABLE)
                 .join(Idea, Idea.id == FTS_TABLE.c.rowid)
                 .where(sa.literal_column("fts_idea").op("MATCH")(match),
                        Idea.moderation_state == PUBLISHED)
                 .order_by(FTS_TABLE.c.rowid.desc()))
    process = process_for((filters or IdeaFilters()).process)
    clause = process.clause() if process else None
    if clause is not None:
        statement = statement.where(clause)
    return statement, expanded


def _fts5_relevance(rows, expanded: list[_Term]) -> dict[int, float]:
    """Best match on SQLite: the more search words the title holds, the better (every row
    matched them all in the title or the description); lower sorts first, ties newest
    first. Reading and scoring the titles only keeps a 1,000-row window cheap."""
    return {row[0]: -sum(term.count(row[4]) for term in expanded) for row in rows}


def _window_rows(filters, terms, backend, sort) -> tuple[list, dict | None]:
    """The newest RESULT_CAP + 1 matches as (id, created_at, support_count, comment_count,
    ...) rows, with relevance when `sort` is "relevance" (FTS5 reads only the sort's column)."""
    ranked = sort == "relevance"
    if backend == "fts5":
        statement, expanded = _fts5_window(filters, terms, sort)
        if statement is None:
            return [], {}
        # Plain rows through the connection: the ORM's per-row result handling is not needed.
        rows = db.session.connection().execute(statement.limit(RESULT_CAP + 1)).all()
        return rows, _fts5_relevance(rows[:RESULT_CAP], expanded) if ranked else None
    base = _filtered(sa.select(Idea.id, Idea.created_at, Idea.support_count,
                               Idea.comment_count).where(Idea.moderation_state == PUBLISHED),
                     filters or IdeaFilters())
    if backend == "postgresql":
        rows = _pg_window(base, terms, ranked)
        return rows, {row[0]: -row[4] for row in rows[:RESULT_CAP]} if ranked else None
    matched, _order = _matching(base, terms, backend)
    rows = db.session.execute(matched.order_by(Idea.id.desc()).limit(RESULT_CAP + 1)).all()
    return rows, None


_lexeme_cache: dict[str, tuple[float, dict[str, float]]] = {}
LEXEME_STATS_SECONDS = 300


def forget_statistics() -> None:
    """Drop the cached stem statistics (tests start each case without them)."""
    _lexeme_cache.clear()


def _pg_lexeme_frequencies() -> dict[str, float]:
    """The share of ideas holding each of the most common stems (ANALYZE's statistics of
    fts_idea_document.document), cached for a few minutes per database."""
    key = str(db.engine.url)
    cached = _lexeme_cache.get(key)
    if cached and time.monotonic() - cached[0] < LEXEME_STATS_SECONDS:
        return cached[1]
    row = db.session.execute(sa.text(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE tablename = 'fts_idea_document' AND attname = 'document'")).first()
    frequencies = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _lexeme_cache[key] = (time.monotonic(), frequencies)
    return frequencies


def _pg_share(terms: list[str]) -> float:
    """A high guess of the share of ideas matching every term: the least common term's share,
    each term's share summed over the common stems it is a prefix of."""
    frequencies = _pg_lexeme_frequencies()
    shares = []
    for term in terms:
        options = stemming.query_alternatives(term)
        shares.append(min(1.0, sum(share for lexeme, share in frequencies.items()
                                   if lexeme.startswith(tuple(options)))))
    return min(shares) if shares else 0.0


def _pg_window(base, terms: list[str], ranked: bool) -> list:
    """PostgreSQL's newest matches. A common word (by the statistics) is checked idea by
    idea along the list's own newest-first index until RESULT_CAP + 1 are found (few ideas
    read, since most match); a rarer one goes through the GIN index (few matches). The
    planner cannot tell the two apart for prefix queries, so this chooses; either way the
    work stays near RESULT_CAP rows."""
    query = functools.reduce(lambda left, right: left.op("&&")(right),
                             [sa.func.fts_query(term) for term in terms])
    document = PG_DOCUMENTS.c.document
    ideas = db.session.scalar(sa.text(
        "SELECT greatest(reltuples, 1) FROM pg_class WHERE relname = 'idea'")) or 1
    share = _pg_share(terms)
    common = share * share * ideas > RESULT_CAP
    if not common:
        # All matches through the GIN index first (a materialised CTE, so the planner does
        # not walk the newest-first index instead), then the newest of them.
        found = (sa.select(PG_DOCUMENTS.c.idea_id, document).where(document.op("@@")(query))
                 .cte("fts_matches").prefix_with("MATERIALIZED", dialect="postgresql"))
        rank = sa.func.ts_rank(found.c.document, query) if ranked else sa.null()
        return db.session.execute(
            base.add_columns(rank).join(found, found.c.idea_id == Idea.id)
            .order_by(Idea.created_at.desc(), Idea.id.desc()).limit(RESULT_CAP + 1)).all()
    # IS TRUE keeps the GIN index out of a common word's plan: each idea is tested instead;
    # ts_rank is computed only for the rows read.
    rank = sa.func.ts_rank(document, query) if ranked else sa.null()
    statement = (base.add_columns(rank).join(PG_DOCUMENTS, PG_DOCUMENTS.c.idea_id == Idea.id)
                 .where(document.op("@@")(query).is_(True))
                 .order_by(Idea.created_at.desc(), Idea.id.desc()).limit(RESULT_CAP + 1))
    settings = ("enable_seqscan", "enable_sort", "enable_hashjoin", "enable_bitmapscan")
    for name in settings:
        db.session.execute(sa.text("SELECT set_config(:name, 'off', true)"), {"name": name})
    try:
        return db.session.execute(statement).all()
    finally:
        for name in settings:
            db.session.execute(sa.text("SELECT set_config(:name, 'on', true)"),
                               {"name": name})


def _search_window(statement, filters, terms, backend, sort, page, per_page) -> SearchResult:
    """A text search: the newest RESULT_CAP matches, sorted here, one page loaded."""
    rows, relevance = _window_rows(filters, terms, backend, sort)
    capped = len(rows) > RESULT_CAP
    rows = rows[:RESULT_CAP]
    if sort == "relevance" and relevance is None:
        relevance = {}
    key = {
        "relevance": lambda row: (relevance.get(row[0]) or 0, -row[0]),
        "supported": lambda row: (-row[2], -row[0]),
        "discussed": lambda row: (-row[3], -row[0]),
    }.get(sort)
    ordered = sorted(rows, key=key) if key else sorted(
        rows, key=lambda row: (row[1], row[0]), reverse=True)
    total = len(ordered)
    page = min(max(page, 1), max(1, -(-total // per_page)))
    ids = [row[0] for row in ordered[(page - 1) * per_page:page * per_page]]
    loaded = {idea.id: idea for idea in db.session.scalars(
        statement.where(Idea.id.in_(ids)))} if ids else {}
    items = [loaded[idea_id] for idea_id in ids if idea_id in loaded]
    return SearchResult(Page(items=items, page=page, per_page=per_page, total=total),
                        backend, terms, sort, capped=capped)


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
