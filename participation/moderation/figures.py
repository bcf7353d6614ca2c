"""Moderation figures: time to a first decision, queue length, decisions per reason."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from .models import ModerationDecision


@dataclass
class ModerationFigures:
    start: datetime
    end: datetime
    decided: int
    median_hours: float | None
    p90_hours: float | None
    queue_length: int
    per_reason: dict[str, int]
    per_action: dict[str, int]


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def median(sorted_values: list[float]) -> float | None:
    if not sorted_values:
        return None
    middle = len(sorted_values) // 2
    if len(sorted_values) % 2:
        return sorted_values[middle]
    return (sorted_values[middle - 1] + sorted_values[middle]) / 2


def figures(start: datetime, end: datetime) -> ModerationFigures:
    """Figures for decisions made by moderators in [start, end)."""
    from .queue import queue_length

    by_moderator = ModerationDecision.moderator_id.is_not(None)
    first = (
        sa.select(ModerationDecision.content_type, ModerationDecision.content_id,
                  sa.func.min(ModerationDecision.created_at).label("first_at"),
                  sa.func.min(ModerationDecision.content_created_at).label("submitted_at"))
        .where(by_moderator, ModerationDecision.content_id.is_not(None))
        .group_by(ModerationDecision.content_type, ModerationDecision.content_id)
    ).subquery()
    rows = db.session.execute(
        sa.select(first.c.first_at, first.c.submitted_at)
        .where(first.c.first_at >= start, first.c.first_at < end)).all()
    hours = sorted(
        max(0.0, (_aware(first_at) - _aware(submitted)).total_seconds() / 3600)
        for first_at, submitted in rows if submitted is not None
    )
    in_period = (by_moderator, ModerationDecision.created_at >= start,
                 ModerationDecision.created_at < end)
    per_reason = dict(db.session.execute(
        sa.select(ModerationDecision.reason, sa.func.count()).where(*in_period)
        .group_by(ModerationDecision.reason)).all())
    per_action = dict(db.session.execute(
        sa.select(ModerationDecision.action, sa.func.count()).where(*in_period)
        .group_by(ModerationDecision.action)).all())
    return ModerationFigures(
        start=start, end=end, decided=len(hours), median_hours=median(hours),
        p90_hours=percentile(hours, 0.9), queue_length=queue_length(),
        per_reason=per_reason, per_action=per_action,
    )


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)
