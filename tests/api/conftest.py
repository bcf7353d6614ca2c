"""API test data: people with known e-mails, ideas and a round with published results."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from participation.accounts.models import User
from participation.budgeting.results.tally import publish_results
from participation.budgeting.rounds.models import BudgetRound
from participation.extensions import db
from participation.moderation import services as moderation
from tests.budgeting.builders import PB, RoundRef, en
from tests.budgeting.test_voting import _cast
from tests.ideas.builders import ensure_themes, make_comment, make_idea

KNOWN_EMAILS = ("aino.api@example.org", "bertil.api@example.org", "moderator.api@example.org")


@pytest.fixture(autouse=True)
def _themes(app):
    ensure_themes(app)
    yield


@pytest.fixture
def pb(app, factory):
    return PB(app, factory)


@dataclass
class People:
    author: object
    other: object
    moderator: object


@pytest.fixture
def people(factory) -> People:
    return People(
        author=factory.user(email=KNOWN_EMAILS[0], display_name="Aino API", birth_year=1987),
        other=factory.user(email=KNOWN_EMAILS[1], display_name="Bertil API", birth_year=1999),
        moderator=factory.user(email=KNOWN_EMAILS[2], roles=("moderator",),
                               display_name="Mona Moderator"),
    )


def get_json(client, url: str, status: int = 200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.data[:300])
    assert response.is_json, (url, response.content_type)
    return response.get_json()


def moderate(app, model, obj_id: int, moderator_id: int, action: str = "hide",
             reason: str = "spam") -> None:
    """A moderator's decision through the moderation service, committed as the view does."""
    with app.test_request_context():
        moderation.decide(db.session.get(model, obj_id), db.session.get(User, moderator_id),
                          action, reason)
        db.session.commit()


@pytest.fixture
def ideas(app, people) -> dict[str, int]:
    """Three published ideas (one city-wide, one in Swedish) and a comment on the first."""
    made = {
        "benches": make_idea(app, people.author.id, title="Benches for Leppävaara park",
                             area_code=1, theme="parks-nature", language="en"),
        "library": make_idea(app, people.other.id, title="Longer library opening hours",
                             description="Open the library on Sundays.", area_code=None,
                             theme="culture", language="en"),
        "lights": make_idea(app, people.other.id, title="Belysning längs stranden",
                            description="Mer ljus på strandpromenaden.", area_code=2,
                            theme="parks-nature", language="sv", status="under_review"),
    }
    made["comment"] = make_comment(app, people.other.id, made["benches"],
                                   body="Yes, and shade too!")
    return made


@pytest.fixture
def results_round(app, pb, people) -> RoundRef:
    """A city-wide round of four proposals: 3 voters for p1+p2, 1 for p3; results published."""
    ref = pb.round(rule="greedy", budgets={"city": 100_000},
                   costs={"city": [40_000, 30_000, 20_000, 10_000]})
    p1, p2, p3, _p4 = ref.proposals["city"]
    voters = pb.voters(4)
    for voter in voters[:3]:
        _cast(app, ref, voter, {p1: 1, p2: 1})
    _cast(app, ref, voters[3], {p3: 1})
    pb.move_to(ref.id, "results")
    with en(app):
        publish_results(db.session.get(BudgetRound, ref.id), None)
        db.session.commit()
    return ref
