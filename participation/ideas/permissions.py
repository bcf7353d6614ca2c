"""Object rules for ideas and comments: who may see, support, comment, edit and answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from ..core.types import utcnow
from .models import PUBLISHED, Idea, IdeaComment

HIDDEN = "hidden"

COMMENT_EDIT_WINDOW = timedelta(minutes=15)
# Roles who see ideas and comments that are not public (pending or hidden).
REVIEWER_ROLES = ("moderator", "staff")


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_reviewer(user) -> bool:
    return _signed_in(user) and user.has_any_role(*REVIEWER_ROLES)


def is_author(user, item) -> bool:
    return _signed_in(user) and item.author_id is not None and item.author_id == user.id


def can_view_idea(user, idea: Idea) -> bool:
    """Published ideas are public; others only to their author, moderators and staff."""
    return idea.moderation_state == PUBLISHED or is_author(user, idea) or is_reviewer(user)


def can_change_status(user) -> bool:
    return _signed_in(user) and user.has_role("staff")


def comment_refusal(idea: Idea) -> str | None:
    """Why no new comments are taken on `idea`, or None."""
    if idea.moderation_state != PUBLISHED:
        return _("Comments open when the idea has been published.")
    if idea.is_withdrawn:
        return _("The author has withdrawn this idea, so it takes no new comments.")
    if idea.is_closed:
        return _("This idea is closed, so it takes no new comments.")
    if idea.comments_locked:
        return _("Comments on this idea have been closed.")
    return None


def support_refusal(idea: Idea) -> str | None:
    """Why no new supports are taken on `idea`, or None (withdrawing is always possible)."""
    if idea.moderation_state != PUBLISHED:
        return _("Ideas can be supported once they have been published.")
    if idea.is_withdrawn:
        return _("The author has withdrawn this idea, so it takes no new supports.")
    if idea.is_closed:
        return _("This idea is closed, so it takes no new supports.")
    return None


# An official answer or a budgeting proposal fixes the text the city answered.
EDITABLE_STATUSES = frozenset({"submitted", "under_review"})


def edit_refusal(user, idea: Idea) -> str | None:
    """Why `user` may not edit `idea` now, or None."""
    if not is_author(user, idea):
        return _("Only the author can edit an idea.")
    if idea.is_withdrawn:
        return _("You have withdrawn this idea, so it can no longer be edited.")
    if idea.moderation_state == HIDDEN:
        return _("A moderator has hidden this idea, so it cannot be edited.")
    if idea.public_answer or idea.status not in EDITABLE_STATUSES \
            or idea.budgeting_proposal_id is not None:
        return _("The city has answered this idea or made it a budgeting proposal, so it can "
                 "no longer be edited.")
    return None


def withdraw_refusal(user, idea: Idea) -> str | None:
    """Why `user` may not withdraw `idea`, or None."""
    if not is_author(user, idea):
        return _("Only the author can withdraw an idea.")
    if idea.is_withdrawn:
        return _("You have already withdrawn this idea.")
    if idea.budgeting_proposal_id is not None or idea.status in {"budgeting_proposal",
                                                                 "merged", "implemented"}:
        return _("This idea has become part of the city's work, so it can no longer be "
                 "withdrawn.")
    return None


def can_view_comment(user, comment: IdeaComment) -> bool:
    return comment.moderation_state == PUBLISHED or is_author(user, comment) or \
        is_reviewer(user)


def can_edit_comment(user, comment: IdeaComment, now: datetime | None = None) -> bool:
    """The author, within 15 minutes of writing, while the comment is not deleted or hidden."""
    if not is_author(user, comment) or comment.is_deleted or comment.moderation_state == HIDDEN:
        return False
    return (now or utcnow()) - comment.created_at <= COMMENT_EDIT_WINDOW


def can_delete_comment(user, comment: IdeaComment) -> bool:
    return is_author(user, comment) and not comment.is_deleted
