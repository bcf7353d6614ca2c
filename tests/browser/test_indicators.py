"""The figures pages in Chromium: axe-clean in fi, sv and en, and usable without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_accessible
from tests.indicators.fixture import seed_fixture


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_dashboard_pages_are_accessible(app, new_page, live_server, language):
    seed_fixture(app)
    page = new_page(locale=language, extra_http_headers={"Accept-Language": language},
                    java_script_enabled=False)
    page.goto(live_server + "/figures/?period=2026")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("svg[role=img]").count() >= 3  # trend, areas, age groups...
    assert page.locator("table caption").count() >= 3  # each chart has its data table
    # The filters work without JavaScript: a GET form.
    page.select_option("#area", value="1")
    page.locator(".figure-filters button[type=submit]").click()
    assert "area=1" in page.url
    for path in ("/figures/?period=2026", "/figures/participation_rate?period=2026&area=1",
                 "/figures/about", "/figures/report/2026"):
        scripted = new_page(locale=language, extra_http_headers={"Accept-Language": language})
        scripted.goto(live_server + path)
        assert_accessible(scripted)
        scripted.close()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_staff_tables_are_accessible_without_javascript(app, factory, new_page, live_server,
                                                         language):
    import re

    from tests.browser.test_ideas import log_in

    seed_fixture(app)
    staff = factory.user(roles=("staff",), language=language)
    page = new_page(locale=language, extra_http_headers={"Accept-Language": language},
                    java_script_enabled=False)
    log_in(page, live_server, staff)
    page.goto(live_server + "/figures/staff?period=2026")
    assert page.locator("#three-way").count() == 1 and page.locator("#channels").count() == 1
    assert page.locator("table caption").count() >= 5  # two-way, per area and channels
    page.select_option("#area", value="1")
    page.locator(".figure-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r".*area=1.*"))
    assert page.locator("#three-way ~ .table-wrap table").count() >= 2
    scripted = new_page(locale=language, extra_http_headers={"Accept-Language": language})
    log_in(scripted, live_server, staff)
    scripted.goto(live_server + "/figures/staff?period=2026&area=1")
    assert_accessible(scripted)
    scripted.close()
