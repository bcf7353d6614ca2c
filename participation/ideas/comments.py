"""Comment rules: one level of replies, editing for 15 minutes, deleting by the author."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..core.content_language import normalise_content_language
from ..core.exceptions import ServiceError
from ..core.types import utcnow
from ..extensions import db
from ..indicators.services import record_event
from ..moderation.registry import HIDDEN
from ..moderation.services import screen_new_content
from . import notifications
from .models import COMMENT_MAX, PUBLISHED, Idea, IdeaComment
from .permissions import can_delete_comment, can_edit_comment, can_view_comment, comment_refusal


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Write a comment before sending it."), "body")
    if len(body) > COMMENT_MAX:
        raise ServiceError(
            _("Use at most %(max)d characters in a comment.", max=COMMENT_MAX), "body"
        )
    return body


def _change_count(idea: Idea, delta: int) -> None:
    db.session.execute(
        sa.update(Idea).where(Idea.id == idea.id)
        .values(comment_count=Idea.comment_count + delta)
        .execution_options(synchronize_session="evaluate")
    )


def add_comment(user, idea: Idea, body: str, *, language: str,
                parent: IdeaComment | None = None) -> IdeaComment:
    refusal = comment_refusal(idea)
    if refusal:
        raise ServiceError(refusal, "body")
    body = _clean_body(body)
    if normalise_content_language(language) != language:
        raise ServiceError(_("Choose the language from the list."), "language")
    if parent is not None:
        if parent.idea_id != idea.id or parent.parent_id is not None:
            raise ServiceError(_("Replies can only be made to a comment on this idea."), "body")
        if parent.is_deleted or parent.moderation_state != PUBLISHED:
            raise ServiceError(_("The comment you are replying to has been removed."), "body")
    comment = IdeaComment(idea_id=idea.id, author_id=user.id, body=body, language=language,
                          parent_id=parent.id if parent else None)
    db.session.add(comment)
    db.session.flush()
    _change_count(idea, +1)
    screen_new_content(comment, user)
    record_event("comment_posted", user=user, process=idea)
    notifications.notify_comment(idea, comment, actor=user)
    return comment


def edit_comment(user, comment: IdeaComment, body: str) -> bool:
    """Save the new text; True if the word filter sent the edited comment to moderation."""
    if not can_edit_comment(user, comment):
        if comment.moderation_state == HIDDEN:
            raise ServiceError(_("A moderator has hidden this comment, so it cannot be "
                                 "edited."), "body")
        raise ServiceError(_("Comments can be edited for 15 minutes after writing them. "
                             "That time has passed."), "body")
    comment.body = _clean_body(body)
    comment.edited_at = utcnow()
    db.session.flush()
    # An approved comment must not become abuse by editing: the edit is screened like new text.
    return screen_new_content(comment, user)


def delete_comment(user, comment: IdeaComment) -> None:
    """Soft delete: the place in the thread stays, marked deleted, and the text is erased."""
    if not can_delete_comment(user, comment):
        raise ServiceError(_("You can only delete your own comments."))
    counted = comment.counts
    comment.deleted_at = utcnow()
    comment.body = ""
    db.session.flush()
    if counted:
        _change_count(comment.idea, -1)


@dataclass
class Thread:
    comment: IdeaComment
    visible: bool = True
    replies: list[IdeaComment] = field(default_factory=list)


def threads_for(idea: Idea, viewer) -> list[Thread]:
    """Top-level comments with their replies, oldest first, as `viewer` may see them.

    A comment the viewer may not see is left out, unless it has visible replies: then it
    stays as a placeholder (the template shows it as removed).
    """
    comments = db.session.scalars(
        sa.select(IdeaComment).where(IdeaComment.idea_id == idea.id)
        .options(selectinload(IdeaComment.author))
        .order_by(IdeaComment.created_at, IdeaComment.id)
    ).all()
    threads: dict[int, Thread] = {}
    orphans: list[IdeaComment] = []
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.id] = Thread(comment, can_view_comment(viewer, comment))
        else:
            orphans.append(comment)
    for reply in orphans:
        thread = threads.get(reply.parent_id)
        # Hidden replies stay as placeholders that show the moderator's public reason.
        if thread is not None and (can_view_comment(viewer, reply)
                                   or reply.moderation_state == HIDDEN):
            thread.replies.append(reply)
    return [
        thread for thread in threads.values()
        if thread.visible or thread.replies or thread.comment.moderation_state == HIDDEN
    ]
