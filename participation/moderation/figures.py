"""Moderation figures: time to a first decision, queue length, decisions per reason."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from ..core.types import utcnow
from ..extensions import db
from .models import ModerationDecision, MonthlyFigures


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


def figures(start: datetime, end: datetime, queue_now: int | None = None) -> ModerationFigures:
    """Figures for decisions made by moderators in [start, end).

    `queue_now` saves counting the queue again when several periods are shown together.
    """
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
        p90_hours=percentile(hours, 0.9),
        queue_length=queue_length() if queue_now is None else queue_now,
        per_reason=per_reason, per_action=per_action,
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of a calendar month given as YYYY-MM (UTC); ValueError if malformed."""
    start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else \
        start.replace(month=start.month + 1)
    return start, end


def record_month(month: str) -> MonthlyFigures:
    """Compute and store (or overwrite) the figures of one month, for the indicators."""
    start, end = month_bounds(month)
    result = figures(start, end)
    row = db.session.scalar(sa.select(MonthlyFigures).filter_by(month=month))
    if row is None:
        row = MonthlyFigures(month=month)
        db.session.add(row)
    row.recorded_at = utcnow()
    row.items_decided = result.decided
    row.median_hours = result.median_hours
    row.p90_hours = result.p90_hours
    row.queue_length = result.queue_length
    row.per_reason = dict(result.per_reason)
    row.per_action = dict(result.per_action)
    db.session.flush()
    return row


def record_previous_month(now: datetime | None = None) -> MonthlyFigures:
    """The monthly job: record the month that has just ended."""
    now = now or utcnow()
    first = now.astimezone(UTC).replace(day=1)
    previous = first.replace(year=first.year - 1, month=12) if first.month == 1 else \
        first.replace(month=first.month - 1)
    return record_month(previous.strftime("%Y-%m"))
