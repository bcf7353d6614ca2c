"""What a ballot may hold (per ballot type), and one change to a ballot being filled in.

A ballot being filled in (a draft) is kept in the voter's signed session cookie, never in the
database: a draft names its voter, and no database row or row version may tie a person to
choices (web/ballot.py keeps it; docs/threat-model.md)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from ...core.exceptions import ServiceError
from ...extensions import db
from ..rounds.models import Budget, BudgetRound, Proposal
from ..rounds.statuses import BALLOT_STATUSES

DRAFT_ACTIONS = ("add", "remove", "more", "less")


@cache
def _ballot_query() -> sa.Select:
    return (sa.select(Proposal).where(Proposal.budget_id == sa.bindparam("budget_id"),
                                      Proposal.status.in_(BALLOT_STATUSES))
            .order_by(Proposal.id))


def ballot_proposals(budget: Budget) -> list[Proposal]:
    """The proposals a voter can choose from in this budget, in a stable order."""
    return db.session.scalars(_ballot_query(), {"budget_id": budget.id}).all()


# Everything a ballot card shows (web/ballot_cards.py keys its cached markup on the row).
CARD_COLUMNS = ("id", "cost", "moderation_state", "title_fi", "title_sv", "title_en",
                "description_fi", "description_sv", "description_en")


@cache
def _card_query() -> sa.Select:
    columns = [getattr(Proposal, name) for name in CARD_COLUMNS]
    return (sa.select(*columns).where(Proposal.budget_id == sa.bindparam("budget_id"),
                                      Proposal.status.in_(BALLOT_STATUSES))
            .order_by(Proposal.id))


def ballot_rows(budget: Budget) -> list[sa.Row]:
    """ballot_proposals as plain rows of CARD_COLUMNS (a Core select: no ORM objects to build
    on every ballot page)."""
    return db.session.execute(_card_query(), {"budget_id": budget.id}).all()


def card_proposal(row: sa.Row) -> Proposal:
    """The proposal a card of ballot_rows shows: the session's own for a hidden one (its
    text is the moderator's reason, looked up through it), else a transient copy of the row
    (nothing loaded, nothing added to the session)."""
    if row.moderation_state == "hidden":
        return db.session.get(Proposal, row.id)
    return Proposal(**{name: getattr(row, name) for name in CARD_COLUMNS})


@dataclass(frozen=True)
class Tally:
    """The running total of a ballot being filled in."""

    chosen: int
    cost: int
    points: int
    budget: int
    limit_kind: str  # "cost", "count" or "points"
    limit: int

    # Worked out once per total (a ballot page asks once per card).
    @cached_property
    def used(self) -> int:
        return {"cost": self.cost, "count": self.chosen, "points": self.points}[self.limit_kind]

    @cached_property
    def left(self) -> int:
        return self.limit - self.used


def running_total(budget_round: BudgetRound, budget: Budget, choices: dict[int, int],
                  proposals: list[Proposal] | None = None) -> Tally:
    costs = {p.id: p.cost for p in (proposals or ballot_proposals(budget))}
    cost = sum(costs.get(pid, 0) for pid in choices)
    points = sum(choices.values())
    kind, limit = {
        "approval": ("cost", budget.amount),
        "k_approval": ("count", budget_round.max_choices or 0),
        "cumulative": ("points", budget_round.points_total or 0),
    }[budget_round.ballot_type]
    return Tally(len(choices), cost, points, budget.amount, kind, limit)


@cache
def _costs_query() -> sa.Select:
    return sa.select(Proposal.id, Proposal.cost).where(
        Proposal.budget_id == sa.bindparam("budget_id"), Proposal.status.in_(BALLOT_STATUSES))


def _ballot_costs(budget: Budget) -> dict[int, sa.Row]:
    """(id, cost) of each proposal on the ballot: all a check needs (no full proposals)."""
    return {row.id: row for row in db.session.execute(_costs_query(),
                                                      {"budget_id": budget.id})}


def check_choices(budget_round: BudgetRound, budget: Budget, choices: dict[int, int], *,
                  final: bool) -> dict[int, int]:
    """The choices if they make a valid ballot, else ServiceError with what to change."""
    proposals = _ballot_costs(budget)
    cleaned: dict[int, int] = {}
    for raw_id, raw_points in (choices or {}).items():
        try:
            proposal_id, points = int(raw_id), int(raw_points)
        except (TypeError, ValueError):
            raise ServiceError(_("The ballot could not be read. Start again from the "
                                 "ballot page.")) from None
        if proposal_id not in proposals:
            raise ServiceError(_("One of the chosen proposals is not on this ballot. Choose "
                                 "only from the proposals listed on this ballot."))
        if points <= 0 or (budget_round.ballot_type != "cumulative" and points != 1):
            raise ServiceError(_("The ballot could not be read. Start again from the "
                                 "ballot page."))
        cleaned[proposal_id] = points
    if final and not cleaned:
        raise ServiceError(_("Choose at least one proposal before casting your ballot."))
    total = running_total(budget_round, budget, cleaned, list(proposals.values()))
    if total.left < 0:
        raise ServiceError(_over_limit_message(total))
    return cleaned


def _over_limit_message(total: Tally) -> str:
    from ...core.formats import format_money

    if total.limit_kind == "cost":
        return _("The chosen proposals cost %(cost)s in total, more than the budget of "
                 "%(budget)s. Remove a proposal so that the total fits.",
                 cost=format_money(total.cost), budget=format_money(total.limit))
    if total.limit_kind == "count":
        return ngettext("You can choose at most %(num)d proposal. Remove one first.",
                        "You can choose at most %(num)d proposals. Remove one first.",
                        total.limit)
    return ngettext("You can give at most %(num)d point in total. Take a point away first.",
                    "You can give at most %(num)d points in total. Take points away first.",
                    total.limit)


def change_draft(budget_round: BudgetRound, budget: Budget, start: dict[int, int],
                 proposal_id: int, action: str) -> dict[int, int]:
    """The choices after one add/remove/more/less (the caller keeps them as the draft)."""
    if action not in DRAFT_ACTIONS:
        raise ServiceError(_("The ballot could not be read. Start again from the ballot page."))
    choices = dict(start)
    if action == "add":
        choices.setdefault(proposal_id, 1)
    elif action == "more":
        choices[proposal_id] = choices.get(proposal_id, 0) + 1
    elif action == "less" and choices.get(proposal_id, 0) > 1:
        choices[proposal_id] -= 1
    else:
        choices.pop(proposal_id, None)
    if budget_round.ballot_type != "cumulative" and action == "more":
        choices[proposal_id] = 1
    return check_choices(budget_round, budget, choices, final=False)
