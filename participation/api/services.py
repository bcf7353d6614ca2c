"""What the API may show, asked of each domain's own public functions (an anonymous view)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..budgeting.rounds.models import Budget, BudgetRound, Proposal
from ..budgeting.rounds.permissions import allowed_in_round
from ..budgeting.voting.ballots import ballot_proposals
from ..core.models import TOTAL, Area, PopulationFigure
from ..core.parsing import parse_count, parse_id
from ..extensions import db
from ..i18n import supported_codes
from ..ideas import search
from ..ideas.models import PUBLISHED, STATUSES, Idea, Theme

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = search.DEFAULT_PER_PAGE
MAX_QUERY = 200  # as the HTML list
IDEA_FILTERS = ("area", "theme", "status", "language", "process")


class BadParameter(Exception):
    """A query parameter the API cannot use; the view answers 400 naming it."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


@dataclass
class IdeaQuery:
    filters: search.IdeaFilters
    q: str
    sort: str
    page: int
    per_page: int


def _number(args, name: str, default: int, *, cap: int | None = None) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    value = parse_count(raw)
    if value is None or value < 1:
        raise BadParameter(name)
    return min(value, cap) if cap else value


def parse_idea_query(args) -> IdeaQuery:
    """The list's filters from a query string; unlike the HTML form, unknown values are 400."""
    values = {name: (args.get(name) or "").strip() for name in IDEA_FILTERS}
    area = values["area"]
    if area and area != search.CITY_WIDE and parse_id(area) is None:
        raise BadParameter("area")
    if values["theme"] and db.session.scalar(
            sa.select(Theme.id).where(Theme.slug == values["theme"])) is None:
        raise BadParameter("theme")
    if values["status"] and values["status"] not in STATUSES:
        raise BadParameter("status")
    if values["language"] and values["language"] not in supported_codes():
        raise BadParameter("language")
    if values["process"] and values["process"] not in {p.key for p in search.processes()}:
        raise BadParameter("process")
    sort = (args.get("sort") or "").strip()
    if sort and sort not in search.SORTS:
        raise BadParameter("sort")
    return IdeaQuery(
        filters=search.IdeaFilters(**values),
        q=(args.get("q") or "").strip()[:MAX_QUERY],
        sort=sort,
        page=_number(args, "page", 1),
        per_page=_number(args, "per_page", DEFAULT_PER_PAGE, cap=MAX_PER_PAGE),
    )


def find_ideas(query: IdeaQuery) -> search.SearchResult:
    """The HTML list's own search (published ideas only); a page past the end is empty."""
    result = search.search_ideas(query.q, query.filters, sort=query.sort, page=query.page,
                                 per_page=query.per_page, with_author=True)
    if result.page.page != query.page:  # search_ideas shows the last page instead
        result.page.items = []
        result.page.page = query.page
    return result


def published_idea(idea_id: int) -> Idea | None:
    """An idea anyone may see, through the list's query, so hidden and held ideas are None."""
    statement = search.list_statement(with_author=True).where(Idea.id == idea_id)
    return db.session.scalars(statement).unique().first()


def is_published_idea(idea_id: int | None) -> bool:
    return idea_id is not None and published_idea(idea_id) is not None


def areas_with_population() -> list[tuple[Area, PopulationFigure | None]]:
    """Espoo's major areas by code, each with its latest total population figure."""
    areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
    latest: dict[int, PopulationFigure] = {}
    for figure in db.session.scalars(
            sa.select(PopulationFigure).where(PopulationFigure.age_band == TOTAL,
                                              PopulationFigure.language_group == TOTAL,
                                              PopulationFigure.area_id.is_not(None))
            .order_by(PopulationFigure.year)):
        latest[figure.area_id] = figure
    return [(area, latest.get(area.id)) for area in areas]


def _public_rounds():
    # The same rule as the budgeting pages show visitors: published and not a simulation.
    return (sa.select(BudgetRound)
            .where(BudgetRound.published_at.is_not(None), BudgetRound.is_simulation.is_(False))
            .options(selectinload(BudgetRound.phases), selectinload(BudgetRound.budgets)))


def public_rounds() -> list[BudgetRound]:
    return db.session.scalars(
        _public_rounds().order_by(BudgetRound.published_at.desc(), BudgetRound.id.desc())
    ).all()


def public_round(round_id: int) -> BudgetRound | None:
    return db.session.scalar(_public_rounds().where(BudgetRound.id == round_id))


def results_are_public(budget_round: BudgetRound) -> bool:
    """As the results page for a visitor: published, and the phase lets everyone see them."""
    return budget_round.results_published_at is not None and \
        allowed_in_round(None, "view_results", budget_round)


def round_proposals(budget_round: BudgetRound) -> list[Proposal]:
    """The round's proposals a visitor sees on its page, with their statuses."""
    return db.session.scalars(
        sa.select(Proposal).where(Proposal.round_id == budget_round.id,
                                  Proposal.status.not_in(("draft", "merged")),
                                  Proposal.moderation_state == PUBLISHED)
        .order_by(Proposal.budget_id, Proposal.id)).all()


def selected_proposals(budget: Budget, selected_ids) -> list[Proposal]:
    """The budget's funded proposals a visitor may see: hidden or held ones are left out."""
    chosen = set(selected_ids or ())
    return [proposal for proposal in ballot_proposals(budget)
            if proposal.id in chosen and proposal.moderation_state == PUBLISHED]
