"""Arabic (right to left) and Russian in Chromium.

Arabic pages at 1280 and 360 px: `dir=rtl`, nothing overflows the viewport sideways, the first
heading starts at the right edge, the ballot's running total reads before its buttons; a
resident votes in Arabic on a 360 px phone without JavaScript; axe-core finds nothing on the
resident pages in Arabic and in Russian. Screenshots go to test-artifacts/ (git-ignored).

The languages are chosen through the language menu, as residents choose them; without the
Arabic or Russian catalogue (translations/<code>/LC_MESSAGES/messages.po) the tests fail and
say so.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from participation.budgeting.rounds.models import BudgetRound
from participation.demo import seed_demo_data
from participation.extensions import db
from participation.ideas.models import Idea
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import axe_violations, click_to_load, log_in
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}

# Elements whose box reaches outside the viewport sideways (a table scrolls inside its own
# .table-wrap, and visually hidden text is a 1 px box: neither counts).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.visually-hidden') || el.parentElement.closest('.table-wrap')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      const where = `${Math.round(box.left)}..${Math.round(box.right)}`;
      found.push(`${el.tagName.toLowerCase()}.${el.className} ${where}`);
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, found: found.slice(0, 10)};
}"""

# Where the first heading's text sits in its box and in the viewport.
HEADING_BOX = """() => {
  const heading = document.querySelector('main h1');
  const range = document.createRange();
  range.selectNodeContents(heading);
  const text = range.getBoundingClientRect();
  const box = heading.getBoundingClientRect();
  return {textLeft: text.left, textRight: text.right, boxLeft: box.left, boxRight: box.right,
          width: document.documentElement.clientWidth};
}"""



def choose_language(page, live_server, code: str) -> None:
    """Pick `code` from the language menu on the front page, as a resident does."""
    page.goto(live_server + "/", wait_until="load")
    link = page.locator(f'.language-menu a[hreflang="{code}"]')
    if link.count() == 0:
        pytest.fail(f"The language menu does not offer {code!r}: the catalogue "
                    f"translations/{code}/LC_MESSAGES/messages.po is missing or incomplete.")
    click_to_load(page, link)
    assert page.locator("html").get_attribute("lang") == code


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"rtl-{name}.png"), full_page=True)


def assert_right_to_left(page, name: str) -> None:
    """dir=rtl, nothing sticks out sideways, the first heading starts at the right edge."""
    page.wait_for_selector("main h1")
    assert page.locator("html").get_attribute("dir") == "rtl", page.url
    assert page.locator("html").get_attribute("lang") == "ar", page.url
    overflow = page.evaluate(OVERFLOWING)
    assert overflow["found"] == [] and overflow["scrollWidth"] <= overflow["width"], (
        f"{page.url} overflows sideways: {overflow}")
    heading = page.evaluate(HEADING_BOX)
    # The text hugs the heading's right edge (it starts there), and the heading sits on the
    # right of the page, where a right-to-left reader starts.
    assert abs(heading["textRight"] - heading["boxRight"]) <= 2, (page.url, heading)
    assert heading["boxRight"] >= heading["width"] * 0.85, (page.url, heading)
    assert heading["textLeft"] > heading["boxLeft"] - 1
    _shot(page, name)


@pytest.fixture
def demo(app):
    """The demo content: a round in its voting phase, an earlier one with results, ideas."""
    with app.test_request_context():
        seed_demo_data(progress=lambda _message: None)
        db.session.commit()
        rounds = db.session.scalars(sa.select(BudgetRound).order_by(BudgetRound.id)).all()
        city = {budget_round.id: next(b.id for b in budget_round.budgets if b.area_id is None)
                for budget_round in rounds}
        idea_id = db.session.scalar(sa.select(Idea.id).order_by(Idea.id).limit(1))
    return {"earlier": rounds[0].id, "current": rounds[1].id, "idea": idea_id, "city": city}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_arabic_pages_read_right_to_left(app, factory, demo, new_page, live_server, viewport):
    earlier, current = demo["earlier"], demo["current"]
    width = viewport["width"]
    page = new_page(viewport=viewport)
    log_in(page, live_server, factory.user(language="fi"))
    choose_language(page, live_server, "ar")
    for name, path in (("home", "/"), ("ideas", "/ideas"), ("idea", f"/ideas/{demo['idea']}"),
                       ("round", f"/budgeting/{current}"),
                       ("results", f"/budgeting/{earlier}/results"),
                       ("budget-results", f"/budgeting/{earlier}/results/"
                                          f"{demo['city'][earlier]}"),
                       ("hearings", "/hearings/"), ("figures", "/figures/")):
        page.goto(live_server + path, wait_until="load")
        assert_right_to_left(page, f"{name}-{width}")

    page.goto(f"{live_server}/budgeting/{current}/vote/{demo['city'][current]}", wait_until="load")
    assert_right_to_left(page, f"ballot-{width}")
    # The running total (what is left of the budget) comes before the first button, in the
    # DOM and on the screen.
    order = page.evaluate("""() => {
      const left = document.querySelectorAll('#pb-total .pb-total-line')[1];
      const button = document.querySelector('.pb-ballot-list button[type=submit]');
      const a = left.getBoundingClientRect(), b = button.getBoundingClientRect();
      return {domBefore: !!(left.compareDocumentPosition(button)
                            & Node.DOCUMENT_POSITION_FOLLOWING),
              leftBottom: a.bottom, buttonTop: b.top,
              leftRight: a.right, width: document.documentElement.clientWidth};
    }""")
    assert order["domBefore"], order
    assert order["leftBottom"] <= order["buttonTop"], order
    assert order["leftRight"] >= order["width"] * 0.85, order  # starts on the right


