"""Profile editing and changing the password."""

from __future__ import annotations

from participation.accounts.models import User
from participation.extensions import db


def test_profile_shows_and_saves_details(app, client, factory, auth):
    person = factory.user(display_name="Vanha Nimi", area_code=1)
    auth.login(person.email)
    html = client.get("/profile").get_data(as_text=True)
    assert 'value="Vanha Nimi"' in html and person.email in html
    response = client.post("/profile", data={
        "display_name": "Uusi Nimi", "birth_year": "1985",
        "home_area": str(factory.area_id(7)), "preferred_language": "en",
        "email_notifications": "y"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, person.id)
        assert (user.display_name, user.birth_year, user.home_area.code,
                user.preferred_language, user.email_notifications) == (
            "Uusi Nimi", 1985, 7, "en", True)


def test_profile_errors_keep_input(client, factory, auth):
    person = factory.user(language="en")
    auth.login(person.email)
    response = client.post("/profile", data={
        "display_name": "", "birth_year": "1985", "home_area": str(factory.area_id(2)),
        "preferred_language": "fi"}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "Enter the name shown to others." in response.get_data(as_text=True)


def test_change_password(client, factory, auth):
    person = factory.user(language="en")
    auth.login(person.email)
    wrong = client.post("/profile/password", data={
        "current_password": "not it", "password": "toinen hyvä lause",
        "confirm_password": "toinen hyvä lause"}, headers={"Accept-Language": "en"})
    assert wrong.status_code == 422
    assert "Your current password is not correct." in wrong.get_data(as_text=True)
    right = client.post("/profile/password", data={
        "current_password": person.password, "password": "toinen hyvä lause",
        "confirm_password": "toinen hyvä lause"})
    assert right.status_code == 302
    auth.logout()
    assert auth.login(person.email, "toinen hyvä lause").status_code == 302
