"""Following a round in Chromium: a visitor signs in from the round page and votes on a 360 px
phone without JavaScript; the result charts, "your picks" and the staff's "end voting now"
page are axe-clean in fi, sv and en.

Set SHOTS_DIR to keep screenshots.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import assert_accessible
from tests.browser.helpers import log_in as _log_in
from tests.browser.test_budgeting import PHONE, _publish, _receipt, _shot
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_voting import _cast

SIGN_IN_TO_VOTE = {"fi": "Kirjaudu ja äänestä", "sv": "Logga in och rösta",
                   "en": "Sign in to vote"}


@pytest.mark.parametrize("language", ["fi"])
def test_visitor_signs_in_from_the_round_page_and_votes_on_a_phone(app, live_server, new_page,
                                                                   pb, factory, language):
    ref = pb.round(budgets={"city": 100_000}, costs={"city": [60_000, 30_000]})
    first = ref.proposals["city"][0]
    voter = factory.user(language=language)
    page = new_page(java_script_enabled=False, viewport=PHONE, locale=f"{language}-FI")
    page.goto(f"{live_server}/budgeting/{ref.id}")
    _shot(page, f"round-visitor-360-{language}")
    page.get_by_role("link", name=SIGN_IN_TO_VOTE[language]).click()
    page.wait_for_url(re.compile(r".*/login\?next=.*"))
    page.fill("#email", voter.email)
    page.fill("#password", voter.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/budgeting/{ref.id}/vote")  # back where they meant to go
    page.locator(f'a[href="/budgeting/{ref.id}/vote/{ref.budget()}"]').click()
    page.wait_for_url(f"{live_server}/budgeting/{ref.id}/vote/{ref.budget()}")
    page.locator(f"#proposal-{first} button[value=add]").click()
    page.wait_for_selector(f"#proposal-{first} button[value=remove]")
    page.locator(".pb-review-button").click()
    page.wait_for_selector("#cast-button")
    page.locator("#cast-button").click()
    page.wait_for_selector("#receipt-code")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", _receipt(page))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_round_results_charts_and_picks_are_accessible(app, live_server, new_page, pb, factory,
                                                        language):
    ref = pb.round(rule="mes_cost_add1_until_over_budget", budgets={"city": 100, 1: 50},
                   costs={"city": [30, 30, 30, 30]})  # the area budget stays empty
    a1, a2, b1, b2 = ref.proposals["city"]
    voters = pb.voters(10)
    codes = [_cast(app, ref, voter, {a1: 1, a2: 1}).receipt_code for voter in voters[:6]]
    codes += [_cast(app, ref, voter, {b1: 1, b2: 1}).receipt_code for voter in voters[6:]]
    page = new_page(viewport={"width": 1280, "height": 900}, locale=f"{language}-FI")
    page.goto(f"{live_server}/budgeting/{ref.id}")
    assert page.get_by_role("link", name=SIGN_IN_TO_VOTE[language]).count() == 1
    assert_accessible(page)
    _publish(app, pb, ref.id)
    for path, name in ((f"/budgeting/{ref.id}/results/{ref.budget()}", "charts"),
                       (f"/budgeting/{ref.id}/results?receipt={codes[-1]}", "picks"),
                       (f"/budgeting/{ref.id}/results/{ref.budget(1)}", "empty"),
                       (f"/budgeting/proposals/{b2}", "proposal"),
                       (f"/budgeting/{ref.id}", "round-after")):
        page.goto(live_server + path)
        page.wait_for_selector("h1")
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        _shot(page, f"{name}-1280-{language}")
    phone = new_page(java_script_enabled=False, viewport=PHONE, locale=f"{language}-FI")
    phone.goto(f"{live_server}/budgeting/{ref.id}/results/{ref.budget()}")
    phone.wait_for_selector("svg.pb-svg")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, f"charts-360-{language}")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_end_voting_page_is_accessible(app, live_server, new_page, pb, factory, language):
    ref = pb.round()
    staff = factory.user(roles=("staff",), language=language)
    page = new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, live_server, staff)
    page.goto(f"{live_server}/budgeting/manage/{ref.id}/end-voting")
    page.wait_for_selector("h1")
    assert_accessible(page)
    _shot(page, f"end-voting-{language}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/budgeting/manage/{ref.id}")
    assert_accessible(page)
