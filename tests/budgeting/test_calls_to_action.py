"""Visitors not signed in see the round's buttons, sign in, and land where they meant to go."""

from __future__ import annotations

import html
import re

import pytest

from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.factories import DEFAULT_PASSWORD

EN = {"Accept-Language": "en"}


def _link(page: str, text: str) -> str:
    match = re.search(r'<a class="button[^"]*" href="([^"]+)">' + re.escape(text) + "</a>", page)
    assert match, f"no button {text!r}"
    return html.unescape(match.group(1))


@pytest.mark.parametrize("state, text, target", [
    ("voting", "Sign in to vote", "/vote"),
    ("proposals", "Sign in to make a proposal", "/propose"),
])
def test_visitor_signs_in_from_the_round_page_and_lands_there(client, pb, factory, state,
                                                               text, target):
    ref = pb.round(state=state)
    page = client.get(f"/budgeting/{ref.id}", headers=EN).text
    login_url = _link(page, text)
    assert login_url.startswith("/login?next=")
    user = factory.user(language="en")
    response = client.post(login_url, data={"email": user.email,
                                            "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/budgeting/{ref.id}{target}"
    assert client.get(response.headers["Location"], headers=EN).status_code == 200


def test_no_call_to_vote_outside_voting(client, pb):
    ref = pb.round(state="review")
    page = client.get(f"/budgeting/{ref.id}", headers=EN).text
    assert "Sign in to vote" not in page and "Sign in to make a proposal" not in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_sign_in_never_leaves_the_site(client, factory, target):
    user = factory.user(language="en")
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
