"""Flags, decisions (the audit trail), bans and appeals."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.types import UTCDateTime, utcnow
from ..extensions import db

ACTIONS = ("approve", "hide", "restore", "redact", "lock_comments", "unlock_comments",
           "ban", "lift_ban", "auto_hold", "dismiss_appeal")


class Flag(db.Model):
    """A resident's report that a piece of content breaks the rules: one per person per item."""

    __tablename__ = "moderation_flag"
    __table_args__ = (
        sa.UniqueConstraint("content_type", "content_id", "user_id"),
        sa.Index("ix_moderation_flag_open", "content_type", "content_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    content_id: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(sa.String(40))
    details: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User", foreign_keys=[user_id])


class ModerationDecision(db.Model):
    """Who decided what about which content, why, and the state before and after."""

    __tablename__ = "moderation_decision"
    __table_args__ = (
        sa.Index("ix_moderation_decision_content", "content_type", "content_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    moderator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    content_type: Mapped[str | None] = mapped_column(sa.String(40))
    content_id: Mapped[int | None]
    # The person the decision concerns (content author, or the banned user).
    subject_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(30), index=True)
    reason: Mapped[str] = mapped_column(sa.String(40), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # Content state (published/pending/hidden), comment lock (comments_open/comments_locked)
    # or ban state (not_banned / banned_until:<ISO time>), before and after the decision.
    state_before: Mapped[str | None] = mapped_column(sa.String(40))
    state_after: Mapped[str | None] = mapped_column(sa.String(40))
    # The text and title before personal data was edited out: moderators only, never public.
    original_text: Mapped[str | None] = mapped_column(sa.Text)
    original_title: Mapped[str | None] = mapped_column(sa.Text)
    # When the content was submitted, for the time-to-first-decision figures.
    content_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    moderator = relationship("User", foreign_keys=[moderator_id])
    subject_user = relationship("User", foreign_keys=[subject_user_id])


class Ban(db.Model):
    """A user may read but not write until `ends_at`."""

    __tablename__ = "moderation_ban"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                         index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(sa.String(40))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User", foreign_keys=[user_id])


class Appeal(db.Model):
    """An author's reply to a decision; it puts the content back in the queue."""

    __tablename__ = "moderation_appeal"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        sa.ForeignKey("moderation_decision.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    decision: Mapped[ModerationDecision] = relationship()


class MonthlyFigures(db.Model):
    """The moderation figures of one calendar month (UTC), recorded for the indicators."""

    __tablename__ = "moderation_monthly_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7), unique=True)  # YYYY-MM
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    items_decided: Mapped[int]
    median_hours: Mapped[float | None] = mapped_column(sa.Float)
    p90_hours: Mapped[float | None] = mapped_column(sa.Float)
    queue_length: Mapped[int]
    per_reason: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    per_action: Mapped[dict] = mapped_column(sa.JSON, default=dict)
