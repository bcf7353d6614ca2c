"""The answer page in a language the hearing is not written in: the Finnish title, questions,
options and scale ends are marked with their language and isolated (<bdi>), so an Arabic page
keeps their punctuation where Finnish puts it."""

from __future__ import annotations

import re

from participation.core.types import utcnow
from participation.extensions import db
from participation.i18n import LOCALE_COOKIE
from tests.hearings.conftest import build


def test_finnish_content_is_marked_and_isolated_on_an_arabic_answer_page(app, client, auth,
                                                                        factory, worker):
    with app.test_request_context():
        hearing_id = build(worker).id
        db.session.commit()
    resident = factory.user(language="ar", birth_year=utcnow().year - 14)
    auth.login(resident.email)
    client.set_cookie(LOCALE_COOKIE, "ar")
    response = client.get(f"/hearings/{hearing_id}/answer")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'<html[^>]* lang="ar"', html) and 'dir="rtl"' in html
    h1 = html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert '<bdi lang="fi">Nuorisotilat</bdi>' in h1
    for text in ("Kysymys single", "A", "Huono", "Hyvä", "W"):
        assert f'<bdi lang="fi">{text}</bdi>' in html, text
