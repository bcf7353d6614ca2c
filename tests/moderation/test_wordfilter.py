"""The word lists and spam patterns, and the admin page that edits them."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from participation.core.types import utcnow
from participation.moderation.wordfilter import screen

OLD = SimpleNamespace(created_at=utcnow() - timedelta(days=400))
NEW = SimpleNamespace(created_at=utcnow() - timedelta(hours=1))


@pytest.mark.parametrize("text, language, expected", [
    ("Hyvä idea puistoon", "fi", None),
    ("Perkeleen hyvä idea", "fi", "word_filter"),
    ("Det här är en jävla bra idé", "sv", "word_filter"),
    ("This is fucking great", "en", "word_filter"),
    ("Kukka-aiheinen puisto", "fi", None),  # the Swedish list does not apply to Finnish
    ("Buy cheap viagra now", "en", "spam_pattern"),
    ("aaaaaaaaaaaaaaaaa", "en", "spam_pattern"),
    ("osta osta osta osta osta osta osta", "fi", "spam_pattern"),
])
def test_screen(app, text, language, expected):
    with app.app_context():
        assert screen(text, language, OLD) == expected


def test_links_from_new_accounts(app):
    with app.app_context():
        text = "Katso https://example.com/tarjous"
        assert screen(text, "fi", NEW) == "new_account_link"
        assert screen(text, "fi", OLD) is None


def test_admin_edits_word_list(app, client, factory, auth):
    admin = factory.user(roles=("admin",), language="en")
    auth.login(admin.email)
    page = client.get("/moderation/wordlists?list=wordlist_fi").get_data(as_text=True)
    assert "vittu*" in page
    response = client.post("/moderation/wordlists?list=wordlist_fi",
                           data={"text": "porkkana*\n", "reason": "test"})
    assert response.status_code == 302
    with app.app_context():
        assert screen("Porkkanakakku", "fi", OLD) == "word_filter"
        assert screen("Vittu", "fi", OLD) is None
    bad = client.post("/moderation/wordlists?list=spam_patterns",
                      data={"text": "(unclosed\n", "reason": "test"})
    assert bad.status_code == 422
    assert client.get("/moderation/wordlists?list=nope").status_code == 404


def test_moderators_cannot_edit_word_lists(client, factory, auth):
    auth.login(factory.user(roles=("moderator",)).email)
    assert client.get("/moderation/wordlists").status_code == 403
