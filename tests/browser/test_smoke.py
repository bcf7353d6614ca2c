"""The browser set-up itself: Chromium loads a page from the live server."""

from tests.browser.helpers import assert_accessible


def test_home_page_loads_in_chromium(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.locator("h1").count() == 1
    assert_accessible(page)
