"""Proposals made from ideas: links both ways, and the ideas' people told through the ideas
package's own status change (which notifies the author, supporters and followers)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _

from ...core.exceptions import ServiceError
from ...extensions import db
from ...ideas.models import PUBLISHED, Idea
from ...ideas.status_service import StatusDecision, change_status, parse_idea_reference
from .models import BudgetRound, Proposal, ProposalIdea
from .permissions import is_staff


def parse_idea_numbers(text: str) -> list[int]:
    """Idea numbers from '12, #15' or idea addresses, one per comma, space or line."""
    numbers = []
    for token in re.split(r"[,\s]+", (text or "").strip()):
        if not token:
            continue
        number = parse_idea_reference(token)
        if number is None:
            raise ServiceError(_("Give ideas by number (for example 12, 15) or by address."),
                               "ideas")
        if number not in numbers:
            numbers.append(number)
    return numbers


def proposal_path(proposal: Proposal) -> str:
    if has_request_context():
        return url_for("budgeting.proposal_page", proposal_id=proposal.id)
    return f"/budgeting/proposals/{proposal.id}"


def link_ideas(proposal: Proposal, idea_ids: list[int], actor) -> int:
    """Link published ideas to the proposal and mark them; returns how many were new."""
    linked = set(db.session.scalars(sa.select(ProposalIdea.idea_id).where(
        ProposalIdea.proposal_id == proposal.id)))
    added = 0
    for idea_id in idea_ids:
        idea = db.session.get(Idea, idea_id)
        if idea is None or idea.moderation_state != PUBLISHED:
            raise ServiceError(_("There is no published idea number %(number)d.",
                                 number=idea_id), "ideas")
        if idea_id in linked:
            continue
        db.session.add(ProposalIdea(proposal_id=proposal.id, idea_id=idea_id))
        idea.budgeting_proposal_id = proposal.id
        change_status(idea, actor, StatusDecision(status="budgeting_proposal",
                                                  proposal_url=proposal_path(proposal)))
        linked.add(idea_id)
        added += 1
    db.session.flush()
    return added


def linked_ideas(proposal: Proposal) -> list[Idea]:
    return db.session.scalars(
        sa.select(Idea).join(ProposalIdea, ProposalIdea.idea_id == Idea.id)
        .where(ProposalIdea.proposal_id == proposal.id, Idea.moderation_state == PUBLISHED)
        .order_by(Idea.id)).all()


def idea_images(ideas: list[Idea]) -> list[Idea]:
    """The ideas (already the published ones, from linked_ideas) whose image the proposal
    page shows: an image the author removed is gone, and a hidden idea is never linked."""
    return [idea for idea in ideas
            if idea.moderation_state == PUBLISHED and idea.image_file and idea.image_alt]


def proposals_from_idea(idea_id: int) -> list[Proposal]:
    """Every proposal made from an idea that the public may see (the idea page lists them)."""
    statement = (sa.select(Proposal).join(ProposalIdea, ProposalIdea.proposal_id == Proposal.id)
                 .join(BudgetRound, BudgetRound.id == Proposal.round_id)
                 .where(ProposalIdea.idea_id == idea_id).order_by(Proposal.id))
    if not (has_request_context() and is_staff()):
        statement = statement.where(BudgetRound.published_at.is_not(None),
                                    BudgetRound.is_simulation.is_(False),
                                    Proposal.moderation_state == "published")
    return list(db.session.scalars(statement))


def move_idea_links(source: Proposal, target: Proposal) -> None:
    """On merging, the source's ideas now point at the target proposal."""
    for link in db.session.scalars(sa.select(ProposalIdea).where(
            ProposalIdea.proposal_id == source.id)).all():
        exists = db.session.get(ProposalIdea, (target.id, link.idea_id))
        if exists is None:
            db.session.add(ProposalIdea(proposal_id=target.id, idea_id=link.idea_id))
        db.session.delete(link)
        idea = db.session.get(Idea, link.idea_id)
        if idea is not None and idea.budgeting_proposal_id == source.id:
            idea.budgeting_proposal_id = target.id
            idea.budgeting_proposal_url = proposal_path(target)
    db.session.flush()


def idea_seed(idea_id: int | None) -> dict[str, str] | None:
    """Texts to start a proposal from an idea: its title and text in the idea's language."""
    idea = db.session.get(Idea, idea_id) if idea_id else None
    if idea is None or idea.moderation_state != PUBLISHED:
        return None
    language = idea.language if idea.language in ("fi", "sv", "en") else "fi"
    return {f"title_{language}": idea.title[:200],
            f"description_{language}": idea.description_text, "ideas": str(idea.id)}
