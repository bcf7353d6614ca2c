"""Admins add, edit, reorder and take themes out of use; the idea form offers active ones."""

from __future__ import annotations

import sqlalchemy as sa

from participation.core.models import AuditEntry
from participation.extensions import db
from participation.ideas.models import Theme
from tests.ideas.builders import theme_id

NEW_THEME = {"name_fi": "Eläimet", "name_sv": "Djur", "name_en": "Animals", "slug": "animals",
             "position": "9", "active": "y"}


def _slugs(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(sa.select(Theme.slug).order_by(Theme.position, Theme.id)).all()


def test_admin_adds_edits_and_reorders_themes(app, client, auth, factory):
    admin = factory.user(roles=("admin",))
    auth.login(admin.email)
    assert client.get("/admin/themes").status_code == 200
    assert client.post("/admin/themes/new", data=NEW_THEME).status_code == 302
    assert _slugs(app)[-1] == "animals"
    clash = client.post("/admin/themes/new", data={**NEW_THEME, "name_en": "Pets"})
    assert clash.status_code == 422 and 'id="slug-error"' in clash.get_data(as_text=True)
    bad = client.post("/admin/themes/new", data={**NEW_THEME, "slug": "Not OK", "name_sv": ""})
    assert bad.status_code == 422
    animals = theme_id(app, "animals")
    client.post(f"/admin/themes/{animals}/move", data={"direction": "up"})
    assert _slugs(app)[-2:] == ["animals", "learning"]
    client.post(f"/admin/themes/{animals}", data={**NEW_THEME, "active": ""})
    with app.app_context():
        theme = db.session.get(Theme, animals)
        assert theme.active is False
        actions = db.session.scalars(sa.select(AuditEntry.action)
                                     .where(AuditEntry.target_type == "theme")).all()
    assert actions == ["theme.create", "theme.move", "theme.update"]


def test_inactive_themes_are_not_offered_for_new_ideas(app, client, auth, factory):
    with app.app_context():
        db.session.get(Theme, theme_id(app, "culture")).active = False
        db.session.commit()
    person = factory.user()
    auth.login(person.email)
    page = client.get("/ideas/new").get_data(as_text=True)
    form = page[page.index('id="theme" name="theme"'):]
    form = form[:form.index("</select>")]
    assert f'value="{theme_id(app, "culture")}"' not in form
    assert f'value="{theme_id(app, "learning")}"' in form
    listing = client.get("/ideas").get_data(as_text=True)
    assert 'value="culture"' in listing
