"""A proposal page shows the image of the idea it came from in Chromium without JavaScript:
the picture loads (lazily, once scrolled to) and carries the idea's alt text; the page is
axe-clean in fi, sv and en (axe itself runs with scripts on)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from participation.budgeting.rounds.models import ProposalIdea
from participation.extensions import db
from participation.ideas import images
from participation.ideas.models import Idea
from tests.browser.helpers import assert_accessible
from tests.browser.test_budgeting import PHONE
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_proposal_page import _resident_proposal
from tests.ideas.builders import ensure_themes, make_idea


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_proposal_page_shows_the_ideas_image(app, live_server, new_page, pb, factory, language):
    ensure_themes(app)
    _ref, proposal_id, author = _resident_proposal(app, pb, factory)
    idea_id = make_idea(app, author.id, title="Benches by the shore")
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 110, 60)).save(buffer, "JPEG")
    with app.app_context():
        file_name = f"pb13b-{language}-{idea_id}.jpg"
        images.upload_dir().mkdir(parents=True, exist_ok=True)
        (images.upload_dir() / file_name).write_bytes(buffer.getvalue())
        idea = db.session.get(Idea, idea_id)
        idea.image_file, idea.image_alt = file_name, "A green bench by the sea"
        idea.image_width, idea.image_height = 320, 240
        db.session.add(ProposalIdea(proposal_id=proposal_id, idea_id=idea_id))
        db.session.commit()
    page = new_page(java_script_enabled=False, viewport=PHONE, locale=f"{language}-FI")
    page.goto(f"{live_server}/budgeting/proposals/{proposal_id}")
    picture = page.get_by_role("img", name="A green bench by the sea")
    picture.scroll_into_view_if_needed()
    picture.wait_for(state="visible")
    page.wait_for_function(  # evaluated by Playwright, not by the page's own scripts
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    assert picture.get_attribute("loading") == "lazy"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    checked = new_page(viewport={"width": 1280, "height": 900}, locale=f"{language}-FI")
    checked.goto(f"{live_server}/budgeting/proposals/{proposal_id}")  # axe needs scripts
    checked.wait_for_selector(".pb-idea-images img")
    assert_accessible(checked)
