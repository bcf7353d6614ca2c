"""Outgoing email: SMTP when configured, otherwise an outbox folder in instance/ and the log."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from .types import utcnow


def send_mail(to: str, subject: str, body: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="osallistu.espoo.fi")
    message.set_content(body)
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        outbox = Path(config["OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        path = outbox / f"{stamp}.eml"
        path.write_bytes(bytes(message))
        current_app.logger.info("Mail to %s written to %s: %s", to, path, subject)
    return message
