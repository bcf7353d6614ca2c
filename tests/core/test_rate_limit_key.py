"""Write limits count per account when signed in (many residents share a school's address)."""

from __future__ import annotations

from tests.ideas.builders import make_idea


def _comment_statuses(client, idea_id, times):
    return [client.post(f"/ideas/{idea_id}/comments", data={"body": ""}).status_code
            for _ in range(times)]


def test_each_account_has_its_own_limit_behind_one_address(app, client, auth, factory):
    author, first, second = factory.user(), factory.user(), factory.user()
    idea_id = make_idea(app, author.id)
    auth.login(first.email)
    assert _comment_statuses(client, idea_id, 31)[-1] == 429
    auth.logout()
    auth.login(second.email)  # same client address, another person
    assert _comment_statuses(client, idea_id, 1) == [422]


def test_anonymous_limits_count_per_address(client, factory):
    person = factory.user()
    statuses = [client.post("/login", data={"email": person.email, "password": "wrong"}
                            ).status_code for _ in range(30)]
    assert 429 in statuses
