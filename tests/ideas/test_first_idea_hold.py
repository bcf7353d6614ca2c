"""A new account's first idea waits for a moderator (MODERATION_NEW_ACCOUNT_DAYS), and its
author is told why and by when, in their language. The rest of the suite runs with the rule
off (tests/conftest.py: every test account is new); these tests turn it on."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.formats import format_date, in_espoo_time
from participation.core.types import utcnow
from participation.extensions import db
from participation.ideas import editing
from participation.ideas.models import Idea
from participation.moderation.holds import add_working_days
from participation.moderation.models import ModerationDecision
from participation.moderation.services import decide
from tests.ideas.builders import make_idea, theme_id

# The author's explanation in each language, and the start of "expect a decision by".
EXPLANATION = {
    "en": ("It is the first idea of a new account", "so expect a decision by"),
    "fi": ("Tämä on uuden tilin ensimmäinen idea", "odota päätöstä viimeistään"),
    "sv": ("Det är den första idén från ett nytt konto", "så vänta dig ett beslut senast"),
}


@pytest.fixture
def rule_on(app):
    app.config["MODERATION_NEW_ACCOUNT_DAYS"] = 30
    yield
    app.config["MODERATION_NEW_ACCOUNT_DAYS"] = 0


def _age(app, user_id: int, days: int) -> None:
    with app.app_context():
        db.session.get(User, user_id).created_at = utcnow() - timedelta(days=days)
        db.session.commit()


def _hold(app, idea_id: int):
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        reasons = list(db.session.scalars(
            sa.select(ModerationDecision.reason).filter_by(content_type="idea",
                                                           content_id=idea_id,
                                                           action="auto_hold")))
        return idea.moderation_state, reasons


def _approve(app, idea_id: int, moderator_id: int) -> None:
    with app.test_request_context():
        decide(db.session.get(Idea, idea_id), db.session.get(User, moderator_id), "approve",
               "acceptable")
        db.session.commit()


def test_a_new_accounts_first_idea_waits_and_the_second_after_approval_does_not(
        app, factory, rule_on):
    author, moderator = factory.user(), factory.user(roles=("moderator",))
    first = make_idea(app, author.id)
    assert _hold(app, first) == ("pending", ["new_account_first_idea"])
    # Nothing published yet: a second idea before the decision waits too.
    early_second = make_idea(app, author.id, title="Lights on the path")
    assert _hold(app, early_second) == ("pending", ["new_account_first_idea"])
    _approve(app, first, moderator.id)
    assert _hold(app, first)[0] == "published"
    later = make_idea(app, author.id, title="A bench by the pond")
    assert _hold(app, later) == ("published", [])


def test_old_accounts_staff_and_a_switched_off_rule_publish_at_once(app, factory, rule_on):
    old = factory.user()
    _age(app, old.id, 31)
    assert _hold(app, make_idea(app, old.id)) == ("published", [])
    almost = factory.user()
    _age(app, almost.id, 29)
    assert _hold(app, make_idea(app, almost.id))[0] == "pending"
    for role in ("moderator", "staff", "youth_worker"):
        official = factory.user(roles=(role,))
        assert _hold(app, make_idea(app, official.id)) == ("published", []), role
    app.config["MODERATION_NEW_ACCOUNT_DAYS"] = 0
    assert _hold(app, make_idea(app, factory.user().id)) == ("published", [])


def test_one_hold_per_idea_and_a_link_keeps_its_own_reason(app, factory, rule_on):
    author = factory.user()
    linked = make_idea(app, author.id, description="See https://example.com/benches")
    assert _hold(app, linked) == ("pending", ["new_account_link"])


def test_editing_the_approved_first_idea_does_not_hold_it_again(app, factory, rule_on):
    author, moderator = factory.user(), factory.user(roles=("moderator",))
    first = make_idea(app, author.id)
    _approve(app, first, moderator.id)
    with app.test_request_context():
        held = editing.edit_idea(db.session.get(User, author.id), db.session.get(Idea, first),
                                 "Benches and shade for the park", "More benches, please.",
                                 "en")
        db.session.commit()
    assert held is False
    assert _hold(app, first) == ("published", ["new_account_first_idea"])


def _form(app, language: str) -> dict:
    return {"title": "Benches", "description": "More benches near the playground.",
            "theme": str(theme_id(app)), "area": "", "district": "", "language": language,
            "image_alt": ""}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_author_is_told_why_and_by_when_in_their_language(app, client, auth, factory,
                                                               rule_on, language):
    author = factory.user(language=language)
    auth.login(author.email)
    preview = client.post("/ideas/new/preview", data=_form(app, language))
    assert 'class="notice notice-info"' in preview.get_data(as_text=True)
    landed = client.post("/ideas/new/publish", data=_form(app, language),
                         follow_redirects=True).get_data(as_text=True)
    with app.test_request_context():
        by = format_date(add_working_days(in_espoo_time(utcnow()).date(), 2), language)
        idea_id = db.session.scalar(sa.select(Idea.id))
    why, expect = EXPLANATION[language]
    assert why in landed and f"{expect} {by}" in landed
    mine = client.get("/my/ideas").get_data(as_text=True)
    assert why in mine and f"{expect} {by}" in mine
    auth.logout()
    assert client.get(f"/ideas/{idea_id}").status_code == 404  # not public yet


def test_the_queue_and_the_log_say_why_and_approving_releases_it(app, client, auth, factory,
                                                                 rule_on):
    author = factory.user()
    idea_id = make_idea(app, author.id, title="Benches for Tapiola")
    moderator = factory.user(roles=("moderator",), language="en")
    auth.login(moderator.email)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "Why held: First idea of a new account" in queue
    log = client.get("/moderation/log").get_data(as_text=True)
    assert "First idea of a new account" in log
    client.post("/moderation/bulk", data={"approve_item": f"idea:{idea_id}"})
    assert _hold(app, idea_id)[0] == "published"
    with app.app_context():
        actions = list(db.session.scalars(
            sa.select(ModerationDecision.action).filter_by(content_type="idea",
                                                           content_id=idea_id)
            .order_by(ModerationDecision.id)))
    assert actions == ["auto_hold", "approve"]
    auth.logout()
    assert client.get(f"/ideas/{idea_id}").status_code == 200


def test_the_demo_seed_works_with_the_rule_on(app, client, rule_on):
    from participation.demo import seed_demo_data

    with app.test_request_context():
        seed_demo_data(progress=lambda _message: None)
        db.session.commit()
        states = set(db.session.scalars(sa.select(Idea.moderation_state)))
        held = db.session.scalar(sa.select(sa.func.count()).select_from(ModerationDecision)
                                 .where(ModerationDecision.reason == "new_account_first_idea"))
    assert states == {"published"}
    assert held >= 1  # the residents' first ideas went through a moderator, on the record
    assert client.get("/ideas").status_code == 200


def test_thirty_days_by_default_and_the_environment_can_switch_it_off(tmp_path):
    from participation.config import default_config, from_environment

    config = default_config(tmp_path)
    assert config["MODERATION_NEW_ACCOUNT_DAYS"] == 30
    changed = from_environment(config, {"PARTICIPATION_MODERATION_NEW_ACCOUNT_DAYS": "0"})
    assert changed["MODERATION_NEW_ACCOUNT_DAYS"] == 0
