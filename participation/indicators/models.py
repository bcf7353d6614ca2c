"""Participation events: one row per action, pseudonymous, the raw material of the indicators."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.types import UTCDateTime, utcnow
from ..extensions import db

# What a person did. New features add kinds here (and nowhere else), at the END: the roll-up
# (indicators/rollup.py) keeps kinds and channels as bits in this order.
EVENT_KINDS = (
    "idea_submitted",
    "idea_supported",
    "comment_posted",
    "flag_raised",
    "proposal_submitted",
    "ballot_cast",
    "hearing_answered",
)
# How they took part (new channels at the end, as above).
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


class ParticipantPeriod(db.Model):
    """The roll-up: one row per person and reporting period (year "2026", quarter "2026-Q1",
    month "2026-03", Helsinki time), folded exactly as the indicators fold a person's events:
    smallest area id, oldest age band, smallest language group, every channel and kind used
    (bit masks in CHANNELS / EVENT_KINDS order), the number of events, and the person's first
    event ever (repeat participants). Kept up when events are inserted (rollup.py) and rebuilt
    by `participation indicators rollup` and the monthly job."""

    __tablename__ = "participant_period"
    __table_args__ = (
        # Covers the people query of a period and the monthly trend (GROUP BY its prefix).
        sa.Index("ix_participant_period_cells", "period", "area_id", "age_band",
                 "language_group", "channels", "kinds", "first_at", "events"),
    )

    participant_key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    area_id: Mapped[int | None]
    age_band: Mapped[str | None] = mapped_column(sa.String(16))
    language_group: Mapped[str | None] = mapped_column(sa.String(16))
    channels: Mapped[int] = mapped_column(default=0)
    kinds: Mapped[int] = mapped_column(default=0)
    events: Mapped[int] = mapped_column(default=0)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
