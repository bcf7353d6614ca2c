"""Outgoing email: SMTP when configured, otherwise an outbox folder in instance/ and the log.

Mail written during a database transaction leaves only when that transaction commits, all in
one SMTP connection, so a rolled-back change never sends mail and a slow or failing mail
server never breaks the change. Mail the server refuses is kept in instance/outbox/undelivered/.
"""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from ..config import private_folder
from ..extensions import db
from .types import utcnow

PENDING = "outgoing_mail"


def send_mail(to: str, subject: str, body: str, *, immediately: bool = False) -> EmailMessage:
    """Send a plain-text message, after the current transaction commits unless `immediately`."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="osallistu.espoo.fi")
    message.set_content(body)
    session = db.session()
    if not immediately and session.in_transaction():
        session.info.setdefault(PENDING, []).append(message)
    else:
        deliver(current_app._get_current_object(), [message])
    return message


def deliver(app: Flask, messages: list[EmailMessage]) -> None:
    """Hand the messages to SMTP (one connection) or write them to the outbox; never raise."""
    if not messages:
        return
    config = app.config
    if not config["MAIL_SERVER"]:
        for message in messages:
            path = _write(Path(config["OUTBOX_DIR"]), message)
            app.logger.info("Mail to %s written to %s: %s", message["To"], path,
                            message["Subject"])
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            for message in messages:
                smtp.send_message(message)
    except (smtplib.SMTPException, OSError):
        undelivered = Path(config["OUTBOX_DIR"]) / "undelivered"
        for message in messages:
            _write(undelivered, message)
        app.logger.exception("The mail server refused %d message(s); kept in %s",
                             len(messages), undelivered)


def _write(folder: Path, message: EmailMessage) -> Path:
    # Mail holds reset links and addresses: only the service's own user may read it.
    private_folder(folder)
    path = folder / f"{utcnow().strftime('%Y%m%dT%H%M%S%f')}-{id(message):x}.eml"
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
        handle.write(bytes(message))
    return path


@sa.event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    messages = session.info.pop(PENDING, [])
    if messages:
        deliver(current_app._get_current_object(), messages)


@sa.event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
