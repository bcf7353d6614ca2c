"""Logging in and out, without revealing whether an email has an account."""

from __future__ import annotations

from participation.accounts.models import User
from participation.extensions import db


def test_login_and_logout(client, factory, auth):
    person = factory.user()
    response = auth.login(person.email)
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/profile").status_code == 302


def test_login_returns_to_next_page(client, factory):
    person = factory.user()
    response = client.post("/login?next=/profile/password",
                           data={"email": person.email, "password": person.password})
    assert response.headers["Location"] == "/profile/password"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, factory):
    person = factory.user()
    wrong = client.post("/login", data={"email": person.email, "password": "wrong password"},
                        headers={"Accept-Language": "en"})
    unknown = client.post("/login", data={"email": "nobody@example.org",
                                          "password": "wrong password"},
                          headers={"Accept-Language": "en"})
    assert wrong.status_code == unknown.status_code == 422
    message = "The email address or password is not correct."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    strip = lambda html: html.replace(person.email, "").replace("nobody@example.org", "")  # noqa
    assert strip(wrong.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))


def test_login_keeps_email_on_error(client, factory):
    response = client.post("/login", data={"email": "kept@example.org", "password": "x"})
    assert 'value="kept@example.org"' in response.get_data(as_text=True)


def test_login_is_rate_limited(client, factory):
    person = factory.user()
    statuses = [client.post("/login", data={"email": person.email, "password": "bad"})
                .status_code for _ in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


def test_deleted_account_cannot_log_in(app, client, factory):
    from participation.core.types import utcnow

    person = factory.user()
    with app.app_context():
        db.session.get(User, person.id).deleted_at = utcnow()
        db.session.commit()
    response = client.post("/login", data={"email": person.email, "password": person.password})
    assert response.status_code == 422


def test_logout_needs_post(client, factory, auth):
    person = factory.user()
    auth.login(person.email)
    assert client.get("/logout").status_code == 405
    assert client.get("/profile").status_code == 200
