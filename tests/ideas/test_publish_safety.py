"""Publishing safely: big images answered in the form, lost images said, one idea per form."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.models import Area
from participation.extensions import db
from participation.ideas import images, services
from participation.ideas.models import Idea
from tests.i18n_helpers import translated
from tests.ideas.builders import image_bytes, theme_id

MB = 1024 * 1024
DESCRIPTION = "Trees along the shore path, please."


def _form(app, **changes) -> dict:
    with app.app_context():
        area = db.session.scalar(sa.select(Area.id).where(Area.code == 2))
    data = {"title": "Shade for the shore", "description": DESCRIPTION,
            "theme": str(theme_id(app)), "area": str(area), "district": "", "language": "en",
            "image_alt": ""}
    data.update(changes)
    return data


def _hidden(body: str, name: str) -> str:
    return re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', body).group(1)


def _ideas(app) -> list[int]:
    with app.app_context():
        return db.session.scalars(sa.select(Idea.id)).all()


def _preview(app, client, **changes) -> str:
    response = client.post("/ideas/new/preview", data=_form(app, **changes),
                           content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_7_mb_image_is_refused_in_the_form_with_the_text_kept(app, client, auth, resident):
    auth.login(resident.email)
    big = b"\xff\xd8" + b"0" * (7 * MB)
    response = client.post("/ideas/new/preview", content_type="multipart/form-data",
                           data=_form(app, image=(io.BytesIO(big), "big.jpg")))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    message = translated(app, "The image is larger than 5 MB. Choose a smaller image.", "en")
    assert 'id="image-error"' in body and message in body
    assert 'value="Shade for the shore"' in body
    assert f"{DESCRIPTION}</textarea>" in body


def test_a_body_over_the_limit_gets_the_translated_413_page(app, client, auth, factory):
    auth.login(factory.user(language="sv").email)
    too_big = b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/ideas/new/preview", content_type="multipart/form-data",
                           data=_form(app, image=(io.BytesIO(too_big), "huge.jpg")))
    assert response.status_code == 413
    assert translated(app, "The upload is too large", "sv") in response.get_data(as_text=True)
    assert app.config["MAX_CONTENT_LENGTH"] > 7 * MB


def test_an_expired_image_at_publish_asks_for_the_image_again(app, client, auth, resident,
                                                              monkeypatch):
    auth.login(resident.email)
    body = _preview(app, client, image_alt="The shore",
                    image=(io.BytesIO(image_bytes()), "shore.jpg"))
    token, key = _hidden(body, "image_token"), _hidden(body, "publish_key")
    monkeypatch.setattr(images, "PENDING_MAX_AGE", -1)  # the day has passed
    response = client.post("/ideas/new/publish", data=_form(
        app, image_alt="The shore", image_token=token, publish_key=key))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    message = translated(app, "The image you added is no longer kept, because it was added "
                              "too long ago. Choose the image again.", "en")
    assert 'id="image-error"' in body and message in body
    assert 'value="Shade for the shore"' in body and 'value="The shore"' in body
    assert _ideas(app) == []


def test_publishing_the_same_form_twice_makes_one_idea(app, client, auth, resident):
    auth.login(resident.email)
    body = _preview(app, client, image_alt="The shore",
                    image=(io.BytesIO(image_bytes()), "shore.jpg"))
    data = _form(app, image_alt="The shore", image_token=_hidden(body, "image_token"),
                 publish_key=_hidden(body, "publish_key"))
    first = client.post("/ideas/new/publish", data=data)
    second = client.post("/ideas/new/publish", data=data)
    [idea_id] = _ideas(app)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert second.headers["Location"].endswith(f"/ideas/{idea_id}")
    with app.app_context():
        assert db.session.get(Idea, idea_id).image_file
    # A new form has a new key, so the same text can be proposed again on purpose.
    again = _preview(app, client)
    assert _hidden(again, "publish_key") != data["publish_key"]
    client.post("/ideas/new/publish", data=_form(app, publish_key=_hidden(again,
                                                                          "publish_key")))
    assert len(_ideas(app)) == 2


def test_two_requests_at_once_with_one_key_make_one_idea(app, resident, monkeypatch):
    """The second request missed the first one's idea when it looked: the database refuses."""
    key = "k" * 32
    draft = services.IdeaDraft(title="Shade", description=DESCRIPTION,
                               theme_id=theme_id(app), language="en")
    with app.test_request_context():
        author = db.session.get(User, resident.id)
        first, created = services.publish_idea(author, draft, publish_key=key)
        db.session.commit()
        assert created
        looked = []
        real = services.idea_published_with

        def miss_once(user, publish_key):
            looked.append(publish_key)
            return None if len(looked) == 1 else real(user, publish_key)

        monkeypatch.setattr(services, "idea_published_with", miss_once)
        second, created = services.publish_idea(author, draft, publish_key=key)
        db.session.commit()
        assert (second.id, created, len(looked)) == (first.id, False, 2)
    assert len(_ideas(app)) == 1
