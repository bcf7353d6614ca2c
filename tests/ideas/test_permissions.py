"""Who may do what on every ideas route: anonymous, the author, another resident, staff."""

from __future__ import annotations

import io

import pytest

from participation.extensions import db
from participation.ideas import images
from participation.ideas.models import Idea
from tests.ideas.builders import image_bytes, make_comment, make_idea

LOGIN = "login"  # redirected to the login page
ROLES = ("anonymous", "author", "other", "staff")

# (method, url template, data, expected status for anonymous, author, other, staff)
MATRIX = [
    ("GET", "/ideas", None, (200, 200, 200, 200)),
    ("GET", "/ideas/{published}", None, (200, 200, 200, 200)),
    ("GET", "/ideas/{pending}", None, (404, 200, 404, 200)),
    ("GET", "/ideas/{pending}/image", None, (404, 200, 404, 200)),
    ("GET", "/ideas/{published}/image", None, (404, 404, 404, 404)),
    ("GET", "/ideas/999999", None, (404, 404, 404, 404)),
    ("GET", "/ideas/new", None, (LOGIN, 200, 200, 200)),
    ("POST", "/ideas/new", {}, (LOGIN, 200, 200, 200)),
    ("POST", "/ideas/new/preview", {}, (LOGIN, 422, 422, 422)),
    ("POST", "/ideas/new/publish", {}, (LOGIN, 422, 422, 422)),
    ("GET", "/ideas/new/image/not-a-token", None, (LOGIN, 404, 404, 404)),
    ("POST", "/ideas/{published}/support", {}, (LOGIN, 302, 302, 302)),
    ("POST", "/ideas/{published}/unsupport", {}, (LOGIN, 302, 302, 302)),
    ("POST", "/ideas/{published}/follow", {}, (LOGIN, 302, 302, 302)),
    ("POST", "/ideas/{published}/unfollow", {}, (LOGIN, 302, 302, 302)),
    ("POST", "/ideas/{pending}/support", {}, (LOGIN, 302, 404, 302)),
    ("POST", "/ideas/{published}/comments", {"body": ""}, (LOGIN, 422, 422, 422)),
    ("POST", "/ideas/{pending}/comments", {"body": "Hi"}, (LOGIN, 422, 404, 422)),
    ("GET", "/ideas/comments/{comment}/edit", None, (LOGIN, 200, 403, 403)),
    ("POST", "/ideas/comments/{comment}/edit", {"body": "Edited"}, (LOGIN, 302, 403, 403)),
    ("GET", "/ideas/comments/{comment}/delete", None, (LOGIN, 200, 403, 403)),
    ("GET", "/ideas/{published}/status", None, (LOGIN, 403, 403, 200)),
    ("POST", "/ideas/{published}/status", {"status": "answered"}, (LOGIN, 403, 403, 422)),
    ("GET", "/my/ideas", None, (LOGIN, 200, 200, 200)),
    ("GET", "/my/activity", None, (LOGIN, 200, 200, 200)),
    ("GET", "/notifications", None, (LOGIN, 200, 200, 200)),
    ("POST", "/notifications/read", {}, (LOGIN, 302, 302, 302)),
    ("GET", "/admin/themes", None, (LOGIN, 403, 403, 403)),
    ("GET", "/admin/themes/new", None, (LOGIN, 403, 403, 403)),
    ("POST", "/admin/themes/1/move", {"direction": "up"}, (LOGIN, 403, 403, 403)),
    # Last: the author's deletion changes the comment for the rows above.
    ("POST", "/ideas/comments/{comment}/delete", {}, (LOGIN, 302, 403, 403)),
]


@pytest.fixture
def objects(app, resident):
    published = make_idea(app, resident.id)
    pending = make_idea(app, resident.id, title="Pending", moderation_state="pending")
    with app.test_request_context():
        _token, stored = images.store_pending(io.BytesIO(image_bytes()), resident.id)
        final = images.publish_pending(stored)
        db.session.get(Idea, pending).image_file = final.file_name
        db.session.commit()
    comment = make_comment(app, resident.id, published)
    return {"published": published, "pending": pending, "comment": comment}


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
def test_every_route_for_every_role(app, client, auth, objects, resident, other, staff,
                                    role_index, role):
    person = {"author": resident, "other": other, "staff": staff}.get(role)
    if person is not None:
        auth.login(person.email)
    problems = []
    for method, template, data, expected in MATRIX:
        url = template.format(**objects)
        response = client.open(url, method=method, data=data)
        wanted = expected[role_index]
        if wanted == LOGIN:
            ok = response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            ok = response.status_code == wanted
        if not ok:
            problems.append((method, url, wanted, response.status_code))
    assert problems == []
