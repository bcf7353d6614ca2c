"""An idea held for moderation tells its author why and by when to expect a decision: on the
page they land on after publishing, on the idea page (author only) and in "my ideas"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from participation.core.formats import format_date, in_espoo_time
from participation.core.types import utcnow
from participation.extensions import db
from participation.ideas.models import Idea
from participation.moderation.holds import add_working_days
from tests.ideas.builders import theme_id

LINK_REASON = "It contains a link, and your account is new"
PREMODERATION_REASON = "Every new idea is read by a moderator before it is shown to others."


@pytest.mark.parametrize("start, days, expected", [
    (date(2026, 12, 4), 2, date(2026, 12, 8)),   # Friday -> Tuesday
    (date(2026, 12, 5), 2, date(2026, 12, 8)),   # Saturday -> Tuesday
    (date(2026, 11, 30), 2, date(2026, 12, 2)),  # Monday -> Wednesday
    (date(2026, 12, 3), 5, date(2026, 12, 10)),  # Thursday + a week of working days
    (date(2026, 12, 3), 0, date(2026, 12, 3)),
])
def test_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def _form(app, **changes) -> dict:
    data = {"title": "Cheap tyres", "description": "See https://example.com/tyres for more.",
            "theme": str(theme_id(app)), "area": "", "district": "", "language": "en",
            "image_alt": ""}
    data.update(changes)
    return data


def _expected(app, days: int) -> str:
    with app.test_request_context():
        return format_date(add_working_days(in_espoo_time(utcnow()).date(), days), "en")


def test_a_new_accounts_link_is_explained_to_its_author(app, client, auth, factory):
    author = factory.user(language="en")  # made just now: a new account
    auth.login(author.email)
    landed = client.post("/ideas/new/publish", data=_form(app), follow_redirects=True)
    body = landed.get_data(as_text=True)
    with app.app_context():
        idea = db.session.scalar(sa.select(Idea))
        assert idea.moderation_state == "pending"
        idea_id = idea.id
    assert LINK_REASON in body
    by = _expected(app, 2)
    assert f"within 2 working days, so expect a decision by {by}." in body
    mine = client.get("/my/ideas").get_data(as_text=True)
    assert LINK_REASON in mine and by in mine
    auth.logout()
    moderator = factory.user(roles=("moderator",), language="en")
    auth.login(moderator.email)
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "waiting for moderation" in page and LINK_REASON not in page


def test_premoderation_and_the_configured_working_days(app, client, auth, factory):
    author = factory.user(language="en")
    app.config.update(IDEAS_PREMODERATION=True, MODERATION_DECISION_WORKING_DAYS=5)
    try:
        auth.login(author.email)
        body = client.post("/ideas/new/publish",
                           data=_form(app, title="Shade", description="Trees, please."),
                           follow_redirects=True).get_data(as_text=True)
        assert PREMODERATION_REASON in body and LINK_REASON not in body
        assert f"within 5 working days, so expect a decision by {_expected(app, 5)}." in body
    finally:
        app.config.update(IDEAS_PREMODERATION=False, MODERATION_DECISION_WORKING_DAYS=2)


def test_the_finnish_page_says_it_in_finnish(app, client, auth, factory):
    author = factory.user(language="fi")
    auth.login(author.email)
    body = client.post("/ideas/new/publish", data=_form(app),
                       follow_redirects=True).get_data(as_text=True)
    with app.test_request_context():
        by = format_date(add_working_days(in_espoo_time(utcnow()).date(), 2), "fi")
    assert "Siinä on linkki, ja tilisi on uusi" in body
    assert f"odota päätöstä viimeistään {by}." in body


def test_published_ideas_and_old_accounts_show_no_hold(app, client, auth, factory):
    author = factory.user(language="en")
    with app.app_context():
        from participation.accounts.models import User

        db.session.get(User, author.id).created_at = utcnow() - timedelta(days=30)
        db.session.commit()
    auth.login(author.email)
    body = client.post("/ideas/new/publish", data=_form(app),
                       follow_redirects=True).get_data(as_text=True)
    assert "Why:" not in body and "working day" not in body
    assert "working day" not in client.get("/my/ideas").get_data(as_text=True)
