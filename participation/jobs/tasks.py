"""The tasks themselves: deliver one mail, sweep the outbox, close ended rounds, record figures."""

from __future__ import annotations

import os
import smtplib
from datetime import timedelta
from email import message_from_string, policy
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..config import private_folder
from ..core.types import utcnow
from ..extensions import db
from .models import OutgoingMail
from .queue import enqueue, task

SWEEP_AFTER = timedelta(seconds=30)  # a hand-off to the queue older than this was lost
KEEP_SENT = timedelta(days=7)


def _claim(mail_id: int) -> OutgoingMail | None:
    """Take the delivery lease (a conditional update: one worker wins, on both databases)."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    table = OutgoingMail.__table__
    claimed = db.session.execute(
        table.update()
        .where(table.c.id == mail_id, table.c.sent_at.is_(None), table.c.failed_at.is_(None),
               sa.or_(table.c.claimed_at.is_(None), table.c.claimed_at < now - lease))
        .values(claimed_at=now, attempts=table.c.attempts + 1)
    ).rowcount
    db.session.commit()
    return db.session.get(OutgoingMail, mail_id) if claimed else None


def outbox_path(folder: Path, mail: OutgoingMail) -> Path:
    return folder / f"{mail.created_at.strftime('%Y%m%dT%H%M%S%f')}-{mail.id}.eml"


def _write_once(path: Path, data: bytes) -> None:
    """Write a new file atomically; a file already there is this mail written before a crash.
    Mail holds reset links and addresses: only the service's own user may read it (0600)."""
    private_folder(path.parent)
    if path.exists():
        return
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(data)
    os.replace(temporary, path)


@task("mail.deliver")
def deliver_mail(mail_id: int) -> bool:
    """Hand one message to SMTP or the outbox folder, at most once per lease."""
    mail = _claim(mail_id)
    if mail is None:
        return False  # sent already, failed for good, or another worker holds it
    config = current_app.config
    data = mail.message.encode("utf-8")
    try:
        if not config["MAIL_SERVER"]:
            path = outbox_path(Path(config["OUTBOX_DIR"]), mail)
            _write_once(path, data)
            current_app.logger.info("Mail to %s written to %s: %s", mail.recipient, path,
                                    mail.subject)
        else:
            message = message_from_string(mail.message, policy=policy.SMTP)
            with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
                if config["MAIL_USE_TLS"]:
                    smtp.starttls()
                if config["MAIL_USERNAME"]:
                    smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
                smtp.send_message(message)
    except Exception as error:
        _release(mail, error)
        raise
    mail.sent_at = utcnow()
    db.session.commit()
    return True


def _release(mail: OutgoingMail, error: Exception) -> None:
    """Free the lease so a retry can claim it; after the last attempt keep the message aside."""
    config = current_app.config
    db.session.rollback()
    mail = db.session.get(OutgoingMail, mail.id)
    mail.claimed_at = None
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    if mail.attempts > len(config["JOBS_RETRY_DELAYS"]):
        mail.failed_at = utcnow()
        _write_once(outbox_path(Path(config["OUTBOX_DIR"]) / "undelivered", mail),
                    mail.message.encode("utf-8"))
    db.session.commit()


@task("mail.sweep")
def sweep_outbox(now=None) -> list[int]:
    """Enqueue mail whose hand-off was lost or whose worker died; forget old sent mail."""
    now = now or utcnow()
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    waiting = db.session.scalars(
        sa.select(OutgoingMail.id).where(
            OutgoingMail.sent_at.is_(None), OutgoingMail.failed_at.is_(None),
            OutgoingMail.created_at < now - SWEEP_AFTER,
            sa.or_(OutgoingMail.claimed_at.is_(None), OutgoingMail.claimed_at < now - lease),
        ).order_by(OutgoingMail.id)).all()
    db.session.execute(sa.delete(OutgoingMail).where(OutgoingMail.sent_at < now - KEEP_SENT))
    db.session.commit()
    for mail_id in waiting:
        enqueue("mail.deliver", mail_id)
    return list(waiting)


@task("budgeting.close_ended")
def close_ended_rounds() -> list[int]:
    from ..budgeting.voting.casting import close_ended_votes

    closed = close_ended_votes()
    db.session.commit()
    return closed


@task("hearings.close_ended")
def close_ended_hearings() -> list[int]:
    """Close ended hearings (their responses shuffled), then drop the old row versions."""
    from ..hearings.services import close_ended
    from ..hearings.shuffle import vacuum

    closed = close_ended()
    db.session.commit()
    # Also after hearings that a page request closed lazily since the last run.
    with db.engine.connect() as connection:
        vacuum(connection)
    return closed


@task("moderation.record_figures")
def record_monthly_figures() -> str:
    from ..moderation.figures import record_previous_month

    row = record_previous_month()
    db.session.commit()
    return row.month


@task("indicators.rebuild_rollup")
def rebuild_participation_rollup() -> int:
    """Refold the participant-period roll-up from the events (repairs any drift)."""
    from ..indicators.rollup import rebuild

    rows = rebuild()
    db.session.commit()
    return rows
