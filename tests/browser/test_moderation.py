"""A moderator hides a flagged comment; its author sees the reason and can answer."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.extensions import db
from participation.ideas.models import IdeaComment
from participation.moderation import services
from tests.browser.helpers import assert_accessible, click_to_load
from tests.i18n_helpers import translated
from tests.ideas.builders import ensure_themes, make_comment, make_idea


def _login(page, live_server, person):
    page.goto(live_server + "/login")
    page.fill("#email", person.email)
    page.fill("#password", person.password)
    click_to_load(page, "form button[type=submit].button")


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
    click_to_load(page, f"a[href='/moderation/item/idea_comment/{comment}']")
    page.check("input[name=action][value=hide]")
    page.select_option("#reason", "harassment")
    page.fill("#note", "Loukkaava kommentti")
    click_to_load(page, "form button[type=submit].button")
    assert page.url.endswith("/moderation/")

    author_page = new_page()
    _login(author_page, live_server, author)
    author_page.goto(f"{live_server}/ideas/{idea}")
    reason = translated(app, "This content was removed because it harassed others or "
                             "contained hate speech.", "sv")
    assert reason in author_page.locator(f"#comment-{comment}").inner_text()
    author_page.goto(live_server + "/notifications")
    click_to_load(author_page, "a[href*='/appeal']")
    author_page.fill("#text", "Jag menade inte så.")
    click_to_load(author_page, "form button[type=submit].button")
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


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_ban_appeal_banned_and_removed_pages_are_accessible(app, factory, new_page,
                                                           live_server, language):
    from participation.ideas.models import Idea
    from participation.moderation.models import ModerationDecision

    ensure_themes(app)
    author = factory.user(language=language)
    moderator = factory.user(roles=("moderator",), language=language)
    idea = make_idea(app, author.id, title="Uusi uimaranta", language="fi")
    with app.test_request_context():
        mod = db.session.get(User, moderator.id)
        decision = services.decide(db.session.get(Idea, idea), mod, "hide", "spam")
        services.ban_user(db.session.get(User, author.id), mod, 3, "spam")
        db.session.commit()
        decision_id = decision.id
        ban_id = db.session.scalar(sa.select(ModerationDecision.id).filter_by(action="ban"))
    page = new_page()
    _login(page, live_server, moderator)
    page.goto(f"{live_server}/moderation/users/{author.id}/ban")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    author_page = new_page()
    _login(author_page, live_server, author)
    for path in (f"/moderation/decisions/{decision_id}/appeal",
                 f"/moderation/decisions/{ban_id}/appeal"):
        author_page.goto(live_server + path)
        assert author_page.locator("html").get_attribute("lang") == language
        assert_accessible(author_page)
    # Any write while banned shows the banned page.
    author_page.goto(f"{live_server}/profile")
    with author_page.expect_navigation():
        author_page.evaluate("""() => { const token = document.querySelector(
            'input[name=csrf_token]').value; const f = document.createElement('form');
            f.method = 'post'; f.action = '/profile'; const i = document.createElement('input');
            i.type = 'hidden'; i.name = 'csrf_token'; i.value = token; f.appendChild(i);
            document.body.appendChild(f); f.submit(); }""")
    assert author_page.locator("h1").inner_text() == translated(
        app, "You cannot write at the moment", language)
    assert_accessible(author_page)
    anonymous = new_page()
    anonymous.goto(f"{live_server}/ideas/{idea}")
    assert anonymous.locator(".narrow h1").count() == 1
    assert_accessible(anonymous)
