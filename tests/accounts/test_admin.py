"""The admin pages for users and roles."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.models import AuditEntry
from participation.extensions import db


def test_admin_lists_and_searches_users(client, factory, auth):
    admin = factory.user(roles=("admin",))
    factory.user(display_name="Mirja Moderaattori", roles=("moderator",))
    factory.user(display_name="Risto Resident")
    auth.login(admin.email)
    html = client.get("/admin/users?q=mirja").get_data(as_text=True)
    assert "Mirja Moderaattori" in html and "Risto Resident" not in html
    html = client.get("/admin/users?role=moderator").get_data(as_text=True)
    assert "Mirja Moderaattori" in html and "Risto Resident" not in html


def test_admin_grants_and_revokes_with_reason_and_audit(app, client, factory, auth):
    admin = factory.user(roles=("admin",))
    person = factory.user()
    auth.login(admin.email)
    no_reason = client.post(f"/admin/users/{person.id}",
                            data={"role": "youth_worker", "reason": "", "action": "grant"})
    assert no_reason.status_code == 422
    response = client.post(f"/admin/users/{person.id}", data={
        "role": "youth_worker", "reason": "Nuorisopalvelut", "action": "grant"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, person.id).has_role("youth_worker")
        entry = db.session.scalar(sa.select(AuditEntry).filter_by(target_id=person.id))
        assert entry.actor_id == admin.id and entry.reason == "Nuorisopalvelut"
        assert entry.before == {"roles": ["resident"]}
        assert entry.after == {"roles": ["resident", "youth_worker"]}
    html = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Nuorisopalvelut" in html
    client.post(f"/admin/users/{person.id}", data={
        "role": "youth_worker", "reason": "Ended", "action": "revoke"})
    with app.app_context():
        assert not db.session.get(User, person.id).has_role("youth_worker")


def test_unknown_user_is_404_and_bad_action_400(client, factory, auth):
    admin = factory.user(roles=("admin",))
    auth.login(admin.email)
    assert client.get("/admin/users/999999").status_code == 404
    response = client.post(f"/admin/users/{admin.id}",
                           data={"role": "staff", "reason": "x", "action": "explode"})
    assert response.status_code == 400


def test_pagination_of_users(client, factory, auth):
    admin = factory.user(roles=("admin",))
    for _ in range(21):
        factory.user()
    auth.login(admin.email)
    first = client.get("/admin/users").get_data(as_text=True)
    assert 'rel="next"' in first
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second
    assert client.get("/admin/users?page=abc").status_code == 200
