"""Participatory budgeting in Chromium: a knapsack ballot in Swedish on a 360 px phone without
JavaScript, changed and checked on the results page; axe-core on the ballot and results pages.

Set SHOTS_DIR to keep screenshots of the ballot and results pages at 360 and 1280 px.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from participation.budgeting.results.tally import publish_results
from participation.budgeting.rounds.models import BudgetRound
from participation.extensions import db
from tests.browser.helpers import assert_accessible, click_to_load, log_in
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)

PHONE = {"width": 360, "height": 800}
SHOTS = Path(os.environ["SHOTS_DIR"]) if os.environ.get("SHOTS_DIR") else None


def _shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / f"pb-{name}.png"), full_page=True)



def _publish(app, pb, round_id: int) -> None:
    pb.move_to(round_id, "results")
    with en(app):
        publish_results(db.session.get(BudgetRound, round_id), None)
        db.session.commit()


def _total_lines(page) -> list[str]:
    return [" ".join(line.inner_text().split())
            for line in page.locator("#pb-total .pb-total-line").all()]


def _expected_total(app, chosen: int, budget: int, language: str = "sv") -> list[str]:
    """The running total's two lines as the server should write them, in `language`."""
    with app.test_request_context(), force_locale(language):
        euros = app.jinja_env.filters["euros"]
        lines = [f'{gettext("Chosen")} {euros(chosen)} '
                 f'{gettext("of %(budget)s", budget=euros(budget))}',
                 f'{gettext("Left")} {euros(budget - chosen)}']
    return [" ".join(line.split()) for line in lines]


def _receipt(page) -> str:
    return page.locator("#receipt-code").inner_text().strip()


def test_knapsack_ballot_in_swedish_on_a_phone_without_javascript(app, live_server, new_page,
                                                                  pb, factory):
    ref = pb.round(budgets={"city": 100_000}, costs={"city": [60_000, 30_000, 20_000, 10_000]})
    first, second, third, fourth = ref.proposals["city"]
    voter = factory.user(language="sv")
    page = new_page(java_script_enabled=False, viewport=PHONE, locale="sv-FI")
    log_in(page, live_server, voter)
    page.goto(f"{live_server}/budgeting/{ref.id}")
    _shot(page, "round-360")
    page.goto(f"{live_server}/budgeting/{ref.id}/vote")
    assert page.locator("html").get_attribute("lang") == "sv"
    _shot(page, "vote-360")
    click_to_load(page, f'a[href="/budgeting/{ref.id}/vote/{ref.budget()}"]')
    ballot_url = page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    for proposal in (first, second):
        click_to_load(page, f"#proposal-{proposal} button[value=add]")
    # 90 000 of 100 000 chosen: the 20 000 proposal no longer fits, the 10 000 one does.
    assert page.locator(f"#proposal-{third} button[value=add]").is_disabled()
    assert page.locator(f"#proposal-{fourth} button[value=add]").is_enabled()
    assert page.locator(f"#proposal-{first} button[value=remove]").count() == 1
    assert _total_lines(page) == _expected_total(app, 90_000, 100_000)
    assert _expected_total(app, 90_000, 100_000) != _expected_total(app, 90_000, 100_000, "en")
    _shot(page, "ballot-360")
    click_to_load(page, ".pb-review-button")
    assert page.locator("input[name=choice]").count() == 2
    _shot(page, "review-360")
    click_to_load(page, "#cast-button")
    old_code = _receipt(page)
    _shot(page, "done-360")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", old_code)

    # Change the ballot: drop the 60 000 proposal, take the two smaller ones instead.
    page.goto(ballot_url)
    assert page.locator("button[value=remove]").count() == 2  # starts from the cast ballot
    click_to_load(page, f"#proposal-{first} button[value=remove]")
    assert _total_lines(page) == _expected_total(app, 30_000, 100_000)  # 70 000 left
    click_to_load(page, f"#proposal-{third} button[value=add]")
    click_to_load(page, f"#proposal-{fourth} button[value=add]")
    click_to_load(page, ".pb-review-button")
    click_to_load(page, "#cast-button")
    new_code = _receipt(page)
    assert new_code != old_code

    _publish(app, pb, ref.id)
    page.goto(f"{live_server}/budgeting/{ref.id}/results")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.fill("#receipt", new_code)
    click_to_load(page, ".pb-receipt-check button[type=submit]")
    assert page.locator("#receipt-result").get_attribute("data-counted") == "yes"
    page.fill("#receipt", old_code)
    click_to_load(page, ".pb-receipt-check button[type=submit]")
    assert page.locator("#receipt-result").get_attribute("data-counted") == "no"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "results-360")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_ballot_and_results_pages_are_accessible(app, live_server, new_page, pb, factory,
                                                 language):
    ref = pb.round(budgets={"city": 100_000}, costs={"city": [60_000, 30_000, 20_000]})
    voter = factory.user(language=language)
    page = new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, voter)
    ballot_url = f"{live_server}/budgeting/{ref.id}/vote/{ref.budget()}"
    page.goto(ballot_url)
    page.locator(f"#proposal-{ref.proposals['city'][0]} button[value=add]").click()
    page.wait_for_selector("button[value=remove]")  # ballot.js swaps the list in place
    assert page.url.startswith(ballot_url)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    _shot(page, f"ballot-1280-{language}")
    page.goto(f"{ballot_url}/review")
    assert_accessible(page)
    click_to_load(page, "#cast-button")
    assert_accessible(page)
    _publish(app, pb, ref.id)
    code = _receipt_from_db(app, ref.id)
    for path in (f"/budgeting/{ref.id}/results?receipt={code}",
                 f"/budgeting/{ref.id}/results/{ref.budget()}",
                 f"/budgeting/{ref.id}/results/{ref.budget()}/ballots",
                 f"/budgeting/{ref.id}/results/receipts"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        if language == "en" and path.endswith(str(ref.budget())):
            _shot(page, "results-1280")


def _receipt_from_db(app, round_id: int) -> str:
    import sqlalchemy as sa

    from participation.budgeting.voting.models import Ballot

    with app.app_context():
        return db.session.scalar(sa.select(Ballot.receipt_code)
                                 .where(Ballot.round_id == round_id))
