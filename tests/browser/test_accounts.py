"""A resident registers, logs in, changes language and logs out, in real Chromium."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_accessible, click_to_load
from tests.i18n_helpers import translated

PASSWORD = "kolme iloista sanaa"


def _mailed_path(app, to: str) -> str:
    """The confirmation link's path from the outbox (the mail leaves just after the page)."""
    import re
    import time
    from email import message_from_bytes
    from email.policy import default as default_policy
    from pathlib import Path

    for _attempt in range(50):
        for path in Path(app.config["OUTBOX_DIR"]).glob("*.eml"):
            mail = message_from_bytes(path.read_bytes(), policy=default_policy)
            found = re.search(r"http://127\.0\.0\.1:5000(/email/verify/\S+)",
                              mail.get_content())
            if mail["To"] == to and found:
                return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no confirmation mail to {to}")


def test_register_login_switch_language_logout(app, page, live_server):
    page.goto(live_server + "/")
    click_to_load(page, page.get_by_role("link", name=translated(app, "Register", "fi"),
                                       exact=True).first)
    page.fill("#email", "selain.asukas@example.org")
    page.fill("#display_name", "Selain Asukas")
    page.fill("#password", PASSWORD)
    page.fill("#confirm_password", PASSWORD)
    page.fill("#birth_year", "1990")
    page.select_option("#home_area", label="Suur-Tapiola")
    page.check("#accept_privacy")
    click_to_load(page, "button[type=submit].button")
    assert page.locator("h1").inner_text() == translated(app, "Check your email", "fi")

    # The mailed link confirms the address and leads to logging in.
    page.goto(live_server + _mailed_path(app, "selain.asukas@example.org"))
    page.wait_for_url(live_server + "/login")
    page.fill("#email", "selain.asukas@example.org")
    page.fill("#password", PASSWORD)
    click_to_load(page, "form button[type=submit].button")
    page.wait_for_url(live_server + "/")
    assert translated(app, "My profile", "fi") in page.locator("nav.main-nav").inner_text()

    # Log out, then log in again.
    click_to_load(page, page.get_by_role("button", name=translated(app, "Log out", "fi")))
    click_to_load(page, page.get_by_role("link", name=translated(app, "Log in", "fi"),
                                       exact=True).first)
    page.fill("#email", "selain.asukas@example.org")
    page.fill("#password", PASSWORD)
    click_to_load(page, "form button[type=submit].button")
    page.wait_for_url(live_server + "/")

    # The language menu changes the whole page.
    for language, name in (("sv", "Svenska"), ("en", "English"), ("fi", "Suomi")):
        click_to_load(page, page.get_by_role("link", name=name, exact=True))
        assert page.locator("html").get_attribute("lang") == language
        heading = translated(app, "Take part in making Espoo better", language)
        assert page.locator("h1").inner_text() == heading

    click_to_load(page, page.get_by_role("button", name=translated(app, "Log out", "fi")))
    assert translated(app, "Log in", "fi") in page.locator("nav.main-nav").inner_text()


def test_form_errors_keep_input_without_javascript(app, new_page, live_server):
    page = new_page(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page.goto(live_server + "/register")
    page.fill("#email", "kesken@example.org")
    page.fill("#display_name", "Kesken Jäänyt")
    page.fill("#password", "lyhyt")
    page.fill("#confirm_password", "lyhyt")
    click_to_load(page, "button[type=submit].button")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.input_value("#display_name") == "Kesken Jäänyt"
    assert page.input_value("#email") == "kesken@example.org"
    assert page.locator("#password").get_attribute("aria-invalid") == "true"
    # No horizontal scrolling at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_pages_have_no_accessibility_violations(app, factory, new_page, live_server, language):
    page = new_page(locale=language, extra_http_headers={"Accept-Language": language})
    anonymous_pages = ["/", "/register", "/login", "/accessibility", "/privacy",
                       "/no-such-page"]
    for path in anonymous_pages:
        page.goto(live_server + path)
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
    # A form with errors is also accessible.
    page.goto(live_server + "/register")
    click_to_load(page, "button[type=submit].button")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    # Profile pages, logged in.
    person = factory.user(language=language)
    page.goto(live_server + "/login")
    page.fill("#email", person.email)
    page.fill("#password", person.password)
    click_to_load(page, "form button[type=submit].button")
    for path in ("/profile", "/profile/password", "/profile/delete"):
        page.goto(live_server + path)
        assert_accessible(page)
