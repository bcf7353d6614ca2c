"""Participation events: pseudonymous, complete, validated, and kept when an account goes."""

from __future__ import annotations

import hashlib
import hmac

import pytest
import sqlalchemy as sa

from participation.accounts import services as accounts
from participation.accounts.models import User
from participation.core.models import Area
from participation.core.types import utcnow
from participation.extensions import db
from participation.ideas import services
from participation.ideas.models import Idea
from participation.indicators.models import ParticipationEvent
from participation.indicators.services import participant_key, record_event
from tests.ideas.builders import ensure_themes, make_comment, make_idea


@pytest.fixture(autouse=True)
def _themes(app):
    ensure_themes(app)


def _events(app) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(ParticipationEvent).order_by(ParticipationEvent.id)).all()
        return [{c.name: getattr(row, c.name) for c in ParticipationEvent.__table__.columns}
                for row in rows]


def _area_id(app, code: int) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Area.id).where(Area.code == code))


def _support(app, user_id, idea_id):
    with app.test_request_context():
        services.support_idea(db.session.get(User, user_id), db.session.get(Idea, idea_id))
        db.session.commit()


def test_idea_support_and_comment_events_record_who_where_how(app, factory):
    # 16 this year, using Swedish, living in area 3; the idea is for area 5.
    author = factory.user(birth_year=utcnow().year - 16, language="sv", area_code=3)
    supporter = factory.user(birth_year=utcnow().year - 70, language="en", area_code=6)
    idea_id = make_idea(app, author.id, area_code=5, language="fi")
    _support(app, supporter.id, idea_id)
    make_comment(app, supporter.id, idea_id, "Hyvä ajatus", language="fi")
    submitted, supported, commented = _events(app)
    assert [e["kind"] for e in (submitted, supported, commented)] == [
        "idea_submitted", "idea_supported", "comment_posted"]
    assert (submitted["age_band"], submitted["language_group"]) == ("15-17", "sv")
    # The participant's home area: the denominators of "participation per major area" are
    # the areas' populations, so the numerator counts the people living there.
    assert submitted["area_id"] == _area_id(app, 3)
    assert (supported["age_band"], supported["language_group"]) == ("65-74", "other")
    assert supported["area_id"] == commented["area_id"] == _area_id(app, 6)
    for event in (submitted, supported, commented):
        assert (event["process_type"], event["process_id"]) == ("Idea", idea_id)
        assert event["channel"] == "web"
        assert event["occurred_at"] is not None
    assert supported["participant_key"] == commented["participant_key"]
    assert submitted["participant_key"] != supported["participant_key"]


def test_the_participant_key_is_a_keyed_hash_not_the_user_id(app, factory, monkeypatch):
    person = factory.user()
    first = make_idea(app, person.id, title="First", description="One thing.")
    second = make_idea(app, person.id, title="Second", description="Another thing.")
    _support(app, person.id, first)
    keys = {event["participant_key"] for event in _events(app)}
    assert len(keys) == 1
    [key] = keys
    with app.app_context():
        user = db.session.get(User, person.id)
        seed = user.pseudonym_seed
        assert key == participant_key(seed)
        secret = app.config["PSEUDONYM_KEY"].encode()
        assert key == hmac.new(secret, seed.encode(), hashlib.sha256).hexdigest()
    # Nothing a reader of the table knows gives the key without the secret.
    guesses = {str(person.id), person.email, seed, str(first), str(second)}
    for guess in guesses:
        assert key != guess
        assert key != hashlib.sha256(guess.encode()).hexdigest()
        assert key != hmac.new(b"", guess.encode(), hashlib.sha256).hexdigest()
    monkeypatch.setitem(app.config, "PSEUDONYM_KEY", "another-key")
    with app.app_context():
        assert participant_key(seed) != key


@pytest.mark.parametrize("options, word", [
    ({"kind": "idea_liked", "key": "x"}, "kind"),
    ({"kind": "idea_supported", "key": "x", "channel": "fax"}, "channel"),
    ({"kind": "idea_supported"}, "user"),
])
def test_unknown_kind_or_channel_is_refused(app, options, word):
    with app.app_context():
        with pytest.raises(ValueError, match=word):
            record_event(**options)
        db.session.rollback()
    assert _events(app) == []


def test_other_channels_and_anonymous_keys_are_recorded(app):
    with app.app_context():
        record_event("hearing_answered", key="school-code-123", channel="school_code",
                     area_id=_area_id(app, 2), language="fi", age_band="12-14")
        db.session.commit()
    [event] = _events(app)
    assert (event["participant_key"], event["channel"], event["area_id"], event["age_band"],
            event["language_group"], event["process_type"]) == (
        "school-code-123", "school_code", _area_id(app, 2), "12-14", "fi", None)


def test_deleting_the_account_keeps_the_events_and_loses_the_person(app, factory):
    person = factory.user(language="fi", area_code=2)
    idea_id = make_idea(app, person.id)
    make_comment(app, person.id, idea_id, "Oma kommentti")
    before = _events(app)
    with app.test_request_context():
        accounts.delete_account(db.session.get(User, person.id), person.password)
        db.session.commit()
    after = _events(app)
    assert after == before
    assert len(after) == 2
    with app.app_context():
        user = db.session.get(User, person.id)
        assert user is None or user.pseudonym_seed is None
