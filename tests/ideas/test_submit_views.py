"""Proposing an idea through the pages: form, preview, edit, publish, images, errors."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from participation.core.models import Area, District
from participation.extensions import db
from participation.ideas.models import Idea
from tests.ideas.builders import image_bytes, theme_id

DESCRIPTION = "We need shade.\n\n- trees\n- benches"


def _form(app, **changes) -> dict:
    with app.app_context():
        area = db.session.scalar(sa.select(Area).where(Area.code == 2))
        data = {"title": "Shade for Tapiola", "description": DESCRIPTION,
                "theme": str(theme_id(app)), "area": str(area.id), "district": "",
                "language": "sv", "image_alt": ""}
    data.update(changes)
    return data


def _hidden(body: str, name: str) -> str | None:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', body)
    return match.group(1) if match else None


def _ideas(app) -> list[Idea]:
    with app.app_context():
        return db.session.scalars(sa.select(Idea)).all()


def test_form_defaults_to_interface_language_and_home_area(app, client, auth, factory):
    person = factory.user(language="sv", area_code=3)
    auth.login(person.email)
    body = client.get("/ideas/new").get_data(as_text=True)
    with app.app_context():
        area_id = db.session.scalar(sa.select(Area.id).where(Area.code == 3))
    assert '<option selected value="sv">' in body
    assert f'<option selected value="{area_id}">' in body
    assert 'enctype="multipart/form-data"' in body


def test_preview_edit_and_publish_keep_everything(app, client, auth, resident):
    auth.login(resident.email)
    preview = client.post("/ideas/new/preview", data=_form(app))
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "<ul><li>trees</li><li>benches</li></ul>" in body
    assert _hidden(body, "title") == "Shade for Tapiola"
    assert _hidden(body, "description") == DESCRIPTION
    assert 'formaction="/ideas/new"' in body
    assert _ideas(app) == []
    back = client.post("/ideas/new", data=_form(app)).get_data(as_text=True)
    assert 'value="Shade for Tapiola"' in back
    assert "We need shade.\n\n- trees\n- benches</textarea>" in back
    published = client.post("/ideas/new/publish", data=_form(app))
    [idea] = _ideas(app)
    assert published.status_code == 302
    assert published.headers["Location"].endswith(f"/ideas/{idea.id}")
    assert (idea.title, idea.language, idea.author_id) == ("Shade for Tapiola", "sv", resident.id)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'lang="sv"' in page and "Shade for Tapiola" in page


def test_refused_input_is_shown_with_the_text_kept(app, client, auth, resident):
    auth.login(resident.email)
    for changes, field in (({"title": ""}, "title"), ({"title": "x" * 121}, "title"),
                           ({"description": ""}, "description"), ({"theme": ""}, "theme")):
        response = client.post("/ideas/new/preview", data=_form(app, **changes))
        body = response.get_data(as_text=True)
        assert response.status_code == 422, changes
        assert f'id="{field}-error"' in body
        assert 'class="error-summary"' in body
        if field != "description":
            assert "We need shade." in body
    publish = client.post("/ideas/new/publish", data=_form(app, title=""))
    assert publish.status_code == 422
    assert _ideas(app) == []


def test_district_must_be_in_the_chosen_area(app, client, auth, resident):
    auth.login(resident.email)
    with app.app_context():
        elsewhere = db.session.scalar(
            sa.select(District.id).join(Area).where(Area.code == 5).limit(1))
    response = client.post("/ideas/new/preview", data=_form(app, district=str(elsewhere)))
    assert response.status_code == 422
    assert 'id="district-error"' in response.get_data(as_text=True)


def test_image_is_kept_through_preview_and_published(app, client, auth, resident, other):
    auth.login(resident.email)
    data = _form(app, image_alt="A sunny square",
                 image=(io.BytesIO(image_bytes("PNG", exif=False)), "square.png"))
    preview = client.post("/ideas/new/preview", data=data, content_type="multipart/form-data")
    body = preview.get_data(as_text=True)
    token = _hidden(body, "image_token")
    assert preview.status_code == 200 and token
    pending = client.get(f"/ideas/new/image/{token}")
    assert (pending.status_code, pending.mimetype) == (200, "image/jpeg")
    edit = client.post("/ideas/new", data=_form(app, image_alt="A sunny square",
                                                image_token=token))
    assert f"/ideas/new/image/{token}" in edit.get_data(as_text=True)
    client.post("/ideas/new/publish",
                data=_form(app, image_alt="A sunny square", image_token=token))
    [idea] = _ideas(app)
    assert idea.image_file and idea.image_alt == "A sunny square"
    served = client.get(f"/ideas/{idea.id}/image")
    assert (served.status_code, served.mimetype) == (200, "image/jpeg")
    assert served.data[:2] == b"\xff\xd8"
    auth.logout()
    auth.login(other.email)
    assert client.get(f"/ideas/new/image/{token}").status_code == 404


def test_bad_images_give_clear_errors_and_keep_the_text(app, client, auth, resident):
    auth.login(resident.email)
    cases = [
        (b"just text, not a picture", "photo.jpg", "image"),
        (b"\xff\xd8" + b"0" * (5 * 1024 * 1024), "big.jpg", "image"),
        (image_bytes(), "fine.jpg", "image_alt"),
    ]
    for content, name, field in cases:
        data = _form(app, image=(io.BytesIO(content), name))
        response = client.post("/ideas/new/preview", data=data,
                               content_type="multipart/form-data")
        body = response.get_data(as_text=True)
        assert response.status_code == 422, name
        assert f'id="{field}-error"' in body, name
        assert "Shade for Tapiola" in body
    # The good image without a description is kept while the description is added.
    assert re.search(r'name="image_token" type="hidden" value="[^"]+"', body)


def test_premoderated_idea_waits_and_is_hidden_from_others(app, client, auth, resident, other,
                                                          factory):
    app.config["IDEAS_PREMODERATION"] = True
    try:
        auth.login(resident.email)
        response = client.post("/ideas/new/publish", data=_form(app), follow_redirects=True)
    finally:
        app.config["IDEAS_PREMODERATION"] = False
    [idea] = _ideas(app)
    assert idea.moderation_state == "pending"
    assert 'class="notice notice-info"' in response.get_data(as_text=True)
    assert "Shade for Tapiola" not in client.get("/ideas").get_data(as_text=True)
    auth.logout()
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    auth.login(other.email)
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    auth.logout()
    moderator = factory.user(roles=("moderator",))
    auth.login(moderator.email)
    assert client.get(f"/ideas/{idea.id}").status_code == 200


def test_publishing_is_rate_limited(app, client, auth, resident):
    auth.login(resident.email)
    statuses = [client.post("/ideas/new/publish", data=_form(app, title="")).status_code
                for _ in range(11)]
    assert statuses == [422] * 10 + [429]


def test_image_description_error_shows_on_the_first_submit_with_other_errors(
        app, client, auth, resident):
    """A missing image description is reported with the form's other errors, not only once
    they are fixed."""
    auth.login(resident.email)
    data = _form(app, title="", image=(io.BytesIO(image_bytes()), "fine.jpg"))
    response = client.post("/ideas/new/preview", data=data, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-error"' in body
    assert 'id="image_alt-error"' in body
