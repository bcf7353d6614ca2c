"""Finding rounds, budgets, proposals, comments and photos: the reads the web pages need."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ...accounts.models import User
from ...extensions import db
from .models import Budget, BudgetRound, Proposal, ProposalComment, ProposalPhoto


def get_round(round_id: int) -> BudgetRound | None:
    """The round with its phases (every page of a round asks which phase is open)."""
    return db.session.get(BudgetRound, round_id, options=[joinedload(BudgetRound.phases)])


def get_budget(budget_id: int) -> Budget | None:
    return db.session.get(Budget, budget_id)


@cache
def _budget_in_round_query() -> sa.Select:
    return (sa.select(Budget).options(joinedload(Budget.round).joinedload(BudgetRound.phases))
            .where(Budget.id == sa.bindparam("budget_id"),
                   Budget.round_id == sa.bindparam("round_id")))


def get_budget_in_round(round_id: int, budget_id: int) -> Budget | None:
    """The budget if it belongs to the round, with the round and its phases: one query for
    the ballot pages (every cast reads both)."""
    return db.session.execute(_budget_in_round_query(), {
        "round_id": round_id, "budget_id": budget_id}).unique().scalar_one_or_none()


def get_proposal(proposal_id: int) -> Proposal | None:
    return db.session.get(Proposal, proposal_id)


def get_comment(comment_id: int) -> ProposalComment | None:
    return db.session.get(ProposalComment, comment_id)


def photo_by_filename(name: str) -> ProposalPhoto | None:
    return db.session.scalar(sa.select(ProposalPhoto).filter_by(filename=name))


def all_rounds() -> list[BudgetRound]:
    """Every round, simulations and unpublished ones too, the newest first (staff list)."""
    return db.session.scalars(
        sa.select(BudgetRound).order_by(BudgetRound.created_at.desc())).all()


def published_rounds(limit: int | None = None, *, with_phases: bool = False
                     ) -> list[BudgetRound]:
    """Published rounds that are not simulations, the newest published first."""
    statement = (sa.select(BudgetRound)
                 .where(BudgetRound.published_at.is_not(None),
                        BudgetRound.is_simulation.is_(False))
                 .order_by(BudgetRound.published_at.desc()))
    if with_phases:
        statement = statement.options(selectinload(BudgetRound.phases))
    if limit is not None:
        statement = statement.limit(limit)
    return db.session.scalars(statement).all()


def public_proposals(budget_round: BudgetRound) -> list[Proposal]:
    """The round's published proposals (merged ones left out), by budget."""
    return db.session.scalars(
        sa.select(Proposal).where(Proposal.round_id == budget_round.id,
                                  Proposal.status != "merged",
                                  Proposal.moderation_state == "published")
        .order_by(Proposal.budget_id, Proposal.id)).all()


def round_proposals(round_id: int, status: str | None = None) -> list[Proposal]:
    """Every proposal of a round for staff, optionally of one status, by budget."""
    statement = sa.select(Proposal).where(Proposal.round_id == round_id)
    if status:
        statement = statement.where(Proposal.status == status)
    return db.session.scalars(statement.order_by(Proposal.budget_id, Proposal.id)).all()


def merge_candidates(proposal: Proposal) -> list[Proposal]:
    """The other unmerged proposals of the same budget, which this one could be merged into."""
    return db.session.scalars(sa.select(Proposal).where(
        Proposal.budget_id == proposal.budget_id, Proposal.id != proposal.id,
        Proposal.status != "merged").order_by(Proposal.id)).all()


def author_name(proposal: Proposal) -> str | None:
    """The display name of the proposal's author, unless there is none or they left."""
    if not proposal.submitted_by_id:
        return None
    author = db.session.get(User, proposal.submitted_by_id)
    return author.display_name if author and author.deleted_at is None else None
