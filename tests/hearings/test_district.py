"""The district question: districts as a choice, checked, counted with suppression."""

from __future__ import annotations

import sqlalchemy as sa

from participation.core.models import District
from participation.extensions import db
from participation.hearings import answering, results, services
from tests.hearings.conftest import build, question, user


def _hearing_with_district(worker):
    hearing = build(user(worker), publish=False)
    services.add_question(hearing, worker, question("district"))
    services.publish(hearing, worker)
    return hearing


def _submit(hearing, district):
    single, district_q = hearing.questions[0], hearing.questions[-1]
    raw = {f"q{single.id}": [str(single.options[0].id)], f"q{district_q.id}": [str(district)]}
    return answering.submit_response(hearing, raw, paper=True)


def test_district_answers_are_checked_and_counted_with_suppression(app, worker, ctx):
    hearing = _hearing_with_district(user(worker))
    first, second = db.session.scalars(sa.select(District).order_by(District.id).limit(2))
    assert f"q{hearing.questions[-1].id}" in _submit(hearing, 999999).errors
    assert f"q{hearing.questions[-1].id}" in _submit(hearing, "x").errors
    for _ in range(6):
        assert _submit(hearing, first.id).errors == {}
    assert _submit(hearing, second.id).errors == {}
    result = results.question_results(hearing)[-1]
    # 6 and 1 of 7: the 1 hides, and the 6 with it, so 7 - 6 cannot give it back.
    assert sorted(row.label for row in result.rows) == sorted([first.name, second.name])
    assert [row.count for row in result.rows] == [None, None] and result.answered == 7
    for _ in range(4):
        _submit(hearing, second.id)
    counts = {row.label: row.count for row in results.question_results(hearing)[-1].rows}
    assert counts == {first.name: 6, second.name: 5}


def test_answer_page_offers_districts_grouped_by_area(app, client, auth, worker):
    with app.test_request_context():
        hearing_id = _hearing_with_district(user(worker)).id
        district = db.session.scalars(sa.select(District).limit(1)).one()
        name = district.name_fi
        db.session.commit()
    auth.login(worker.email)
    page = client.get(f"/hearings/manage/{hearing_id}/preview")
    text = page.get_data(as_text=True)
    assert "<optgroup" in text and name in text
    assert text.count("<optgroup") >= 7  # every major area holds its districts
