"""Ideas in real Chromium: propose with an image in Swedish, support, comment, answer, notify;
the same without JavaScript; axe-core on the idea pages in fi, sv and en."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from PIL import Image

from participation.core.models import Area, District
from participation.extensions import db
from tests.browser.helpers import assert_accessible, click_to_load
from tests.ideas.builders import ensure_themes, make_idea

TITLE = "Fler bänkar i Hagalund"
DESCRIPTION = "Det behövs fler bänkar.\n\n- vid lekparken\n- vid dammen"


@pytest.fixture(autouse=True)
def _themes(app):
    ensure_themes(app)


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "park.jpg"
    Image.new("RGB", (800, 600), (40, 140, 60)).save(path, format="JPEG")
    return path


def log_in(page, live_server, person):
    page.goto(live_server + "/login")
    page.fill("#email", person.email)
    page.fill("#password", person.password)
    click_to_load(page, "main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def idea_id_from(page) -> int:
    return int(re.search(r"/ideas/(\d+)", page.url).group(1))


def place(app) -> tuple[str, str]:
    """Greater Tapiola and its district Tapiola (Hagalund), as form values."""
    with app.app_context():
        area_id = db.session.scalar(sa.select(Area.id).where(Area.code == 2))
        district_id = db.session.scalar(sa.select(District.id).where(
            District.area_id == area_id, District.name_fi == "Tapiola"))
    return str(area_id), str(district_id)


def fill_idea_form(page, app, photo=None):
    area, district = place(app)
    page.fill("#title", TITLE)
    page.fill("#description", DESCRIPTION)
    page.select_option("#theme", index=1)
    page.select_option("#area", value=area)
    page.select_option("#district", value=district)
    page.select_option("#language", value="sv")
    if photo is not None:
        page.set_input_files("#image", str(photo))
        page.fill("#image_alt", "En park med gräsmatta")


def test_propose_support_comment_answer_and_notify(app, factory, page, new_page, live_server,
                                                   photo):
    author = factory.user(display_name="Bo Författare")
    supporter = factory.user(display_name="Sara Stödjare")
    staff = factory.user(roles=("staff",), display_name="Ville Virkailija")

    # The author switches the service to Swedish from the language menu, then proposes.
    log_in(page, live_server, author)
    click_to_load(page, ".language-menu a[hreflang=sv]")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.goto(live_server + "/ideas/new")
    assert page.locator("html").get_attribute("lang") == "sv"
    fill_idea_form(page, app, photo)
    click_to_load(page, "form.idea-form button[type=submit]")
    assert page.locator(".idea-preview h2").inner_text() == TITLE
    assert page.locator(".idea-preview li").all_inner_texts() == ["vid lekparken", "vid dammen"]
    assert page.locator(".idea-preview img").get_attribute("alt") == "En park med gräsmatta"
    # Edit keeps everything, the image included; then preview again and publish.
    click_to_load(page, ".preview-actions button[formaction]")
    assert page.input_value("#title") == TITLE
    assert page.input_value("#description") == DESCRIPTION
    assert page.locator(".pending-image img").count() == 1
    click_to_load(page, "form.idea-form button[type=submit]")
    click_to_load(page, ".preview-actions button:not([formaction])")
    page.wait_for_url(re.compile(r".*/ideas/\d+$"))
    idea_id = idea_id_from(page)
    assert page.locator("h1").inner_text() == TITLE
    assert page.locator("h1").get_attribute("lang") == "sv"
    image = page.locator(".idea-image img")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 800

    # Another resident supports and comments; the page updates in place (JavaScript).
    other = new_page()
    log_in(other, live_server, supporter)
    other.goto(f"{live_server}/ideas/{idea_id}")
    url_before = other.url
    other.click("#support form[action$='/support'] button")
    other.wait_for_selector(f"#support form[action='/ideas/{idea_id}/unsupport']")
    assert other.locator(".support-count strong").inner_text() == "1"
    assert other.url == url_before
    other.fill("#body", "Bra idé, jag håller med!")
    other.click("#new-comment button[type=submit]")
    other.wait_for_selector(".comment-list .comment-body:has-text('Bra idé')")
    assert other.locator("[data-comment-count]").inner_text() == "(1)"
    assert other.input_value("#body") == ""

    # Staff answer with a template, edited before saving.
    desk = new_page()
    log_in(desk, live_server, staff)
    desk.goto(f"{live_server}/ideas/{idea_id}/status")
    desk.select_option("#template", value="answered.passed_on")
    assert desk.input_value("#status") == "answered"
    assert desk.input_value("#reason") != ""
    desk.fill("#reason", desk.input_value("#reason") + " Parkenheten planerar bänkarna.")
    click_to_load(desk, "form[data-status-form] button[type=submit]")
    desk.wait_for_url(re.compile(rf".*/ideas/{idea_id}#status$"))
    assert "Parkenheten planerar bänkarna." in desk.locator(".public-answer").inner_text()

    # The author sees the notification (badge in the header, then the page).
    page.goto(f"{live_server}/ideas")
    assert page.locator(".nav-badge").inner_text() == "2"
    click_to_load(page, ".main-nav a[href='/notifications']")
    assert page.locator(".notification-unread").count() == 2
    click_to_load(page, f".notification a[href='/ideas/{idea_id}#status']")
    assert "Parkenheten planerar bänkarna." in page.locator(".public-answer").inner_text()


def test_support_and_comment_without_javascript(app, factory, new_page, live_server):
    author = factory.user()
    person = factory.user()
    idea_id = make_idea(app, author.id, title="No script needed")
    page = new_page(java_script_enabled=False, viewport={"width": 360, "height": 800})
    log_in(page, live_server, person)
    page.goto(f"{live_server}/ideas/{idea_id}")
    click_to_load(page, "#support form[action$='/support'] button")
    page.wait_for_url(re.compile(rf".*/ideas/{idea_id}#support$"))
    assert page.locator(".support-count strong").inner_text() == "1"
    page.fill("#body", "")
    click_to_load(page, "#new-comment button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    page.fill("#body", "Works without scripts")
    click_to_load(page, "#new-comment button[type=submit]")
    page.wait_for_url(re.compile(rf".*/ideas/{idea_id}#comment-\d+$"))
    assert page.locator(".comment-body").inner_text() == "Works without scripts"
    page.locator(".reply-box summary").click()
    page.fill("textarea[id^=reply-]", "A reply too")
    click_to_load(page, ".reply-box button[type=submit]")
    assert page.locator(".replies .comment-body").inner_text() == "A reply too"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_idea_pages_are_accessible(app, factory, new_page, live_server, photo, language):
    person = factory.user(language=language)
    other = factory.user()
    idea_id = make_idea(app, other.id, title="Accessible idea", language="en")
    page = new_page(locale=language, extra_http_headers={"Accept-Language": language})
    page.goto(f"{live_server}/ideas")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    log_in(page, live_server, person)
    page.goto(f"{live_server}/ideas/new")
    assert_accessible(page)
    click_to_load(page, "form.idea-form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    fill_idea_form(page, app, photo)
    click_to_load(page, "form.idea-form button[type=submit]")
    assert page.locator(".idea-preview").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server}/ideas/{idea_id}")
    assert_accessible(page)
    if language == "sv":  # pages with little text of their own: one language is enough
        for path in ("/ideas?q=accessible&sort=relevance", "/notifications", "/my/activity",
                     "/my/ideas", f"/ideas/{idea_id}#comments"):
            page.goto(live_server + path)
            assert_accessible(page)


def test_staff_and_admin_pages_are_accessible(app, factory, new_page, live_server):
    admin = factory.user(roles=("admin",), language="en")
    idea_id = make_idea(app, admin.id, title="Answer me")
    page = new_page(locale="en")
    log_in(page, live_server, admin)
    for path in (f"/ideas/{idea_id}/status?template=answered.thanks", "/admin/themes",
                 "/admin/themes/new"):
        page.goto(live_server + path)
        assert_accessible(page)
    page.goto(f"{live_server}/ideas/{idea_id}/status")
    page.select_option("#status", "rejected")
    click_to_load(page, "form[data-status-form] button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
