"""Participation events: one row per action, pseudonymous, the raw material of the indicators."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.types import UTCDateTime, utcnow
from ..extensions import db

# What a person did. New features add kinds here (and nowhere else).
EVENT_KINDS = (
    "idea_submitted",
    "idea_supported",
    "comment_posted",
    "flag_raised",
    "proposal_submitted",
    "ballot_cast",
    "hearing_answered",
)
# How they took part.
CHANNELS = ("web", "school_code", "paper", "assisted")
# Language groups reported (the service language used; mother tongue is never collected).
LANGUAGE_GROUPS = ("fi", "sv", "other")


class ParticipationEvent(db.Model):
    """Someone (known only by a keyed hash) took part: what, when, where, age band, language."""

    __tablename__ = "participation_event"
    __table_args__ = (
        sa.Index("ix_participation_event_kind_occurred_at", "kind", "occurred_at"),
        # The indicators read a period's events from these two (see indicators/compute.py).
        sa.Index("ix_participation_event_period_cells", "occurred_at", "participant_key",
                 "area_id", "age_band", "language_group", "channel", "kind"),
        sa.Index("ix_participation_event_key_occurred_at", "participant_key", "occurred_at",
                 "area_id", "age_band", "language_group", "channel", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    participant_key: Mapped[str] = mapped_column(sa.String(64), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    process_type: Mapped[str | None] = mapped_column(sa.String(40))
    process_id: Mapped[int | None]
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"), index=True)
    age_band: Mapped[str | None] = mapped_column(sa.String(16))
    language_group: Mapped[str] = mapped_column(sa.String(16), default="other")
    channel: Mapped[str] = mapped_column(sa.String(20), default="web")
    # The interface language the action was taken in ("fi", "fi-x-selko", "ar"...); None when
    # not through the site (paper, assisted) or from before it was recorded.
    interface_language: Mapped[str | None] = mapped_column(sa.String(16))
