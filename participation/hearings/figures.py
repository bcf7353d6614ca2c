"""What the goal 1 indicators read about hearings: how many were held, and how many of them
had their feedback published by the due date (the feedback loop the Youth Act asks for)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from .models import CLOSED, Hearing
from .services import HELSINKI


def held_and_answered_on_time(start: datetime, end: datetime) -> tuple[int, int]:
    """(hearings closed in [start, end), of them with feedback published by its due day)."""
    rows = db.session.execute(
        sa.select(Hearing.feedback_due, Hearing.feedback_published_at)
        .where(Hearing.state == CLOSED, Hearing.closed_at >= start,
               Hearing.closed_at < end)).all()
    on_time = sum(1 for due, published in rows
                  if published is not None and published.astimezone(HELSINKI).date() <= due)
    return len(rows), on_time
