"""Mail waiting to leave (a transactional outbox) and tasks that failed for good."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.types import UTCDateTime, utcnow
from ..extensions import db


class OutgoingMail(db.Model):
    """One message, written in the same transaction as the change it reports.

    It leaves only if that transaction commits; `claimed_at` marks a delivery in progress (a
    lease: a worker killed mid-delivery leaves it to be retried), `sent_at` the delivery.
    """

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(400))
    message: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)


class JobFailure(db.Model):
    """A task that still failed after its last retry (shown to admins)."""

    __tablename__ = "job_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(sa.String(80))
    arguments: Mapped[str] = mapped_column(sa.String(400), default="")
    error: Mapped[str] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=1)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