def test_a_resident_votes_in_arabic_on_a_phone_without_javascript(app, live_server, new_page,
                                                                  pb, factory):
    ref = pb.round(budgets={"city": 100_000}, costs={"city": [60_000, 30_000, 20_000, 10_000]})
    first, second, third, fourth = ref.proposals["city"]
    page = new_page(java_script_enabled=False, viewport=PHONE, locale="ar")
    log_in(page, live_server, factory.user(language="fi"))
    choose_language(page, live_server, "ar")

    page.goto(f"{live_server}/budgeting/{ref.id}/vote", wait_until="load")
    assert_right_to_left(page, "vote-nojs-360")
    click_to_load(page, f'a[href="/budgeting/{ref.id}/vote/{ref.budget()}"]')
    assert_right_to_left(page, "ballot-nojs-empty-360")
    for proposal in (first, second):
        click_to_load(page, f"#proposal-{proposal} button[value=add]")
    # 90 000 of 100 000 chosen: the 20 000 proposal no longer fits, the 10 000 one does.
    assert page.locator(f"#proposal-{third} button[value=add]").is_disabled()
    assert page.locator(f"#proposal-{fourth} button[value=add]").is_enabled()
    # The amount is isolated from the Arabic text around it (FSI ... PDI), digits in order.
    left = page.locator("#pb-total .pb-total-line").nth(1).inner_text()
    assert re.search("\u2068[^\u2069]*10\\D?000[^\u2069]*\u2069", left), ascii(left)
    # The meter grows from the right (the start edge).
    meter = page.evaluate("""() => {
      const track = document.querySelector('.pb-meter').getBoundingClientRect();
      const fill = document.querySelector('.pb-meter-fill').getBoundingClientRect();
      return {trackRight: track.right, fillRight: fill.right, fillWidth: fill.width,
              trackWidth: track.width};
    }""")
    assert abs(meter["fillRight"] - meter["trackRight"]) <= 1, meter
    assert 0.85 * meter["trackWidth"] <= meter["fillWidth"] <= 0.95 * meter["trackWidth"], meter
    assert_right_to_left(page, "ballot-nojs-360")
    click_to_load(page, ".pb-review-button")
    assert page.locator("input[name=choice]").count() == 2
    assert_right_to_left(page, "review-nojs-360")
    click_to_load(page, "#cast-button")
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code), code
    assert_right_to_left(page, "receipt-nojs-360")
    # The receipt code reads left to right inside the Arabic page.
    assert page.locator("#receipt-code").evaluate(
        "el => [getComputedStyle(el).direction, getComputedStyle(el).unicodeBidi]") == [
        "ltr", "isolate"]


def _resident_paths(demo, current_city) -> list[str]:
    earlier, current = demo["earlier"], demo["current"]
    return ["/", "/ideas", f"/ideas/{demo['idea']}", "/ideas/new", "/budgeting/",
            f"/budgeting/{current}", f"/budgeting/{current}/vote",
            f"/budgeting/{current}/vote/{current_city}", f"/budgeting/{earlier}",
            f"/budgeting/{earlier}/results", f"/budgeting/{earlier}/results/"
                                             f"{demo['city'][earlier]}",
            "/hearings/", "/accessibility", "/privacy", "/notifications", "/my/ideas",
            "/my/activity", "/profile", "/profile/password", "/figures/"]


@pytest.mark.parametrize("language", ["ar", "ru"])
def test_resident_pages_are_accessible_in_arabic_and_russian(app, factory, demo, new_page,
                                                             live_server, language):
    page = new_page(viewport=DESKTOP)
    choose_language(page, live_server, language)
    problems = {}
    for path in ("/login", "/register", "/password/forgot"):
        page.goto(live_server + path, wait_until="load")
        page.wait_for_selector("main h1")
        problems[path] = axe_violations(page)
    log_in(page, live_server, factory.user(language="fi"))
    choose_language(page, live_server, language)
    for path in _resident_paths(demo, demo["city"][demo["current"]]):
        response = page.goto(live_server + path, wait_until="load")
        assert response is not None and response.status < 400, path
        page.wait_for_selector("main h1")
        assert page.locator("html").get_attribute("lang") == language, path
        problems[path] = axe_violations(page)
    found = {path: [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
             for path, violations in problems.items() if violations}
    assert found == {}, f"axe-core in {language}: {found}"
