"""Indicators that count things rather than people: the idea pipeline, youth hearings and
moderation. Ideas and hearings are public records, so these counts need no suppression."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db


def hearing_counts(start, end) -> tuple[int, int]:
    """(hearings held, of them with feedback on time) in [start, end); (0, 0) before any."""
    from ..hearings.figures import held_and_answered_on_time

    return held_and_answered_on_time(start, end)


def median(values: list[float]) -> float | None:
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def idea_pipeline(start, end) -> dict:
    """Ideas submitted in [start, end) and how far they have come by now."""
    from ..budgeting.rounds.models import Proposal, ProposalIdea
    from ..budgeting.rounds.statuses import BALLOT_STATUSES, CARRIED_OUT
    from ..ideas.models import Idea, IdeaStatusChange

    of_period = (Idea.created_at >= start, Idea.created_at < end)
    first_answer = (sa.select(IdeaStatusChange.idea_id,
                              sa.func.min(IdeaStatusChange.created_at).label("answered_at"))
                    .group_by(IdeaStatusChange.idea_id).subquery())

    def linked(*statuses):
        query = (sa.select(ProposalIdea.idea_id).join(Proposal,
                                                     Proposal.id == ProposalIdea.proposal_id))
        if statuses:
            query = query.where(Proposal.status.in_(statuses))
        return Idea.id.in_(query)

    def count(*conditions) -> int:
        return db.session.scalar(sa.select(sa.func.count(Idea.id)).where(*of_period,
                                                                         *conditions))

    answered = db.session.execute(
        sa.select(Idea.created_at, first_answer.c.answered_at)
        .join(first_answer, first_answer.c.idea_id == Idea.id).where(*of_period)).all()
    days = [max(0.0, (answered_at - created).total_seconds() / 86400)
            for created, answered_at in answered]
    return {
        "submitted": count(),
        "answered": len(answered),
        "median_days": median(days),
        "proposal": count(linked()),
        "ballot": count(linked(*BALLOT_STATUSES)),
        # A cancelled proposal was selected first (statuses.TRANSITIONS): voters chose it.
        "chosen": count(linked(*CARRIED_OUT, "cancelled")),
        "implemented": count(sa.or_(Idea.status == "implemented", linked("implemented"))),
    }


def other_rows(start, end) -> list[tuple]:
    """(indicator_id, value, numerator, denominator) of the non-people indicators."""
    from ..moderation.figures import figures

    pipe = idea_pipeline(start, end)
    share = round(100 * pipe["answered"] / pipe["submitted"], 1) if pipe["submitted"] else None
    held, on_time = hearing_counts(start, end)
    moderation = figures(start, end, queue_now=0).median_hours
    days = pipe["median_days"]
    return [
        ("ideas_submitted", pipe["submitted"], pipe["submitted"], None),
        ("ideas_answered", pipe["answered"], pipe["answered"], None),
        ("ideas_answered_share", share, pipe["answered"], pipe["submitted"]),
        ("idea_answer_median_days", None if days is None else round(days, 1),
         pipe["answered"], None),
        ("ideas_to_proposal", pipe["proposal"], pipe["proposal"], None),
        ("ideas_on_ballot", pipe["ballot"], pipe["ballot"], None),
        ("ideas_chosen", pipe["chosen"], pipe["chosen"], None),
        ("ideas_implemented", pipe["implemented"], pipe["implemented"], None),
        ("hearings_held", held, held, None),
        ("hearing_feedback_on_time", round(100 * on_time / held, 1) if held else 0,
         on_time, held),
        ("moderation_median_hours", None if moderation is None else round(moderation, 1),
         None, None),
    ]
