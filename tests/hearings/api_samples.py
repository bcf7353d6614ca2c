"""Hearings for API tests: one open, one closed with answers and published feedback."""

from __future__ import annotations

from participation.extensions import db
from participation.hearings import answering, feedback, services
from tests.hearings.conftest import build, user


def open_and_closed_hearings(app, factory) -> tuple[int, int]:
    worker = factory.user(roles=("youth_worker",))
    with app.test_request_context():
        opened = build(user(worker))
        closed = build(user(worker), title_fi="Koulumatkat")
        single, multiple, scale, text, ranking, area = closed.questions
        for number in range(7):
            raw = {f"q{single.id}": [str(single.options[0 if number < 6 else 1].id)],
                   f"q{multiple.id}": [str(multiple.options[0].id)],
                   f"q{scale.id}": ["4"], f"q{text.id}": ["kiva"],
                   f"rank-{ranking.id}-{ranking.options[1].id}": ["1"],
                   f"q{area.id}": [str(area.hearing.areas[0].id if area.hearing.areas else 1)],
                   "bg_age": ["12-14" if number < 5 else "15-17"]}
            assert answering.submit_response(closed, raw, paper=True).errors == {}
        services.close(closed, user(worker))
        feedback.add_point(closed, user(worker), {
            "question_id": single.id, "heard_fi": "Kuulimme", "heard_sv": "Vi hörde",
            "action_fi": "Teemme", "action_sv": "Vi gör", "link_url": "https://example.org"})
        feedback.publish_feedback(closed, user(worker))
        db.session.commit()
        return opened.id, closed.id
