"""Youth hearings in Chromium: a pupil answers with a class code on a 360 px phone in Finnish
without JavaScript; an organiser publishes feedback; axe-core on every hearing page in fi, sv
and en. Set SHOTS_DIR to keep screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from participation.extensions import db
from participation.hearings import answering, services
from participation.hearings.models import ClassSession, Hearing
from tests.browser.helpers import assert_accessible
from tests.hearings.api_samples import open_and_closed_hearings

PHONE = {"width": 360, "height": 800}
SHOTS = Path(os.environ["SHOTS_DIR"]) if os.environ.get("SHOTS_DIR") else None


def _shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"hearing-{name}.png"), full_page=True)


def _session_code(app, hearing_id: int) -> tuple[int, str]:
    with app.test_request_context():
        hearing = db.session.get(Hearing, hearing_id)
        found = services.open_session(hearing, _creator(hearing), "Koulu 8B", 30, 2)
        db.session.commit()
        return found.id, found.code


def _creator(hearing):
    from participation.accounts.models import User

    return db.session.get(User, hearing.created_by_id)


def _log_in(page, live_server, person) -> None:
    page.goto(live_server + "/login")
    page.fill("#email", person.email)
    page.fill("#password", person.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_pupil_answers_with_a_code_on_a_phone_without_javascript(app, factory, new_page,
                                                                  live_server):
    open_id, _closed_id = open_and_closed_hearings(app, factory)
    _session_id, code = _session_code(app, open_id)
    page = new_page(java_script_enabled=False, viewport=PHONE, locale="fi-FI")
    page.goto(live_server + "/")
    page.locator("nav.main-nav").get_by_role("link", name="Nuorten kuulemiset").click()
    page.get_by_role("link", name="Minulla on koodi").click()
    page.fill("#code", code.lower())
    page.get_by_role("button", name="Aloita vastaaminen").click()
    assert page.locator("h1").inner_text().startswith("Vastaa:")
    _shot(page, "answer-phone-fi")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Choosing "A" opens the conditional question: the page shows it before taking the answer.
    page.get_by_label("A", exact=True).check()
    page.get_by_role("button", name="Lähetä vastaukseni").click()
    assert "Vastauksesi avasivat lisää kysymyksiä" in page.locator(".flashes").inner_text()
    page.get_by_label("P", exact=True).check()
    page.get_by_label("Q", exact=True).check()
    page.get_by_label("R", exact=True).check()  # one too many: at most two
    page.get_by_role("button", name="Lähetä vastaukseni").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("A", exact=True).is_checked()  # answers kept
    page.get_by_label("R", exact=True).uncheck()
    page.get_by_role("button", name="Tallenna ja jatka myöhemmin").click()
    assert page.get_by_label("Q", exact=True).is_checked()  # progress saved
    page.get_by_role("button", name="Lähetä vastaukseni").click()
    assert page.locator("h1").inner_text() == "Kiitos vastauksestasi!"
    assert "palaute" in page.locator("main").inner_text().lower()
    _shot(page, "thanks-phone-fi")
    with app.app_context():
        assert answering.session_refusal(
            db.session.scalar(sa.select(ClassSession))) is None  # the cap is not reached


def test_organiser_publishes_feedback(app, factory, new_page, live_server):
    worker = factory.user(roles=("youth_worker",))
    with app.test_request_context():
        from tests.hearings.conftest import build, user

        hearing = build(user(worker))
        services.close(hearing, user(worker))
        db.session.commit()
        hearing_id = hearing.id
    page = new_page(java_script_enabled=False, locale="fi-FI")
    _log_in(page, live_server, worker)
    page.goto(f"{live_server}/hearings/manage/{hearing_id}/feedback")
    page.fill("#heard_fi", "Nuoret toivovat iltaisin auki olevia tiloja.")
    page.fill("#heard_sv", "De unga önskar lokaler som är öppna på kvällarna.")
    page.fill("#action_fi", "Kolme nuorisotilaa on auki perjantaisin klo 22 asti.")
    page.fill("#action_sv", "Tre ungdomsgårdar är öppna till kl. 22 på fredagar.")
    page.fill("#link_url", "https://www.espoo.fi/")
    page.get_by_role("button", name="Lisää kohta").click()
    page.get_by_role("button", name="Julkaise palaute ja kerro siitä osallistujille").click()
    assert "Palaute on julkaistu" in page.locator(".flashes").inner_text()
    page.goto(f"{live_server}/hearings/{hearing_id}")
    feedback = page.locator("#feedback")
    assert "Kolme nuorisotilaa" in feedback.inner_text()
    _shot(page, "feedback-fi")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_hearing_pages_have_no_accessibility_violations(app, factory, new_page, live_server,
                                                        language):
    open_id, closed_id = open_and_closed_hearings(app, factory)
    session_id, code = _session_code(app, open_id)
    page = new_page(locale=language, extra_http_headers={"Accept-Language": language})
    public = ["/hearings/", f"/hearings/{open_id}", f"/hearings/{open_id}?plain=1",
              f"/hearings/{closed_id}", f"/hearings/{closed_id}/results",
              f"/hearings/{closed_id}/results?print=1", "/hearings/code",
              f"/hearings/{open_id}/thanks", "/"]
    for path in public:
        page.goto(live_server + path)
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
        _shot(page, f"{language}-public-{path.strip('/').replace('/', '-')}")
    page.goto(live_server + "/hearings/code")
    page.fill("#code", "nope")
    page.locator("main form button[type=submit]").click()
    assert_accessible(page)  # the refused code, with its message
    page.fill("#code", code)
    page.locator("main form button[type=submit]").click()
    assert_accessible(page)  # the answer page
    page.locator("main form button[name=send]").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)  # the answer page with errors
    worker = factory.user(roles=("youth_worker", "staff"), language=language)
    _log_in(page, live_server, worker)
    manage = ["/hearings/manage", "/hearings/manage/new", f"/hearings/manage/{open_id}",
              f"/hearings/manage/{open_id}/preview", f"/hearings/manage/{open_id}/sessions",
              f"/hearings/manage/{open_id}/sessions/{session_id}",
              f"/hearings/manage/{open_id}/paper", f"/hearings/{open_id}/results",
              f"/hearings/manage/{closed_id}/feedback", "/hearings/manage/overdue"]
    for path in manage:
        page.goto(live_server + path)
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
        _shot(page, f"{language}-{path.strip('/').replace('/', '-')}")
