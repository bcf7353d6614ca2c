"""Every word in the right language: Chromium reads the pages in Finnish and Swedish, as
residents, a moderator, staff and an administrator see them, and fails on English interface text.

English interface text is any message in the code or templates whose Finnish (or Swedish)
translation differs from its English source, or is missing, found on the page outside user content
(elements whose `lang` differs from the page's, such as ideas and comments written in English;
people's names; addresses).
"""

from __future__ import annotations

import re
from functools import cache

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

from participation.budgeting.rounds.models import BudgetRound
from participation.demo import seed_demo_data
from participation.extensions import db
from participation.ideas.models import Idea
from participation.moderation.models import ModerationDecision
from participation.translate import TRANSLATIONS
from tests.browser.helpers import log_in
from tests.i18n_helpers import source_messages
from tests.ideas.builders import make_idea

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
# Words that are the same in every language here (names, abbreviations, formats).
# International names a translation keeps in brackets, e.g. "Tasaosuusmenetelmä (Method of
# Equal Shares)": they are part of the translation, not English left untranslated.
KEPT_IN_TRANSLATIONS = ("Method of Equal Shares",)
SAME_EVERYWHERE = {"Osallistu Espoo", "Espoo", "Pabulib", "JSON", "CSV", "WCAG", "OK",
                   "Suomi", "Svenska", "English", "Email", "E-mail", "PDF"}

# Text nodes and accessible-name attributes, skipping hidden elements and elements (with their
# descendants) whose lang is not the page's.
VISIBLE_INTERFACE_TEXT = """() => {
  const pageLang = document.documentElement.lang;
  const foreign = (el) => {
    const owner = el.closest('[lang]');
    return owner && owner !== document.documentElement && owner.lang !== pageLang;
  };
  const shown = (el) => el.checkVisibility ? el.checkVisibility() : true;
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    // Form values (a textarea's text) are content, not interface.
    if (!el || ['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'TEXTAREA'].includes(el.tagName)) {
      continue;
    }
    if (foreign(el) || !shown(el)) continue;
    parts.push(node.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [alt], [placeholder], [title]')) {
    if (foreign(el)) continue;
    for (const name of ['aria-label', 'alt', 'placeholder', 'title']) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  parts.push(document.title);
  return parts.join('\\n');
}"""


@cache
def english_phrases(language: str) -> tuple[tuple[str, re.Pattern], ...]:
    """Patterns for the English messages (every message in the code and templates, found
    without babel.cfg) that `language` translates differently or not at all."""
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as handle:
        catalogue = read_po(handle)
    phrases = set()
    for message in source_messages():
        sources = message if isinstance(message, tuple) else (message,)
        entry = catalogue.get(sources[0])
        strings = () if entry is None or entry.fuzzy else (
            entry.string if isinstance(entry.string, tuple | list) else (entry.string,))
        translated = " ".join(strings)
        for source in sources:
            if source in strings:
                continue
            for fragment in PLACEHOLDER.split(source):
                fragment = fragment.strip(" .,:;·–-()\n")
                # A real phrase, and not a word the translation shares.
                if len(fragment) >= 4 and re.search(r"[A-Za-z]{3}", fragment) \
                        and fragment not in translated and fragment not in SAME_EVERYWHERE:
                    phrases.add(fragment)
    return tuple((phrase, re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])"))
                 for phrase in sorted(phrases))


URL = re.compile(r"(?:https?://|/)[^\s]*")


def _people_names(app) -> list[str]:
    from participation.accounts.models import User

    with app.app_context():
        names = db.session.scalars(sa.select(User.display_name)).all()
    return sorted(names, key=len, reverse=True)


def english_on(app, page, language: str) -> list[str]:
    """English phrases on the page, leaving out addresses and people's names (content)."""
    assert page.locator("html").get_attribute("lang") == language, page.url
    text = URL.sub(" ", " ".join(page.evaluate(VISIBLE_INTERFACE_TEXT).split()))
    for name in (*_people_names(app), *KEPT_IN_TRANSLATIONS):
        text = text.replace(name, " ")
    return [phrase for phrase, pattern in english_phrases(language) if pattern.search(text)]


