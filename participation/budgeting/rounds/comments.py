"""Comments on proposals: written by residents, screened and moderated like idea comments.

The rules follow the ideas package's comments (same length limit, same screening on writing,
soft delete by the author); threads are flat here.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ...core.content_language import normalise_content_language
from ...core.exceptions import ServiceError
from ...core.types import utcnow
from ...extensions import db
from ...ideas.models import COMMENT_MAX
from ...indicators.services import record_event
from ...moderation.registry import HIDDEN, PUBLISHED
from .models import Proposal, ProposalComment


def comment_refusal(proposal: Proposal) -> str | None:
    """Why nobody can comment on `proposal` now (None: they can)."""
    if proposal.moderation_state != PUBLISHED or proposal.status in ("draft", "merged"):
        return _("Comments are closed for this proposal.")
    return None


def add_comment(user, proposal: Proposal, body: str, *, language: str) -> ProposalComment:
    refusal = comment_refusal(proposal)
    if refusal:
        raise ServiceError(refusal, "body")
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Write a comment before sending it."), "body")
    if len(body) > COMMENT_MAX:
        raise ServiceError(_("Use at most %(max)d characters in a comment.", max=COMMENT_MAX),
                           "body")
    if normalise_content_language(language) != language:
        raise ServiceError(_("Choose the language from the list."), "language")
    comment = ProposalComment(proposal_id=proposal.id, author_id=user.id, body=body,
                              language=language)
    db.session.add(comment)
    db.session.flush()
    from ...moderation.services import screen_new_content

    screen_new_content(comment, user)  # words or spam found: held for a moderator
    record_event("comment_posted", user=user, process=proposal.round)
    return comment


def delete_comment(user, comment: ProposalComment) -> None:
    """Soft delete by the author: the text is erased, the place stays marked deleted."""
    if comment.author_id is None or comment.author_id != user.id:
        raise ServiceError(_("You can only delete your own comments."))
    comment.deleted_at = utcnow()
    comment.body = ""
    db.session.flush()


def comments_for(proposal: Proposal, viewer) -> list[ProposalComment]:
    """Oldest first, as `viewer` may see them: published ones, their own held ones, and
    hidden ones as placeholders (the page shows the moderator's public reason)."""
    viewer_id = getattr(viewer, "id", None) if getattr(viewer, "is_authenticated", False) \
        else None
    comments = db.session.scalars(
        sa.select(ProposalComment).where(ProposalComment.proposal_id == proposal.id)
        .options(selectinload(ProposalComment.author))
        .order_by(ProposalComment.created_at, ProposalComment.id)).all()
    return [comment for comment in comments
            if comment.moderation_state in (PUBLISHED, HIDDEN)
            or (viewer_id is not None and comment.author_id == viewer_id)]
