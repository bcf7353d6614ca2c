"""Idea rules: submitting, checking drafts, supporting, following, counters, pre-moderation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from participation import create_app
from participation.accounts.models import User
from participation.core.exceptions import ServiceError
from participation.core.models import Area, District
from participation.extensions import db
from participation.ideas import services
from participation.ideas.models import Idea, IdeaFollow, IdeaSupport, Theme
from participation.indicators.models import ParticipationEvent
from tests.ideas.builders import get_idea, make_idea, theme_id


def _draft(app, **changes) -> services.IdeaDraft:
    values = dict(title="Benches", description="More benches.", theme_id=theme_id(app),
                  area_id=None, district_id=None, language="fi", image_alt="")
    values.update(changes)
    return services.IdeaDraft(**values)


def _refusal(app, draft, has_image=False) -> str | None:
    with app.test_request_context():
        try:
            services.check_draft(draft.cleaned(), has_image=has_image)
        except ServiceError as error:
            return error.field
    return None


def _district(app, area_code: int) -> tuple[int, int]:
    with app.app_context():
        area_id = db.session.scalar(sa.select(Area.id).where(Area.code == area_code))
        district_id = db.session.scalar(
            sa.select(District.id).where(District.area_id == area_id).limit(1))
        return area_id, district_id


def test_submit_publishes_with_sanitised_html_and_plain_text(app, resident):
    idea_id = make_idea(app, resident.id, title="  Benches   in  the park ",
                        description="Shade please.\n\n- trees\n- benches")
    idea = get_idea(app, idea_id)
    assert idea["title"] == "Benches in the park"
    assert idea["description_text"] == "Shade please.\n\n- trees\n- benches"
    assert idea["description_html"] == "<p>Shade please.</p><ul><li>trees</li><li>benches</li></ul>"
    assert idea["moderation_state"] == "published"
    assert idea["status"] == "submitted"
    assert idea["author_id"] == resident.id
    assert (idea["support_count"], idea["comment_count"]) == (0, 0)


@pytest.mark.parametrize("changes, field", [
    ({"title": "   "}, "title"),
    ({"title": "x" * 121}, "title"),
    ({"description": "  \n "}, "description"),
    ({"description": "x" * 5001}, "description"),
    ({"theme_id": None}, "theme"),
    ({"theme_id": 999999}, "theme"),
    ({"area_id": 999999}, "area"),
    ({"language": "xx"}, "language"),
    ({"image_alt": "a" * 251}, "image_alt"),
])
def test_check_draft_refuses_bad_input(app, changes, field):
    assert _refusal(app, _draft(app, **changes)) == field


def test_image_needs_a_description(app):
    assert _refusal(app, _draft(app), has_image=True) == "image_alt"
    assert _refusal(app, _draft(app, image_alt="A park bench"), has_image=True) is None


def test_district_must_belong_to_the_area(app):
    area_1, district_1 = _district(app, 1)
    area_2, _district_2 = _district(app, 2)
    assert _refusal(app, _draft(app, area_id=area_1, district_id=district_1)) is None
    assert _refusal(app, _draft(app, area_id=area_2, district_id=district_1)) == "district"
    assert _refusal(app, _draft(app, area_id=None, district_id=district_1)) == "district"
    assert _refusal(app, _draft(app, area_id=area_1, district_id=999999)) == "district"


def test_inactive_theme_is_refused(app):
    with app.app_context():
        theme = db.session.get(Theme, theme_id(app))
        theme.active = False
        db.session.commit()
    assert _refusal(app, _draft(app)) == "theme"


def test_premoderation_setting_leaves_new_ideas_pending(app, resident):
    app.config["IDEAS_PREMODERATION"] = True
    try:
        pending = make_idea(app, resident.id)
    finally:
        app.config["IDEAS_PREMODERATION"] = False
    assert get_idea(app, pending)["moderation_state"] == "pending"
    assert get_idea(app, make_idea(app, resident.id))["moderation_state"] == "published"


@pytest.mark.parametrize("value, expected", [("true", True), ("1", True), ("false", False),
                                             ("0", False), ("", False)])
def test_premoderation_setting_from_the_environment(monkeypatch, tmp_path, value, expected):
    monkeypatch.setenv("PARTICIPATION_IDEAS_PREMODERATION", value)
    app = create_app({"INSTANCE_PATH": tmp_path, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        assert services.premoderation_enabled() is expected


def _call(app, function, user_id, idea_id):
    with app.test_request_context():
        result = function(db.session.get(User, user_id), db.session.get(Idea, idea_id))
        db.session.commit()
        return result


def test_support_once_and_withdraw(app, resident, other):
    idea_id = make_idea(app, resident.id)
    assert _call(app, services.support_idea, other.id, idea_id) is True
    assert _call(app, services.support_idea, other.id, idea_id) is False
    assert get_idea(app, idea_id)["support_count"] == 1
    assert _call(app, services.withdraw_support, other.id, idea_id) is True
    assert _call(app, services.withdraw_support, other.id, idea_id) is False
    assert get_idea(app, idea_id)["support_count"] == 0


def test_one_support_per_person_is_a_database_rule(app, resident, other):
    idea_id = make_idea(app, resident.id)
    with app.app_context():
        db.session.add(IdeaSupport(idea_id=idea_id, user_id=other.id))
        db.session.commit()
        db.session.add(IdeaSupport(idea_id=idea_id, user_id=other.id))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.add(IdeaFollow(idea_id=idea_id, user_id=other.id))
        db.session.add(IdeaFollow(idea_id=idea_id, user_id=other.id))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.parametrize("status, state", [("rejected", "published"), ("merged", "published"),
                                           ("implemented", "published"),
                                           ("submitted", "pending")])
def test_closed_or_unpublished_ideas_take_no_supports(app, resident, other, status, state):
    idea_id = make_idea(app, resident.id, status=status, moderation_state=state)
    with pytest.raises(ServiceError):
        _call(app, services.support_idea, other.id, idea_id)
    assert get_idea(app, idea_id)["support_count"] == 0


def test_withdrawing_works_on_a_closed_idea(app, resident, other):
    idea_id = make_idea(app, resident.id)
    _call(app, services.support_idea, other.id, idea_id)
    with app.app_context():
        db.session.get(Idea, idea_id).status = "rejected"
        db.session.commit()
    assert _call(app, services.withdraw_support, other.id, idea_id) is True


def test_follow_and_unfollow(app, resident, other):
    idea_id = make_idea(app, resident.id)
    assert _call(app, services.follow_idea, other.id, idea_id) is True
    assert _call(app, services.follow_idea, other.id, idea_id) is False
    assert _call(app, services.is_following, other.id, idea_id) is True
    assert _call(app, services.unfollow_idea, other.id, idea_id) is True
    assert _call(app, services.is_following, other.id, idea_id) is False


def test_recount_repairs_the_counters(app, resident, other):
    idea_id = make_idea(app, resident.id)
    _call(app, services.support_idea, other.id, idea_id)
    with app.app_context():
        db.session.execute(sa.update(Idea).values(support_count=7, comment_count=5))
        db.session.commit()
        services.recount([idea_id])
        db.session.commit()
    idea = get_idea(app, idea_id)
    assert (idea["support_count"], idea["comment_count"]) == (1, 0)


def test_submit_and_support_write_participation_events(app, resident, other):
    idea_id = make_idea(app, resident.id)
    _call(app, services.support_idea, other.id, idea_id)
    _call(app, services.follow_idea, other.id, idea_id)
    with app.app_context():
        events = db.session.execute(
            sa.select(ParticipationEvent.kind, ParticipationEvent.process_type,
                      ParticipationEvent.process_id, ParticipationEvent.channel)
            .order_by(ParticipationEvent.id)).all()
    assert [tuple(event) for event in events] == [
        ("idea_submitted", "Idea", idea_id, "web"),
        ("idea_supported", "Idea", idea_id, "web"),
    ]
