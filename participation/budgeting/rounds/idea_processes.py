"""Budgeting rounds as processes in the idea list's filter: each public round with proposals
made from ideas selects those ideas. Registered with the ideas package at import time."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...ideas.models import Idea
from ...ideas.search import Process, register_process_source
from .models import BudgetRound, Proposal, ProposalIdea

KEY_PREFIX = "budgeting-"


def _ideas_of_round(round_id: int):
    return lambda: Idea.id.in_(
        sa.select(ProposalIdea.idea_id)
        .join(Proposal, Proposal.id == ProposalIdea.proposal_id)
        .where(Proposal.round_id == round_id))


def idea_processes() -> list[Process]:
    """Published rounds (not simulations) that have a proposal made from an idea, newest first."""
    with_ideas = (sa.select(Proposal.round_id)
                  .join(ProposalIdea, ProposalIdea.proposal_id == Proposal.id))
    rounds = db.session.scalars(
        sa.select(BudgetRound)
        .where(BudgetRound.published_at.is_not(None), BudgetRound.is_simulation.is_(False),
               BudgetRound.id.in_(with_ideas))
        .order_by(BudgetRound.published_at.desc(), BudgetRound.id.desc())
    ).all()
    return [Process(f"{KEY_PREFIX}{budget_round.id}",
                    _l("Participatory budgeting: %(round)s", round=budget_round.title),
                    _ideas_of_round(budget_round.id))
            for budget_round in rounds]


register_process_source("budgeting", idea_processes)
