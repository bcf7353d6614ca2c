"""A hand-worked fixture of participation events (see test_compute.py for the arithmetic)."""

from __future__ import annotations

from datetime import UTC, datetime

from participation.extensions import db
from participation.indicators.models import ParticipationEvent

MIDYEAR = datetime(2026, 6, 1, 12, tzinfo=UTC)
# 23:30 on 31 December 2026 in Helsinki (UTC+2) is still 2026; 00:30 on 1 January is 2027.
LAST_MINUTES_OF_2026 = datetime(2026, 12, 31, 21, 30, tzinfo=UTC)
FIRST_MINUTES_OF_2027 = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)


def event(key, *, area=1, band="18-29", language="fi", kind="idea_supported",
          channel="web", when=MIDYEAR):
    db.session.add(ParticipationEvent(
        participant_key=key, area_id=area, age_band=band, language_group=language,
        kind=kind, channel=channel, occurred_at=when))


def seed_fixture(app) -> None:
    """2026 (41 people):
    area 1: 11 aged 18-29 (10 took part twice; one of them also in 2025; one only in the last
            half hour of the year) and 6 aged 30-44, all Finnish on the web: 17;
    area 2: 6 aged 15-17, Swedish, answering a hearing in a class session;
    area 3: 3 aged 15-17, Swedish, voting on paper;
    area 4: 7 aged 18-29 and 8 aged 30-44, Finnish, web ideas: 15.
    One more person takes part only in the first minutes of 2027."""
    with app.app_context():
        for n in range(10):
            event(f"a1-{n}")
            event(f"a1-{n}", kind="comment_posted")  # twice: still one person
        event("a1-0", when=datetime(2025, 6, 1, tzinfo=UTC))
        event("a1-late", when=LAST_MINUTES_OF_2026)
        event("next-year", when=FIRST_MINUTES_OF_2027)
        for n in range(6):
            event(f"a1-older-{n}", band="30-44")
        for n in range(6):
            event(f"a2-{n}", area=2, band="15-17", language="sv", kind="hearing_answered",
                  channel="school_code")
        for n in range(3):
            event(f"a3-{n}", area=3, band="15-17", language="sv", kind="ballot_cast",
                  channel="paper")
        for n in range(7):
            event(f"a4-young-{n}", area=4, band="18-29", kind="idea_submitted")
        for n in range(8):
            event(f"a4-{n}", area=4, band="30-44", kind="idea_submitted")
        db.session.commit()
