"""The page frame (head links, header, footer) comes from the fragment cache
(core/layout.py): the same markup as rendered afresh for every role, page and language, the
unread count as it is now, each session's own log-out token, and no session for a visitor."""

from __future__ import annotations

import re

import pytest

from participation.core.fragments import EXTENSION
from participation.extensions import db
from participation.ideas.models import Notification
from tests.factories import DEFAULT_PASSWORD

TOKEN = re.compile(r'(name="csrf_token" value=")[^"]+"')
LOGOUT_TOKEN = re.compile(r'action="/logout" class="inline-form">\s*<input type="hidden" '
                          r'name="csrf_token" value="([^"]+)"')
PAGES = {None: ["/", "/ideas", "/budgeting/", "/hearings/", "/login", "/privacy"],
         "user": ["/", "/ideas", "/profile", "/notifications"],
         "moderator": ["/", "/moderation/"],
         "admin": ["/", "/admin/users"]}


def _frame(html: str) -> str:
    """Everything but <main> (the page's own content), tokens blanked (a signed token differs
    from one second to the next)."""
    start, end = html.index('<main id="main"'), html.index("</main>")
    return TOKEN.sub(r'\1"', html[:start] + html[end:])


def _sign_in(app, role, language):
    client = app.test_client()
    if role is not None:
        from tests.factories import Factory

        roles = () if role == "user" else (role,)
        person = Factory(app).user(roles=roles, language=language)
        client.post("/login", data={"email": person.email, "password": DEFAULT_PASSWORD})
    return client


@pytest.mark.parametrize("role", list(PAGES))
@pytest.mark.parametrize("language", ["fi", "sv", "en", "ar"])
def test_the_cached_frame_is_the_frame_rendered_afresh(app, monkeypatch, role, language):
    client = _sign_in(app, role, language)
    headers = {"Accept-Language": language}
    pages = {}
    for path in PAGES[role]:
        client.get(path, headers=headers)
        answer = client.get(path, headers=headers)  # the frame from the cache
        assert answer.status_code == 200, path
        pages[path] = _frame(answer.text)
    monkeypatch.setitem(app.extensions, EXTENSION, False)  # off: rendered afresh
    for path, cached in pages.items():
        assert _frame(client.get(path, headers=headers).text) == cached, path
    assert 'aria-current="page"' in pages["/"]


def test_the_unread_count_and_the_log_out_token_are_each_persons_own(app, factory):
    people = [factory.user(language="en") for _ in range(2)]
    clients = []
    for person in people:
        client = app.test_client()
        client.post("/login", data={"email": person.email, "password": DEFAULT_PASSWORD})
        clients.append(client)
    tokens = [LOGOUT_TOKEN.search(client.get("/").text).group(1) for client in clients]
    assert tokens[0] != tokens[1]
    with app.app_context():
        db.session.add(Notification(user_id=people[0].id, kind="comment", params={}))
        db.session.commit()
    first, second = (client.get("/").text for client in clients)
    assert "(1 unread)" in first and "unread)" not in second


def test_a_visitors_frame_starts_no_session(app):
    client = app.test_client()
    for _ in range(2):
        answer = client.get("/ideas")
        assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
        assert "csrf_token" not in _frame(answer.text)


@pytest.mark.parametrize("back", ["/", "/ideas?q=puisto penkki&sort=relevance",
                                  "/ideas?q=%C3%A4%26x", "/budgeting/3/vote/10",
                                  "/ideas?q=ääkkönen/€;:@!$'()*,", "/a b?c=d#e"])
def test_the_language_links_are_url_fors_own(app, back):
    """layout.language_urls builds each language's path once: the links are still exactly
    what url_for gives, for any page to come back to, under any site root."""
    from flask import url_for

    from participation.core.layout import language_urls

    languages = app.config["LANGUAGES"]
    for root in ("", "/osallistu"):
        with app.test_request_context("/", base_url=f"http://localhost{root}"):
            expected = [url_for("core.set_language", code=choice.interface, next=back)
                        for choice in languages]
            assert language_urls(languages, back) == expected
            assert all(url.startswith(f"{root}/") for url in expected)
