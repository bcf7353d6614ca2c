"""`seed demo` makes the figures meaningful: a year of events beside the other demos' own."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from participation.core.types import utcnow
from participation.demo import seed_demo_data
from participation.extensions import db
from participation.indicators.demo import seed_demo_participation
from participation.indicators.models import ParticipationEvent
from tests.ideas.builders import ensure_themes


def test_the_whole_demo_spreads_last_year_and_this_year_over_groups(app):
    ensure_themes(app)
    with app.test_request_context():
        seed_demo_data(progress=lambda _message: None)  # ideas, budgeting, hearings first
        db.session.commit()
        this_year = datetime(utcnow().year, 1, 1, tzinfo=UTC)
        events = sa.select(sa.func.count()).select_from(ParticipationEvent)
        assert db.session.scalar(events.where(ParticipationEvent.occurred_at < this_year)) > 500
        assert db.session.scalar(events) > 2500
        groups = db.session.execute(sa.select(
            sa.func.count(sa.distinct(ParticipationEvent.area_id)),
            sa.func.count(sa.distinct(ParticipationEvent.age_band)),
            sa.func.count(sa.distinct(ParticipationEvent.language_group)),
            sa.func.count(sa.distinct(ParticipationEvent.channel)))).one()
        assert all(found >= least for found, least in zip(groups, (7, 5, 3, 3), strict=True))
        assert seed_demo_participation(progress=lambda _message: None) == 0  # once only


def test_demo_events_on_the_site_carry_a_spread_of_interface_languages(app):
    """The staff figures' table by the language of the site needs languages to show: mostly
    Finnish, every interface language present, none on paper or assisted events."""
    from participation.i18n import MENU_ORDER

    with app.test_request_context():
        seed_demo_participation(progress=lambda _message: None)
        db.session.commit()
        Event = ParticipationEvent
        counts = dict(db.session.execute(
            sa.select(Event.interface_language, sa.func.count())
            .where(Event.channel.in_(("web", "school_code")))
            .group_by(Event.interface_language)).all())
        assert None not in counts, "a web or school-code event without its interface language"
        assert set(counts) == set(MENU_ORDER)
        assert max(counts, key=counts.get) == "fi"
        offline = db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(
            Event.channel.in_(("paper", "assisted")), Event.interface_language.is_not(None)))
        assert offline == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(
            Event.channel.in_(("paper", "assisted")))) > 0
