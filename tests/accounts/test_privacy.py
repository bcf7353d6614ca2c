"""Download my data and delete my account."""

from __future__ import annotations

import json

import sqlalchemy as sa

from participation.accounts.models import User
from participation.core import privacy
from participation.extensions import db
from participation.indicators.models import ParticipationEvent
from participation.indicators.services import record_event


def test_download_my_data(client, factory, auth):
    person = factory.user(display_name="Data Person", language="sv", roles=("moderator",))
    auth.login(person.email)
    response = client.get("/profile/my-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == person.email
    assert data["account"]["display_name"] == "Data Person"
    assert data["account"]["roles"] == ["moderator", "resident"]
    assert "password" not in json.dumps(data).lower().replace("password_", "")


def test_other_domains_add_to_the_export(client, factory, auth, monkeypatch):
    monkeypatch.setattr(privacy, "_exporters", {"things": lambda user: [user.display_name]})
    person = factory.user(display_name="Thing Owner")
    auth.login(person.email)
    assert client.get("/profile/my-data.json").get_json()["things"] == ["Thing Owner"]


def test_delete_account_anonymises_and_keeps_statistics(app, client, factory, auth,
                                                        monkeypatch):
    calls = []
    monkeypatch.setattr(privacy, "_anonymisers", {"probe": lambda user: calls.append(user.id)})
    person = factory.user(roles=("staff",))
    with app.test_request_context():
        record_event("idea_submitted", user=db.session.get(User, person.id))
        db.session.commit()
    auth.login(person.email)
    wrong = client.post("/profile/delete", data={"password": "nope", "confirm": "y"})
    assert wrong.status_code == 422
    unconfirmed = client.post("/profile/delete", data={"password": person.password})
    assert unconfirmed.status_code == 422
    response = client.post("/profile/delete", data={"password": person.password, "confirm": "y"})
    assert response.status_code == 200
    assert calls == [person.id]
    with app.app_context():
        user = db.session.get(User, person.id)
        assert user.email != person.email and user.display_name == ""
        assert user.password_hash == "" and user.birth_year is None
        assert user.pseudonym_seed is None and user.deleted_at is not None
        assert user.roles == {"resident"}
        events = db.session.scalars(sa.select(ParticipationEvent)).all()
        assert len(events) == 1 and events[0].kind == "idea_submitted"
    assert client.get("/profile").status_code == 302
    assert auth.login(person.email).status_code == 422
    # The address can be used for a new account.
    assert factory.user(email=person.email).id != person.id
