"""Every participation event records the interface language in use, and the staff figures show
participants per interface language with groups under five hidden (core/disclosure)."""

from __future__ import annotations

import sqlalchemy as sa

from participation.core.types import utcnow
from participation.extensions import db
from participation.i18n import LOCALE_COOKIE
from participation.indicators.interface_languages import OFFLINE, interface_language_table
from participation.indicators.models import ParticipationEvent
from participation.indicators.periods import year_period
from participation.indicators.services import participant_key, record_event
from tests.i18n_helpers import translated
from tests.ideas.builders import ensure_themes, make_idea


def _languages(app):
    with app.app_context():
        return [(row.kind, row.channel, row.interface_language) for row in db.session.scalars(
            sa.select(ParticipationEvent).order_by(ParticipationEvent.id))]


def test_a_web_action_records_the_pages_language_beside_the_language_group(app, client,
                                                                           factory, auth):
    ensure_themes(app)
    author = factory.user()
    idea_id = make_idea(app, author.id)
    supporter = factory.user(language="sv")
    auth.login(supporter.email)
    client.get("/language/en")  # this session in English; the account still says Swedish
    response = client.post(f"/ideas/{idea_id}/support")
    assert response.status_code in (302, 303)
    kind, channel, language = _languages(app)[-1]
    assert (kind, channel, language) == ("idea_supported", "web", "en")
    with app.app_context():
        event = db.session.scalars(sa.select(ParticipationEvent)
                                   .order_by(ParticipationEvent.id.desc())).first()
        assert event.language_group == "sv"  # unchanged: the account's language


def test_the_request_language_and_the_channel_decide(app):
    with app.test_request_context(headers={"Cookie": f"{LOCALE_COOKIE}=sv"}):
        record_event("hearing_answered", key=participant_key("a"), channel="school_code")
        record_event("ballot_cast", key=participant_key("b"), channel="paper")
        record_event("ballot_cast", key=participant_key("c"), channel="assisted")
        record_event("idea_supported", key=participant_key("d"), interface_language="ru")
        db.session.commit()
    with app.app_context():  # outside a request (a command, a job): no interface
        record_event("ballot_cast", key=participant_key("e"))
        db.session.commit()
    assert [language for _kind, _channel, language in _languages(app)] == [
        "sv", None, None, "ru", None]


def _people(app, language, count, prefix):
    with app.app_context():
        for number in range(count):
            record_event("idea_supported", key=participant_key(f"{prefix}{number}"),
                         interface_language=language, occurred_at=utcnow(),
                         channel="web" if language else "paper")
        db.session.commit()


def _table(app):
    with app.app_context():
        rows, total = interface_language_table(year_period(utcnow().year),
                                               app.config["LANGUAGES"])
        return {row.code: row.count for row in rows}, total


def test_people_per_interface_language_with_small_groups_hidden(app):
    _people(app, "fi", 10, "fi")
    _people(app, "ru", 7, "ru")
    _people(app, "ar", 2, "ar")
    _people(app, None, 3, "paper")
    counts, total = _table(app)
    assert total == 22
    assert counts["fi"] == 10 and counts["ru"] == 7 and counts["sv"] == 0
    assert counts["ar"] is None and counts[OFFLINE] is None  # 2 and 3: hidden together


def test_one_small_group_hides_another_so_subtraction_reveals_nothing(app):
    _people(app, "fi", 12, "fi")
    _people(app, "sv", 6, "sv")
    _people(app, "so", 1, "so")
    counts, total = _table(app)
    assert counts["so"] is None
    assert counts["sv"] is None  # else 19 - 12 - 6 = 1
    assert counts["fi"] == 12 and total == 19


def test_a_person_counts_once_whatever_languages_they_used(app):
    with app.app_context():
        for language in ("fi", "sv", "en"):
            for number in range(5):
                record_event("idea_supported", key=participant_key(f"same{number}"),
                             interface_language=language)
        db.session.commit()
    counts, total = _table(app)
    assert total == 5 and sum(count for count in counts.values() if count) == 5


def test_the_staff_page_shows_the_table(app, client, factory, auth):
    _people(app, "fi", 6, "fi")
    _people(app, "ru", 2, "ru")
    auth.login(factory.user(roles=("staff",)).email)
    html = client.get("/figures/staff").get_data(as_text=True)
    assert translated(app, "Language of the site", "fi") in html
    assert '<span lang="ru">ru</span>' in html or '<span lang="ru">Русский</span>' in html
    assert "&lt;5" in html
