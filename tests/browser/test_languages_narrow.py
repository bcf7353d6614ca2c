"""Long words on a 360 px phone: the Russian privacy notice's and the plain-Finnish accessibility
statement's headings (конфиденциальности, Saavutettavuusseloste) and the Somali ballot-status
labels break inside the screen instead of widening the page."""

from __future__ import annotations

import pytest

from tests.browser.helpers import click_to_load
from tests.browser.test_rtl import demo  # noqa: F401  (the demo fixture)

PHONE = {"width": 360, "height": 800}


def _choose(page, live_server, interface: str) -> None:
    page.goto(live_server + "/", wait_until="load")
    click_to_load(page, page.locator(f'.language-menu a[href^="/language/{interface}?"]'))


def _widths(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, "
                         "document.documentElement.clientWidth]")


@pytest.mark.parametrize(("interface", "path", "lang"), [
    ("ru", "/privacy", "ru"), ("fi-x-selko", "/accessibility", "fi")])
def test_long_headings_fit_a_phone(new_page, live_server, interface, path, lang):
    page = new_page(viewport=PHONE)
    _choose(page, live_server, interface)
    page.goto(live_server + path, wait_until="load")
    page.wait_for_selector("main h1")
    assert page.locator("html").get_attribute("lang") == lang
    scroll, client = _widths(page)
    assert scroll <= client, f"{interface} {path} is {scroll} px wide on a {client} px screen"


def test_ballot_status_labels_fit_a_phone_in_somali(new_page, live_server, demo):  # noqa: F811
    page = new_page(viewport=PHONE)
    _choose(page, live_server, "so")
    page.goto(live_server + f"/budgeting/{demo['current']}", wait_until="load")
    page.wait_for_selector(".pb-status")
    assert page.locator("html").get_attribute("lang") == "so"
    scroll, client = _widths(page)
    assert scroll <= client, f"the round page is {scroll} px wide on a {client} px screen"
