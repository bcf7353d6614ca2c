"""Notifications: in-app rows for everyone concerned, email to those who opted in.

Texts are rendered when read, in the reader's language; emails are rendered in the
recipient's preferred language (i18n.use_language), whatever the language of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import gettext as _

from ..accounts.models import User
from ..core.links import external_url
from ..core.mail import send_mail
from ..core.sentinels import NOT_READ
from ..core.types import utcnow
from ..extensions import db
from ..i18n import use_language
from .models import (
    PUBLISHED,
    Idea,
    IdeaFollow,
    IdeaStatusChange,
    IdeaSupport,
    Notification,
)
from .statuses import status_label

STATUS_CHANGED = "idea_status"
COMMENTED = "idea_commented"
REPLIED = "idea_comment_replied"


def _active_users(ids) -> list[User]:
    ids = {user_id for user_id in ids if user_id is not None}
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(User).where(User.id.in_(ids), User.deleted_at.is_(None)).order_by(User.id)
    ))


def _supporter_ids(idea: Idea) -> set[int]:
    return set(db.session.scalars(
        sa.select(IdeaSupport.user_id).where(IdeaSupport.idea_id == idea.id)))


def _follower_ids(idea: Idea) -> set[int]:
    return set(db.session.scalars(
        sa.select(IdeaFollow.user_id).where(IdeaFollow.idea_id == idea.id)))


def status_recipients(idea: Idea, actor=None) -> list[User]:
    """The author, supporters and followers (each once), not the person making the change."""
    ids = {idea.author_id} | _supporter_ids(idea) | _follower_ids(idea)
    ids.discard(getattr(actor, "id", None))
    return _active_users(ids)


def _add(user: User, kind: str, idea: Idea, params: dict) -> Notification:
    notification = Notification(user_id=user.id, kind=kind, idea_id=idea.id, params=params)
    db.session.add(notification)
    return notification


def idea_link(idea: Idea) -> str:
    return external_url("ideas.detail", idea_id=idea.id)


def _status_email(user: User, idea: Idea, change: IdeaStatusChange) -> None:
    with use_language(user.preferred_language):
        subject = _("Your idea's status: %(status)s", status=status_label(change.to_status)) \
            if user.id == idea.author_id else \
            _("An idea you follow: %(status)s", status=status_label(change.to_status))
        body = render_template(
            "ideas/email_status.txt", user=user, idea=idea, change=change,
            status=status_label(change.to_status), link=idea_link(idea),
        )
    send_mail(user.email, subject, body)


def notify_status_change(idea: Idea, change: IdeaStatusChange, actor=None) -> int:
    """Tell the author, supporters and followers; returns how many people were told."""
    recipients = status_recipients(idea, actor)
    for user in recipients:
        _add(user, STATUS_CHANGED, idea, {"title": idea.title, "status": change.to_status})
        if user.email_notifications:
            _status_email(user, idea, change)
    db.session.flush()
    return len(recipients)


def notify_comment(idea: Idea, comment, actor=None) -> int:
    """In-app note to the author and followers that the idea has a new comment.

    Only for a comment they can see: one the filters put on hold is not news to them.
    """
    if comment.moderation_state != PUBLISHED or idea.moderation_state != PUBLISHED:
        return 0
    actor_id = getattr(actor, "id", None)
    parent = comment.parent if comment.parent_id else None
    # The author of the comment answered hears of the reply (once, as a reply).
    replied = {parent.author_id} - {None, actor_id} if parent and not parent.is_deleted \
        else set()
    ids = ({idea.author_id} | _follower_ids(idea)) - replied - {actor_id}
    params = {"title": idea.title, "comment_id": comment.id}
    recipients = _active_users(ids)
    for user in recipients:
        _add(user, COMMENTED, idea, params)
    answered = _active_users(replied)
    for user in answered:
        _add(user, REPLIED, idea, params)
    db.session.flush()
    return len(recipients) + len(answered)


@dataclass(frozen=True)
class NotificationKind:
    """How a kind of notification is shown: its text and link, rendered when it is read."""

    text: Callable[[Notification], str]
    link: Callable[[Notification], str | None]


_kinds: dict[str, NotificationKind] = {}


def register_kind(kind: str, text: Callable[[Notification], str],
                  link: Callable[[Notification], str | None]) -> None:
    """Other packages add their kinds here (e.g. moderation decisions), once at import time."""
    _kinds[kind] = NotificationKind(text, link)


def _idea_withdrawn(notification: Notification) -> bool:
    """Whether the idea is no longer public (hidden or held) to this reader: then no title."""
    idea = notification.idea
    return idea is not None and idea.moderation_state != PUBLISHED \
        and idea.author_id != notification.user_id


def _withdrawn_text() -> str:
    return _("There was news about an idea that is no longer shown in the service.")


def _status_text(notification: Notification) -> str:
    if _idea_withdrawn(notification):
        return _withdrawn_text()
    params = notification.params or {}
    return _("The status of the idea “%(title)s” is now: %(status)s",
             title=params.get("title", ""), status=status_label(params.get("status", "")))


def _comment_text(notification: Notification) -> str:
    if _idea_withdrawn(notification):
        return _withdrawn_text()
    return _("New comment on the idea “%(title)s”",
             title=(notification.params or {}).get("title", ""))


def _reply_text(notification: Notification) -> str:
    if _idea_withdrawn(notification):
        return _withdrawn_text()
    return _("Someone replied to your comment on the idea “%(title)s”",
             title=(notification.params or {}).get("title", ""))


def _idea_link(anchor: Callable[[Notification], str | None]):
    def link(notification: Notification) -> str | None:
        if notification.idea_id is None or _idea_withdrawn(notification):
            return None
        return url_for("ideas.detail", idea_id=notification.idea_id,
                       _anchor=anchor(notification))

    return link


def _comment_anchor(notification: Notification) -> str | None:
    comment_id = (notification.params or {}).get("comment_id")
    return f"comment-{comment_id}" if comment_id else "comments"


register_kind(STATUS_CHANGED, _status_text, _idea_link(lambda _notification: "status"))
register_kind(COMMENTED, _comment_text, _idea_link(_comment_anchor))
register_kind(REPLIED, _reply_text, _idea_link(_comment_anchor))


def notification_text(notification: Notification) -> str:
    kind = _kinds.get(notification.kind)
    return kind.text(notification) if kind else _("Something new in the service")


def notification_link(notification: Notification) -> str | None:
    kind = _kinds.get(notification.kind)
    return kind.link(notification) if kind else None


def unread_count(user) -> int:
    """The header's badge on every signed-in page: read with the account by the user loader
    (accounts/loading.py, `unread_count_of`), else one statement built once."""
    from ..accounts.loading import loaded_unread_count

    loaded = loaded_unread_count(user)
    if loaded is not NOT_READ:
        return loaded
    return db.session.scalar(_unread_count_query(), {"user_id": user.id}) or 0


def unread_count_of(user_id) -> sa.ScalarSelect:
    """The unread count of `user_id` (a column or a value) as a subquery."""
    return (sa.select(sa.func.count()).select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .scalar_subquery())


@cache
def _unread_count_query() -> sa.Select:
    return sa.select(unread_count_of(sa.bindparam("user_id")))


def mark_all_read(user) -> int:
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def notifications_statement(user):
    return (sa.select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))
