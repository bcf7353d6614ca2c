"""A hearing targets several areas or the whole city; one-area hearings migrate over."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.core.exceptions import ServiceError
from participation.extensions import db
from participation.hearings import answering, services
from participation.hearings.models import Hearing
from tests.hearings.conftest import build, hearing_values, user


def test_a_hearing_targets_several_areas_shown_on_page_and_in_the_api(app, client, worker,
                                                                       factory):
    first, second = factory.area_id(1), factory.area_id(2)
    with app.test_request_context():
        hearing = build(user(worker), area_ids=[second, first])
        names = [area.name for area in hearing.areas]
        db.session.commit()
        hearing_id = hearing.id
    assert len(names) == 2
    page = client.get(f"/hearings/{hearing_id}").get_data(as_text=True)
    assert ", ".join(names) in page
    api = client.get(f"/api/v1/hearings/{hearing_id}").json
    assert sorted(area["id"] for area in api["areas"]) == sorted([first, second])


def test_no_areas_is_the_whole_city_and_unknown_areas_are_refused(app, worker, ctx):
    hearing = build(user(worker))
    assert hearing.areas == []
    with pytest.raises(ServiceError):
        services.update_hearing(hearing, user(worker), hearing_values(area_ids=[999999]))


def test_target_areas_do_not_change_who_may_answer_only_age_does(app, worker, factory, ctx):
    # Areas tell who the hearing is about; the age range decides who may answer.
    hearing = build(user(worker), area_ids=[factory.area_id(2)])
    outside_area = factory.user(birth_year=services.today_in_helsinki().year - 14, area_code=1)
    too_old = factory.user(birth_year=1990, area_code=2)
    assert answering.account_refusal(hearing, user(outside_area)) is None
    assert answering.account_refusal(hearing, user(too_old)) is not None


def test_migration_moves_the_single_area_into_the_new_table_and_back(app, worker, factory):
    from flask_migrate import downgrade, upgrade

    area = factory.area_id(3)
    with app.test_request_context():
        hearing_id = build(user(worker), area_ids=[area]).id
        db.session.commit()
        db.session.remove()
        try:
            downgrade(revision="5f1d2c3b4a6e")
            assert db.session.execute(sa.text("SELECT area_id FROM hearing WHERE id = :id"),
                                      {"id": hearing_id}).scalar() == area
            db.session.execute(sa.text("UPDATE hearing SET area_id = NULL"))
            db.session.execute(sa.text("UPDATE hearing SET area_id = :a WHERE id = :id"),
                               {"a": factory.area_id(4), "id": hearing_id})
            db.session.commit()
            db.session.remove()
        finally:
            upgrade(revision="heads")
        assert [a.id for a in db.session.get(Hearing, hearing_id).areas] == [factory.area_id(4)]


def test_the_organiser_form_takes_several_areas_and_refuses_unknown_ones(app, client, auth,
                                                                        worker, factory):
    from tests.hearings.test_views import _form

    first, second = factory.area_id(1), factory.area_id(5)
    auth.login(worker.email)
    bad = client.post("/hearings/manage/new", data=_form(area_ids=["999999"]))
    assert bad.status_code == 422 and "Kuuleminen" in bad.text
    response = client.post("/hearings/manage/new", data=_form(area_ids=[str(first), str(second)]))
    hearing_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert {a.id for a in db.session.get(Hearing, hearing_id).areas} == {first, second}
    edit = client.get(f"/hearings/manage/{hearing_id}").get_data(as_text=True)
    assert edit.count("selected") >= 2
