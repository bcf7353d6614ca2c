"""Sessions end for real: a copied cookie stops working after logout, a password change or
reset, or a ban, in every browser of the person (the version is in the database, so several
app servers agree)."""

from __future__ import annotations

from participation.accounts import services
from participation.accounts.models import User
from participation.extensions import db

COOKIE = "osallistu_session"


def _logged_in_client(app, auth_email, password=None):
    from tests.factories import DEFAULT_PASSWORD

    client = app.test_client()
    response = client.post("/login", data={"email": auth_email,
                                           "password": password or DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    return client


def _replay(app, cookie_value):
    """A fresh browser (or another app server) presenting a stolen copy of the cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, cookie_value)
    return other.get("/profile").status_code


def test_a_copied_cookie_fails_after_logout(app, factory):
    person = factory.user()
    client = _logged_in_client(app, person.email)
    stolen = client.get_cookie(COOKIE).value
    assert _replay(app, stolen) == 200  # the copy works while the session lives
    assert client.post("/logout").status_code == 302
    assert _replay(app, stolen) == 302


def test_logout_ends_every_session_of_the_person(app, factory):
    person = factory.user()
    laptop = _logged_in_client(app, person.email)
    phone = _logged_in_client(app, person.email)
    laptop.post("/logout")
    assert phone.get("/profile").status_code == 302


def test_password_change_ends_other_sessions_and_keeps_this_one(app, factory):
    person = factory.user()
    here = _logged_in_client(app, person.email)
    elsewhere = _logged_in_client(app, person.email)
    stolen = here.get_cookie(COOKIE).value
    new = "toinen hyvä salalause"
    response = here.post("/profile/password", data={
        "current_password": person.password, "password": new, "confirm_password": new})
    assert response.status_code == 302
    assert here.get("/profile").status_code == 200
    assert elsewhere.get("/profile").status_code == 302
    assert _replay(app, stolen) == 302


def test_password_reset_ends_every_session(app, factory):
    person = factory.user()
    client = _logged_in_client(app, person.email)
    with app.test_request_context():
        token = services.make_reset_token(db.session.get(User, person.id),
                                          app.config["SECRET_KEY"])
    new = "kolmas hyvä salalause"
    reset = app.test_client().post(f"/password/reset/{token}",
                                   data={"password": new, "confirm_password": new})
    assert reset.status_code == 302
    assert client.get("/profile").status_code == 302


def test_a_ban_ends_every_session(app, factory):
    person = factory.user()
    moderator = factory.user(roles=("moderator",))
    client = _logged_in_client(app, person.email)
    staff = _logged_in_client(app, moderator.email)
    response = staff.post(f"/moderation/users/{person.id}/ban",
                          data={"action": "ban", "days": "7", "reason": "harassment"})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 302
    assert staff.get("/profile").status_code == 200


def test_a_forged_version_does_not_load(app, factory):
    person = factory.user()
    with app.test_request_context():
        user = db.session.get(User, person.id)
        assert user.get_id() == f"{person.id}.0"
        loader = app.login_manager._user_callback
        assert loader(f"{person.id}.0") is not None
        for login in (f"{person.id}", f"{person.id}.1", f"{person.id}.x", "", "x.0"):
            assert loader(login) is None, login
