"""The hearing pages end to end: drafting and publishing, answering, results, feedback."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from participation.core.types import utcnow
from participation.extensions import db
from participation.hearings import answering, services
from participation.hearings.models import ClassSession, Hearing, Response
from participation.ideas.models import Notification
from tests.hearings.conftest import build, user


def _make(app, worker, **kwargs) -> int:
    with app.test_request_context():
        hearing = build(user(worker), **kwargs)
        db.session.commit()
        return hearing.id


def _hearing(hearing_id) -> Hearing:
    return db.session.get(Hearing, hearing_id)


def _form(**values) -> dict:
    now = utcnow() + timedelta(hours=2)
    form = {"title_fi": "Kuuleminen", "title_sv": "", "intro_fi": "Johdanto", "intro_sv": "",
            "organiser": "Nuorisovaltuusto", "contact_name": "Nea", "min_age": "12",
            "max_age": "17", "opens_at": (now - timedelta(days=1))
            .strftime("%Y-%m-%dT%H:%M"), "closes_at": (now + timedelta(days=9))
            .strftime("%Y-%m-%dT%H:%M"), "feedback_due": (now + timedelta(days=30))
            .strftime("%Y-%m-%d"), "ask_background": "y"}
    form.update(values)
    return form


def test_publishing_needs_finnish_and_swedish(app, client, auth, worker):
    auth.login(worker.email)
    response = client.post("/hearings/manage/new", data=_form(max_age="11"))
    assert response.status_code == 422 and "Kuuleminen" in response.text  # input kept
    response = client.post("/hearings/manage/new", data=_form())
    hearing_url = response.headers["Location"]
    hearing_id = int(hearing_url.rsplit("/", 1)[1])
    client.post(f"/hearings/manage/{hearing_id}/questions", data={
        "kind": "single", "text_fi": "Kumpi?", "text_sv": "Vilken?", "options_fi": "A\nB",
        "options_sv": "A\nB", "show_if_option_id": ""})
    bad = client.post(f"/hearings/manage/{hearing_id}/questions", data={
        "kind": "single", "text_fi": "Kumpi?", "options_fi": "A\nB", "options_sv": "A",
        "show_if_option_id": ""})
    assert bad.status_code == 422
    client.post(f"/hearings/manage/{hearing_id}/publish")
    with app.app_context():
        assert _hearing(hearing_id).state == "draft"  # no Swedish title or introduction
        assert len(_hearing(hearing_id).questions) == 1
    client.post(hearing_url, data=_form(title_sv="Hörande", intro_sv="Inledning"))
    client.post(f"/hearings/manage/{hearing_id}/publish")
    with app.app_context():
        assert _hearing(hearing_id).state == "published"
    assert client.get(f"/hearings/{hearing_id}").status_code == 200


def test_drafts_and_open_results_stay_with_organisers(app, client, auth, worker, factory):
    draft_id = _make(app, worker, publish=False)
    open_id = _make(app, worker)
    assert client.get(f"/hearings/{draft_id}").status_code == 404
    assert client.get(f"/hearings/{open_id}/results").status_code == 404
    assert client.get(f"/hearings/{open_id}/results.csv").status_code == 404
    auth.login(factory.user().email)
    assert client.get("/hearings/manage").status_code == 403
    auth.logout()
    auth.login(worker.email)
    assert client.get(f"/hearings/{draft_id}").status_code == 200
    assert client.get(f"/hearings/{open_id}/results").status_code == 200


def _answer_form(app, hearing_id) -> dict:
    with app.app_context():
        single = _hearing(hearing_id).questions[0]
        return {f"q{single.id}": str(single.options[1].id),
                "shown": [str(q.id) for q in _hearing(hearing_id).questions]}


def _open_session(app, worker, hearing_id, cap=30) -> str:
    with app.test_request_context():
        found = services.open_session(_hearing(hearing_id), user(worker), "8B", cap, 2)
        db.session.commit()
        return found.code


def test_pupil_answers_with_a_code_once(app, client, worker):
    hearing_id = _make(app, worker)
    code = _open_session(app, worker, hearing_id)
    wrong = client.post("/hearings/code", data={"code": "XXXXXX"})
    assert wrong.status_code == 422 and "XXXXXX" in wrong.text
    assert client.post("/hearings/code", data={"code": code.lower()}).status_code == 302
    page = client.get(f"/hearings/{hearing_id}/class")
    assert page.status_code == 200
    form = _answer_form(app, hearing_id)
    saved = client.post(f"/hearings/{hearing_id}/class", data=form | {"save": "1"})
    assert saved.status_code == 302
    assert 'checked' in client.get(f"/hearings/{hearing_id}/class").text  # progress kept
    done = client.post(f"/hearings/{hearing_id}/class", data=form | {"send": "1",
                                                                     "email": "a@example.org"})
    assert done.headers["Location"].endswith(f"/hearings/{hearing_id}/thanks")
    thanks = client.get(done.headers["Location"])
    assert "Kiitos" in thanks.text
    # The same device session is over: answering again needs the code again.
    again = client.get(f"/hearings/{hearing_id}/class")
    assert again.status_code == 302 and again.headers["Location"].endswith("/hearings/code")
    with app.app_context():
        assert db.session.scalar(sa.select(Response.channel)) == "school_code"


def test_code_over_the_cap_is_refused(app, client, worker):
    hearing_id = _make(app, worker)
    code = _open_session(app, worker, hearing_id, cap=1)
    with app.test_request_context():
        found = db.session.scalar(sa.select(ClassSession))
        answering.submit_response(_hearing(hearing_id), {**{k: [v] if isinstance(v, str) else v
                                  for k, v in _answer_form(app, hearing_id).items()}},
                                  token="other", session=found)
        db.session.commit()
    refused = client.post("/hearings/code", data={"code": code})
    assert refused.status_code == 422


def test_paper_entry_and_session_results_from_five(app, client, auth, worker):
    hearing_id = _make(app, worker)
    auth.login(worker.email)
    for _ in range(2):
        response = client.post(f"/hearings/manage/{hearing_id}/paper",
                               data=_answer_form(app, hearing_id) | {"send": "1"})
        assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 2
    _open_session(app, worker, hearing_id)
    with app.test_request_context():
        found = db.session.scalar(sa.select(ClassSession))
        raw = {k: [v] if isinstance(v, str) else v for k, v in
               _answer_form(app, hearing_id).items()}
        for number in range(4):
            answering.submit_response(_hearing(hearing_id), raw, token=f"d{number}",
                                      session=found)
        db.session.commit()
        session_id = found.id
    url = f"/hearings/manage/{hearing_id}/sessions/{session_id}/results"
    assert client.get(url).status_code == 403  # four answers: not yet
    with app.test_request_context():
        answering.submit_response(_hearing(hearing_id), raw, token="d5",
                                  session=db.session.get(ClassSession, session_id))
        db.session.commit()
    assert client.get(url).status_code == 200


def test_feedback_is_published_notified_and_overdue_listed(app, client, auth, worker, factory,
                                                           outbox):
    staff = factory.user(roles=("staff",))
    pupil = factory.user(birth_year=utcnow().year - 15)
    hearing_id = _make(app, worker)
    with app.test_request_context():
        hearing = _hearing(hearing_id)
        answering.submit_response(hearing, {k: [v] if isinstance(v, str) else v for k, v in
                                            _answer_form(app, hearing_id).items()},
                                  user=user(pupil))
        hearing.feedback_due = (utcnow() - timedelta(days=40)).date()
        hearing.closes_at = utcnow() - timedelta(days=50)
        hearing.opens_at = utcnow() - timedelta(days=60)
        db.session.commit()
    auth.login(staff.email)
    assert client.get("/hearings/").status_code == 200  # closes the ended hearing
    overdue = client.get("/hearings/manage/overdue")
    assert "Nuorisotilat" in overdue.text
    refused = client.post(f"/hearings/manage/{hearing_id}/feedback", data={
        "question_id": "", "heard_fi": "Kuulimme", "action_fi": "Teemme",
        "link_url": "https://example.org"})
    assert refused.status_code == 422 and "Kuulimme" in refused.text
    client.post(f"/hearings/manage/{hearing_id}/feedback", data={
        "question_id": "", "heard_fi": "Kuulimme", "heard_sv": "Vi hörde",
        "action_fi": "Teemme", "action_sv": "Vi gör", "link_url": "https://example.org"})
    client.post(f"/hearings/manage/{hearing_id}/feedback/publish")
    with app.app_context():
        assert _hearing(hearing_id).feedback_published_at is not None
        note = db.session.scalar(sa.select(Notification).where(
            Notification.user_id == pupil.id))
        assert note.kind == "hearing_feedback"
    assert "Nuorisotilat" not in client.get("/hearings/manage/overdue").text
    page = client.get(f"/hearings/{hearing_id}")
    assert "Kuulimme" in page.text and "Teemme" in page.text
    auth.logout()
    auth.login(pupil.email)
    assert "Nuorisotilat" in client.get("/notifications").text


def test_consultation_log_and_exports_are_csv(app, client, auth, worker):
    hearing_id = _make(app, worker)
    auth.login(worker.email)
    log = client.get(f"/hearings/manage/consultation-log.csv?hearing={hearing_id}")
    assert log.status_code == 200 and log.mimetype == "text/csv"
    assert "Nuorisotilat" in log.text
    assert client.get(f"/hearings/{hearing_id}/results.json").json["minimum_cell"] == 5
