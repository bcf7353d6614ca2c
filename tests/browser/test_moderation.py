"""A moderator hides a flagged comment; its author sees the reason and can answer."""

from __future__ import annotations

import pytest

from participation.accounts.models import User
from participation.extensions import db
from participation.ideas.models import IdeaComment
from participation.moderation import services
from tests.browser.helpers import assert_accessible
from tests.i18n_helpers import translated
from tests.ideas.builders import ensure_themes, make_comment, make_idea


def _login(page, live_server, person):
    page.goto(live_server + "/login")
    page.fill("#email", person.email)
    page.fill("#password", person.password)
    page.click("form button[type=submit].button")


@pytest.fixture
def flagged_comment(app, factory):
    ensure_themes(app)
    author = factory.user(display_name="Kim Kommentoija", language="sv")
    idea = make_idea(app, factory.user().id, title="Uusi uimaranta", language="fi")
    comment = make_comment(app, author.id, idea, body="Ni är alla idioter", language="sv")
    with app.test_request_context():
        flagger = db.session.get(User, factory.user().id)
        services.flag_content(db.session.get(IdeaComment, comment), flagger, "harassment")
        db.session.commit()
    return author, idea, comment


def test_moderator_hides_flagged_comment_and_author_sees_reason(app, factory, new_page,
                                                                 live_server, flagged_comment):
    author, idea, comment = flagged_comment
    moderator = factory.user(roles=("moderator",), language="fi")
    page = new_page()
    _login(page, live_server, moderator)
    page.goto(live_server + "/moderation/")
    assert page.locator(".queue-item").count() >= 1
    page.click(f"a[href='/moderation/item/idea_comment/{comment}']")
    page.check("input[name=action][value=hide]")
    page.select_option("#reason", "harassment")
    page.fill("#note", "Loukkaava kommentti")
    page.click("form button[type=submit].button")
    assert page.url.endswith("/moderation/")

    author_page = new_page()
    _login(author_page, live_server, author)
    author_page.goto(f"{live_server}/ideas/{idea}")
    reason = translated(app, "This content was removed because it harassed others or "
                             "contained hate speech.", "sv")
    assert reason in author_page.locator(f"#comment-{comment}").inner_text()
    author_page.goto(live_server + "/notifications")
    author_page.click("a[href*='/appeal']")
    author_page.fill("#text", "Jag menade inte så.")
    author_page.click("form button[type=submit].button")
    assert author_page.locator(".flash-success").is_visible()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_moderation_pages_are_accessible(app, factory, new_page, live_server, language,
                                         flagged_comment):
    _author, _idea, comment = flagged_comment
    moderator = factory.user(roles=("moderator", "admin"), language=language)
    page = new_page()
    _login(page, live_server, moderator)
    for path in ("/moderation/", f"/moderation/item/idea_comment/{comment}",
                 "/moderation/log", "/moderation/figures", "/moderation/wordlists",
                 f"/moderation/report/idea_comment/{comment}"):
        page.goto(live_server + path)
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
