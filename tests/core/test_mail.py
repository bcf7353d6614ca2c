"""Mail leaves with the committed change, never with a rolled-back one, and never breaks it."""

from __future__ import annotations

import socket

from participation.accounts.models import User
from participation.core.mail import send_mail
from participation.extensions import db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


def test_mail_waits_for_the_commit(app, outbox, factory):
    person = factory.user()
    with app.test_request_context():
        db.session.get(User, person.id).display_name = "Renamed"
        send_mail(person.email, "Subject", "Body")
        assert list(outbox.glob("*.eml")) == []
        db.session.commit()
    assert len(list(outbox.glob("*.eml"))) == 1


def test_rolled_back_change_sends_no_mail(app, outbox, factory):
    person = factory.user()
    with app.test_request_context():
        db.session.get(User, person.id).display_name = "Renamed"
        send_mail(person.email, "Subject", "Body")
        db.session.rollback()
        db.session.commit()
    assert list(outbox.glob("*.eml")) == []


def test_immediate_mail_outside_a_change(app, outbox):
    with app.test_request_context():
        send_mail("someone@example.org", "Subject", "Body", immediately=True)
    assert len(list(outbox.glob("*.eml"))) == 1


def test_refusing_mail_server_keeps_the_change_and_the_message(app, outbox, factory):
    person = factory.user()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_closed_port(), MAIL_USE_TLS=False)
    try:
        with app.test_request_context():
            db.session.get(User, person.id).display_name = "Renamed"
            send_mail(person.email, "Subject", "Body")
            db.session.commit()
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=587, MAIL_USE_TLS=True)
    with app.app_context():
        assert db.session.get(User, person.id).display_name == "Renamed"
    kept = list((outbox / "undelivered").glob("*.eml"))
    assert len(kept) == 1 and person.email in kept[0].read_text()
    kept[0].unlink()
