"""Finland's conventions for dates, times, numbers and money in every language, in the helpers,
the template filters, pages and machine exports; and no other formatting path in the code."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from flask import render_template_string
from flask_babel import force_locale

from participation.config import ROOT
from participation.core import formats
from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment
from tests.ideas.builders import ensure_themes, make_comment, make_idea

MOMENT = datetime(2026, 12, 3, 12, 59, tzinfo=UTC)  # 14.59 in Espoo
NBSP = "\u00a0"
EXPECTED = {
    "fi": {"datetime": "3.12.2026 14.59", "date": "3.12.2026", "time": "14.59",
           "money": f"3{NBSP}571,43{NBSP}€", "whole": f"140{NBSP}000{NBSP}€",
           "number": f"1{NBSP}234{NBSP}567,5"},
    "sv": {"datetime": "3.12.2026 kl. 14.59", "date": "3.12.2026", "time": "14.59",
           "money": f"3{NBSP}571,43{NBSP}€", "whole": f"140{NBSP}000{NBSP}€",
           "number": f"1{NBSP}234{NBSP}567,5"},
    "en": {"datetime": "3 December 2026 at 14:59", "date": "3 December 2026", "time": "14:59",
           "money": "€3,571.43", "whole": "€140,000", "number": "1,234,567.5"},
}
LANGUAGES = sorted(EXPECTED)


@pytest.mark.parametrize("language", LANGUAGES)
def test_helpers_follow_finnish_conventions(language):
    expected = EXPECTED[language]
    assert formats.format_datetime(MOMENT, language) == expected["datetime"]
    assert formats.format_date(MOMENT, language) == expected["date"]
    assert formats.format_date(date(2026, 12, 3), language) == expected["date"]
    assert formats.format_time(MOMENT, language) == expected["time"]
    assert formats.format_money(3571.43, language) == expected["money"]
    assert formats.format_money(Fraction(357143, 100), language) == expected["money"]
    assert formats.format_money(140000, language) == expected["whole"]
    assert formats.format_number(1234567.5, locale=language) == expected["number"]


def test_times_are_espoo_time_across_midnight_and_summer_time():
    summer_night = datetime(2026, 6, 1, 21, 30, tzinfo=UTC)  # 0.30 on 2 June in Espoo
    assert formats.format_datetime(summer_night, "fi") == "2.6.2026 0.30"
    assert formats.format_datetime(summer_night, "en") == "2 June 2026 at 00:30"
    assert formats.format_number(2.5, 1, "sv") == "2,5"
    assert formats.format_number(3, 1, "en") == "3.0"


@pytest.mark.parametrize("language", LANGUAGES)
def test_template_filters_use_the_helpers_whatever_width_is_asked(app, language):
    expected = EXPECTED[language]
    source = ('{{ m | datetime("short") }}|{{ m | datetime }}|{{ m | date("long") }}|'
              '{{ m | date("medium") }}|{{ m | time }}|{{ 3571.43 | euros }}|{{ 140000 | euros }}|'
              '{{ 1234567.5 | number }}')
    with app.test_request_context(), force_locale(language):
        rendered = render_template_string(source, m=MOMENT).split("|")
    assert rendered == [expected["datetime"], expected["datetime"], expected["date"],
                        expected["date"], expected["time"], expected["money"],
                        expected["whole"], expected["number"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_idea_page_shows_dates_and_times_the_finnish_way(app, client, factory, language):
    ensure_themes(app)
    author = factory.user()
    idea_id = make_idea(app, author.id)
    comment_id = make_comment(app, author.id, idea_id)
    with app.app_context():
        db.session.get(Idea, idea_id).created_at = MOMENT
        db.session.get(IdeaComment, comment_id).created_at = MOMENT
        db.session.commit()
    html = client.get(f"/ideas/{idea_id}", headers={"Accept-Language": language}) \
        .get_data(as_text=True)
    assert f">{EXPECTED[language]['date']}</time>" in html
    assert f">{EXPECTED[language]['datetime']}</time>" in html


def test_machine_formats_are_iso_8601_in_utc():
    helsinki_time = datetime.fromisoformat("2026-12-03T14:59:30.5+02:00")
    assert formats.machine_datetime(helsinki_time) == "2026-12-03T12:59:30Z"
    assert formats.machine_datetime(date(2026, 12, 3)) == "2026-12-03"
    assert formats.machine_datetime(None) is None


def test_nothing_else_formats_dates_or_money_for_people():
    """One way of doing it: Babel's and Flask-Babel's formatters only in core/formats.py, so a
    new page cannot fall back to Babel's defaults (US dates in English, Sweden's in Swedish)."""
    pattern = re.compile(r"\bfrom (babel\.dates|babel\.numbers|flask_babel) import "
                         r"(\([^)]*|[^\n(]*)\bformat_")
    offenders = []
    for path in (ROOT / "participation").rglob("*.py"):
        if path.name == "formats.py" and path.parent.name == "core":
            continue
        text = path.read_text(encoding="utf-8")
        if pattern.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], f"use participation/core/formats.py in {offenders}"
