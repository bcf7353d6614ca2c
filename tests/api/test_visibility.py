"""Hidden and held content never leaves through the API; nor do e-mails, user ids, birth years.

Each check has its positive control: the same request shows the content while it is public.
"""

from __future__ import annotations

import json

from participation.accounts.models import User
from participation.budgeting.rounds.idea_links import link_ideas
from participation.budgeting.rounds.models import Proposal
from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment
from tests.api.conftest import KNOWN_EMAILS, get_json, moderate
from tests.ideas.builders import make_comment, make_idea

SECRET_TITLE = "Zebracrossing outside Kilo school"
SECRET_TEXT = "Paint a zebracrossing by the school gate."
SECRET_COMMENT = "Quokka remark that a moderator will hide"


def _every_public_text(client, round_id: int | None = None) -> str:
    """Every API response a visitor can get, walked from the index's links, as one text."""
    urls = ["/api/v1/", "/api/v1/openapi.json", "/api/v1/areas", "/api/v1/budgeting/rounds",
            "/api/v1/ideas", "/api/v1/ideas?per_page=100", "/api/v1/ideas?q=zebracrossing",
            "/api/v1/ideas?area=1", "/api/v1/ideas?sort=discussed"]
    ideas = get_json(client, "/api/v1/ideas?per_page=100")["items"]
    urls += [f"/api/v1/ideas/{item['id']}" for item in ideas]
    for budget_round in get_json(client, "/api/v1/budgeting/rounds")["items"]:
        urls.append(f"/api/v1/budgeting/rounds/{budget_round['id']}")
        if budget_round["results_published"]:
            urls.append(f"/api/v1/budgeting/rounds/{budget_round['id']}/results")
    return "\n".join(client.get(url).get_data(as_text=True) for url in urls)


def _counts(client, idea_id: int) -> tuple[int, int]:
    body = get_json(client, f"/api/v1/ideas/{idea_id}")
    return body["comments_count"], get_json(client, "/api/v1/ideas?area=1")["total"]


def test_hidden_idea_and_comment_are_gone_from_every_endpoint(app, client, people, ideas,
                                                               results_round, factory):
    secret = make_idea(app, people.author.id, title=SECRET_TITLE,
                       description=SECRET_TEXT)
    hidden_comment = make_comment(app, people.other.id, ideas["benches"], body=SECRET_COMMENT)
    staff = factory.user(roles=("staff",))
    with app.test_request_context():
        link_ideas(db.session.get(Proposal, results_round.proposals["city"][0]), [secret],
                   db.session.get(User, staff.id))
        db.session.commit()

    # Positive control: while public, everything is there.
    text = _every_public_text(client)
    assert SECRET_TITLE in text and SECRET_TEXT in text and SECRET_COMMENT not in text
    assert get_json(client, "/api/v1/ideas?q=zebracrossing")["total"] == 1
    assert get_json(client, f"/api/v1/ideas/{secret}")["title"] == SECRET_TITLE
    assert _counts(client, ideas["benches"]) == (2, 2)

    moderate(app, Idea, secret, people.moderator.id)
    moderate(app, IdeaComment, hidden_comment, people.moderator.id)

    text = _every_public_text(client)
    assert SECRET_TITLE not in text and SECRET_TEXT not in text
    assert SECRET_COMMENT not in text
    assert get_json(client, "/api/v1/ideas?q=zebracrossing")["total"] == 0
    body = get_json(client, f"/api/v1/ideas/{secret}", status=404)
    assert body["error"]["code"] == "not_found"
    assert _counts(client, ideas["benches"]) == (1, 1)
    results = get_json(client, f"/api/v1/budgeting/rounds/{results_round.id}/results")
    assert results["budgets"][0]["selected"][0]["ideas"] == []

    moderate(app, Idea, secret, people.moderator.id, action="restore", reason="acceptable")
    assert get_json(client, f"/api/v1/ideas/{secret}")["title"] == SECRET_TITLE


def test_ideas_held_for_review_are_not_shown(app, client, people):
    held = make_idea(app, people.author.id, title=SECRET_TITLE, moderation_state="pending")
    shown = make_idea(app, people.other.id, title="Visible idea",
                      description="A different text altogether.")
    assert [item["id"] for item in get_json(client, "/api/v1/ideas")["items"]] == [shown]
    get_json(client, f"/api/v1/ideas/{held}", status=404)
    moderate(app, Idea, held, people.moderator.id, action="approve", reason="acceptable")
    assert get_json(client, f"/api/v1/ideas/{held}")["title"] == SECRET_TITLE


def test_a_merged_idea_does_not_point_at_a_hidden_one(app, client, people, ideas):
    with app.app_context():
        db.session.get(Idea, ideas["library"]).merged_into_id = ideas["benches"]
        db.session.commit()
    assert get_json(client, f"/api/v1/ideas/{ideas['library']}")["merged_into"] == \
        ideas["benches"]
    moderate(app, Idea, ideas["benches"], people.moderator.id)
    assert get_json(client, f"/api/v1/ideas/{ideas['library']}")["merged_into"] is None


def test_no_response_contains_emails_user_ids_or_birth_years(app, client, people, ideas,
                                                              results_round, auth):
    texts = [_every_public_text(client)]
    auth.login(people.moderator.email)  # a moderator sees no more through the API
    texts.append(_every_public_text(client))
    everything = "\n".join(texts)
    assert "Aino API" in everything  # the control: people's display names are there
    for email in KNOWN_EMAILS:
        assert email not in everything
    assert "@example.org" not in everything
    assert "1987" not in everything and "1999" not in everything
    for body in (json.loads(part) for part in _idea_bodies(client, ideas)):
        assert not {"author_id", "user_id", "email", "birth_year"} & _all_keys(body)


def _idea_bodies(client, ideas):
    return [client.get(f"/api/v1/ideas/{idea_id}").get_data(as_text=True)
            for key, idea_id in ideas.items() if key != "comment"]


def _all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _all_keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _all_keys(item)}
    return set()