@pytest.fixture
def demo(app):
    """The demo content, plus enough ideas for two pages of the list."""
    with app.test_request_context():
        seed_demo_data(progress=lambda _message: None)
        db.session.commit()
        rounds = db.session.scalars(sa.select(BudgetRound).order_by(BudgetRound.id)).all()
        city = {budget_round.id: next(b.id for b in budget_round.budgets if b.area_id is None)
                for budget_round in rounds}
        author_id = db.session.scalar(sa.select(Idea.author_id).limit(1))
    for number in range(25):
        make_idea(app, author_id, title=f"Lisää penkkejä {number}", language="fi")
    with app.app_context():
        idea_id = db.session.scalar(sa.select(Idea.id).order_by(Idea.id).limit(1))
    return {"earlier": rounds[0].id, "current": rounds[1].id, "idea": idea_id, "city": city}



def _visit(app, page, live_server, path: str, language: str, problems: dict) -> None:
    response = page.goto(live_server + path, wait_until="load")
    assert response is not None and response.status < 500, path
    page.wait_for_selector("main h1")
    found = english_on(app, page, language)
    if found:
        problems[path] = found


def _submit_empty(app, page, live_server, path: str, form: str, language: str,
                  problems: dict) -> None:
    """A form sent empty: the error summary and the messages by the fields, in the language."""
    page.goto(live_server + path, wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.locator(f"{form} [type=submit]").first.click()
    page.wait_for_selector(".error-summary")
    found = english_on(app, page, language)
    if found:
        problems[f"{path} (errors)"] = found


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_pages_have_no_english_interface_text(app, factory, demo, new_page, live_server,
                                              language):
    problems: dict[str, list[str]] = {}
    earlier, current, idea = demo["earlier"], demo["current"], demo["idea"]
    earlier_city, current_city = demo["city"][earlier], demo["city"][current]

    visitor = new_page(locale=language, extra_http_headers={"Accept-Language": language})
    for path in ("/", "/ideas", "/ideas?page=2", f"/ideas/{idea}", "/budgeting/",
                 f"/budgeting/{earlier}", f"/budgeting/{earlier}/results",
                 f"/budgeting/{earlier}/results/{earlier_city}",
                 f"/budgeting/{current}", "/accessibility", "/privacy", "/login", "/register",
                 "/password/forgot", "/no-such-page"):
        _visit(app, visitor, live_server, path, language, problems)
    _submit_empty(app, visitor, live_server, "/login", "main form", language, problems)
    _submit_empty(app, visitor, live_server, "/register", "main form", language, problems)

    resident = new_page(locale=language)
    log_in(resident, live_server, factory.user(language=language))
    for path in ("/ideas/new", "/notifications", "/my/ideas", "/my/activity", "/profile",
                 "/profile/password", "/profile/delete", f"/budgeting/{current}/vote",
                 f"/budgeting/{current}/vote/{current_city}",
                 f"/budgeting/{current}/propose"):
        _visit(app, resident, live_server, path, language, problems)
    _submit_empty(app, resident, live_server, "/ideas/new", "form.idea-form", language, problems)
    _submit_empty(app, resident, live_server, "/profile/password", "main form", language, problems)

    moderator = new_page(locale=language)
    log_in(moderator, live_server, factory.user(roles=("moderator",), language=language))
    with app.app_context():
        decided = db.session.scalars(sa.select(ModerationDecision)
                                     .where(ModerationDecision.content_type.is_not(None))).first()
    for path in ("/moderation/", "/moderation/log", "/moderation/figures",
                 f"/moderation/item/{decided.content_type}/{decided.content_id}"):
        _visit(app, moderator, live_server, path, language, problems)

    staff = new_page(locale=language)
    log_in(staff, live_server, factory.user(roles=("staff", "admin"), language=language))
    for path in ("/budgeting/manage", f"/budgeting/manage/{current}",
                 f"/budgeting/manage/{current}/proposals", f"/budgeting/manage/{earlier}",
                 f"/ideas/{idea}/status", "/admin/users", "/admin/themes"):
        _visit(app, staff, live_server, path, language, problems)

    report = "\n".join(f"  {path}: {phrases}" for path, phrases in problems.items())
    assert problems == {}, f"English on {language} pages:\n{report}"
