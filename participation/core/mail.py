"""Outgoing email: SMTP when configured, otherwise an outbox folder in instance/ and the log.

A message is written as an `OutgoingMail` row in the same transaction as the change it reports
(a transactional outbox) and handed to the job queue when that transaction commits: a
rolled-back change never sends mail, a committed one never loses it (the outbox sweep re-queues
a lost hand-off), a slow or failing mail server never breaks the change (delivery is retried
with back-off; mail still refused after the last attempt is kept in instance/outbox/undelivered/
and listed on /admin/jobs), and a delivery lease with an idempotent outbox write keeps a
message from being sent twice.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from ..extensions import db
from ..jobs.models import OutgoingMail
from ..jobs.queue import enqueue
from .types import utcnow

PENDING = "outgoing_mail"


def compose(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="osallistu.espoo.fi")
    message.set_content(body)
    return message


def _row(message: EmailMessage) -> OutgoingMail:
    return OutgoingMail(recipient=str(message["To"]), subject=str(message["Subject"])[:400],
                        message=message.as_string(), created_at=utcnow(), attempts=0)


def send_mail(to: str, subject: str, body: str, *, immediately: bool = False) -> EmailMessage:
    """Send a plain-text message, after the current transaction commits unless `immediately`
    (then it is stored on its own and handed over at once)."""
    message = compose(to, subject, body)
    session = db.session()
    if not immediately and session.in_transaction():
        row = _row(message)
        session.add(row)
        session.flush()
        session.info.setdefault(PENDING, []).append(row.id)
        return message
    app = current_app._get_current_object()
    with app.app_context():  # a session of its own: the caller's transaction stays untouched
        row = _row(message)
        db.session.add(row)
        db.session.commit()
        mail_id = row.id
        db.session.remove()
    enqueue("mail.deliver", mail_id, app=app)
    return message


@sa.event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    mail_ids = session.info.pop(PENDING, [])
    if mail_ids:
        app = current_app._get_current_object()
        for mail_id in mail_ids:
            enqueue("mail.deliver", mail_id, app=app)


@sa.event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
