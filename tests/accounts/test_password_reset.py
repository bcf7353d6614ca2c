"""Password reset through the email outbox."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from itsdangerous import URLSafeTimedSerializer

from participation.accounts import services


def _messages(outbox):
    return [message_from_bytes(path.read_bytes(), policy=default_policy)
            for path in sorted(outbox.glob("*.eml"))]


def _link(message) -> str:
    body = message.get_content()
    return re.search(r"http://127.0.0.1:5000(/password/reset/\S+)", body).group(1)


def test_reset_flow(client, factory, outbox):
    person = factory.user(language="en")
    response = client.post("/password/forgot", buffered=True, data={"email": person.email},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    [message] = _messages(outbox)
    assert message["To"] == person.email
    link = _link(message)
    assert client.get(link).status_code == 200
    new_password = "uusi turvallinen lause"
    response = client.post(link, data={"password": new_password,
                                       "confirm_password": new_password})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.post("/login", data={"email": person.email, "password": new_password}) \
        .status_code == 302
    # The link works once only.
    used = client.get(link, headers={"Accept-Language": "en"})
    assert used.status_code == 400 and "already been used" in used.get_data(as_text=True)


def test_unknown_email_gets_the_same_page_and_no_mail(client, outbox):
    response = client.post("/password/forgot", data={"email": "nobody@example.org"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert _messages(outbox) == []


def test_expired_token(app, client, factory):
    person = factory.user()
    with app.app_context():
        from participation.accounts.models import User
        from participation.extensions import db

        user = db.session.get(User, person.id)
        serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=services.RESET_SALT)
        token = serializer.dumps([user.id, services._password_fingerprint(user)])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(f"/password/reset/{token}", headers={"Accept-Language": "en"})
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert response.status_code == 400
    assert "has expired" in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "x" * 300])
def test_tampered_token(client, token):
    response = client.get(f"/password/reset/{token}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_weak_new_password_refused(client, factory, outbox):
    person = factory.user()
    client.post("/password/forgot", buffered=True, data={"email": person.email})
    link = _link(_messages(outbox)[0])
    response = client.post(link, data={"password": "short", "confirm_password": "short"})
    assert response.status_code == 422


def test_reset_email_in_recipients_language(app, client, factory, outbox):
    from tests.i18n_helpers import translated

    person = factory.user(language="sv")
    client.post("/password/forgot", buffered=True, data={"email": person.email},
                headers={"Accept-Language": "sv"})
    [message] = _messages(outbox)
    assert message["Subject"] == translated(app, "Reset your Osallistu Espoo password", "sv")
