"""Answering: every question type refuses bad input; who may answer; conditions; drafts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.core.exceptions import ServiceError
from participation.core.types import utcnow
from participation.extensions import db
from participation.hearings import answering, services
from participation.hearings.models import (
    Answer,
    AnswerDraft,
    Respondent,
    Response,
    TextAnswer,
)
from participation.indicators.models import ParticipationEvent
from tests.hearings.conftest import build, user


def _q(hearing, index):
    return hearing.questions[index]


def _good(hearing) -> dict:
    single, _multiple, scale, text, ranking, area = hearing.questions
    return {f"q{single.id}": [str(single.options[1].id)], f"q{scale.id}": ["4"],
            f"q{text.id}": ["hyvä"], f"rank-{ranking.id}-{ranking.options[2].id}": ["1"],
            f"rank-{ranking.id}-{ranking.options[0].id}": ["2"],
            f"q{area.id}": [str(db.session.scalar(sa.text("select min(id) from area")))]}


def _errors(hearing, raw) -> dict:
    return answering.check_answers(hearing, raw, final=True).errors


@pytest.mark.parametrize("index, name, value", [
    (0, "q", "999999"),            # single: unknown option
    (0, "q", "abc"),               # single: not a number
    (2, "q", "6"),                 # scale: out of range
    (2, "q", "0"),
    (2, "q", "²"),                 # scale: not an ASCII digit
    (3, "q", "x" * 21),            # text: over the length limit
    (5, "q", "999999"),            # area: unknown area
])
def test_bad_single_values_are_refused(app, worker, ctx, index, name, value):
    hearing = build(user(worker))
    raw = _good(hearing)
    raw[f"q{_q(hearing, index).id}"] = [value]
    assert f"q{_q(hearing, index).id}" in _errors(hearing, raw)
    assert _errors(hearing, _good(hearing)) == {}


def test_multiple_choice_refuses_too_many_unknown_and_repeated_options(app, worker, ctx):
    hearing = build(user(worker))
    single, multiple = _q(hearing, 0), _q(hearing, 1)
    raw = _good(hearing)
    raw[f"q{single.id}"] = [str(single.options[0].id)]  # shows the multiple-choice question
    name = f"q{multiple.id}"
    ids = [str(option.id) for option in multiple.options]
    for bad in (ids, ["999999"], [ids[0], ids[0]]):
        raw[name] = bad
        assert name in _errors(hearing, raw), bad
    raw[name] = ids[:2]
    assert _errors(hearing, raw) == {}


@pytest.mark.parametrize("places", [
    {0: "1", 1: "1"},              # a place twice
    {0: "1", 1: "3"},              # a gap
    {0: "2"},                      # not starting from 1
    {0: "1", 1: "2", 2: "3", 3: "4"},  # more than the 3 allowed
    {0: "9"},                      # beyond the number of options
    {0: "-1"},
])
def test_ranking_refuses_bad_places(app, worker, ctx, places):
    hearing = build(user(worker))
    ranking = _q(hearing, 4)
    raw = {k: v for k, v in _good(hearing).items() if not k.startswith("rank-")}
    for index, place in places.items():
        raw[f"rank-{ranking.id}-{ranking.options[index].id}"] = [place]
    assert f"q{ranking.id}" in _errors(hearing, raw)


def test_required_question_must_be_answered_but_optional_may_be_skipped(app, worker, ctx):
    hearing = build(user(worker))
    raw = {f"q{_q(hearing, 0).id}": [str(_q(hearing, 0).options[1].id)]}
    assert _errors(hearing, raw) == {}
    assert f"q{_q(hearing, 0).id}" in _errors(hearing, {})


def test_conditional_question_shown_only_for_its_answer(app, worker, ctx):
    hearing = build(user(worker))
    single, multiple = _q(hearing, 0), _q(hearing, 1)
    raw = _good(hearing)  # option B: the condition (A) is not met
    assert multiple not in answering.shown_questions(hearing, raw)
    raw[f"q{multiple.id}"] = ["999999"]  # answers to hidden questions are ignored
    checked = answering.check_answers(hearing, raw, final=True)
    assert checked.errors == {} and multiple.id not in checked.answers
    raw[f"q{single.id}"] = [str(single.options[0].id)]
    assert multiple in answering.shown_questions(hearing, raw)
    assert f"q{multiple.id}" in _errors(hearing, raw)


def test_a_revealed_question_is_shown_before_the_response_is_taken(app, worker, factory, ctx):
    hearing = build(user(worker))
    young = user(factory.user(birth_year=utcnow().year - 14))
    single = _q(hearing, 0)
    raw = _good(hearing)
    raw[f"q{single.id}"] = [str(single.options[0].id)]
    seen = {q.id for q in hearing.questions} - {_q(hearing, 1).id}
    checked = answering.submit_response(hearing, raw, user=young, seen=seen)
    assert checked.unseen == [_q(hearing, 1).id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_account_answer_writes_response_respondent_and_event(app, worker, factory, ctx):
    hearing = build(user(worker))
    young = user(factory.user(birth_year=utcnow().year - 14))
    checked = answering.submit_response(hearing, _good(hearing), user=young)
    assert checked.errors == {}
    response = db.session.scalar(sa.select(Response))
    # Breakdowns come from background answers only, not from the account.
    assert response.channel == "web" and response.age_band is None
    assert db.session.scalar(sa.select(Respondent.user_id)) == young.id
    ranks = db.session.execute(sa.select(Answer.option_id, Answer.value).where(
        Answer.question_id == _q(hearing, 4).id).order_by(Answer.value)).all()
    assert [r.option_id for r in ranks] == [_q(hearing, 4).options[2].id,
                                            _q(hearing, 4).options[0].id]
    assert db.session.scalar(sa.select(TextAnswer.moderation_state)) == "pending"
    event = db.session.scalar(sa.select(ParticipationEvent))
    assert (event.kind, event.channel, event.process_type, event.age_band) == \
        ("hearing_answered", "web", "Hearing", "12-14")
    with pytest.raises(ServiceError):  # one response per account
        answering.submit_response(hearing, _good(hearing), user=young)


@pytest.mark.parametrize("age", [14, 18])
def test_accounts_outside_the_age_range_are_refused(app, worker, factory, ctx, age):
    hearing = build(user(worker), min_age=15, max_age=17)
    person = user(factory.user(birth_year=utcnow().year - age))
    assert answering.account_refusal(hearing, person) is not None
    with pytest.raises(ServiceError):
        answering.submit_response(hearing, _good(hearing), user=person)


def test_no_answers_after_closing(app, worker, factory, ctx):
    hearing = build(user(worker))
    services.close(hearing, user(worker))
    person = user(factory.user(birth_year=utcnow().year - 15))
    for kwargs in ({"user": person}, {"paper": True}):
        with pytest.raises(ServiceError):
            answering.submit_response(hearing, _good(hearing), **kwargs)


def test_class_session_code_one_answer_per_device_cap_and_expiry(app, worker, ctx):
    hearing = build(user(worker))
    group = services.open_session(hearing, user(worker), "8B", 2, 3)
    assert services.session_by_code(group.code.lower()) == group
    answering.submit_response(hearing, _good(hearing), token="device-1", session=group)
    assert db.session.scalar(sa.select(Response.channel)) == "school_code"
    event_key = db.session.scalar(sa.select(ParticipationEvent.participant_key))
    assert event_key != db.session.scalar(sa.select(Respondent.device_key))
    with pytest.raises(ServiceError):  # the same device again
        answering.submit_response(hearing, _good(hearing), token="device-1", session=group)
    answering.submit_response(hearing, _good(hearing), token="device-2", session=group)
    with pytest.raises(ServiceError):  # over the cap
        answering.submit_response(hearing, _good(hearing), token="device-3", session=group)
    later = services.open_session(hearing, user(worker), "9A", 30, 1)
    assert answering.session_refusal(later, "device-4",
                                     now=utcnow() + timedelta(hours=2)) is not None  # expired
    services.close_session(later, user(worker))
    assert answering.session_refusal(later, "device-4") is not None  # closed by the worker
    assert answering.session_refusal(services.session_by_code("ZZZZZZ")) is not None


def test_progress_is_saved_and_deleted_on_submit(app, worker, factory, ctx):
    hearing = build(user(worker))
    person = user(factory.user(birth_year=utcnow().year - 15))
    owner = answering.user_owner(person)
    raw = _good(hearing) | {"unknown": ["x"]}
    answering.save_draft(hearing, owner, raw)
    assert answering.load_draft(hearing, owner) == _good(hearing)
    answering.submit_response(hearing, answering.load_draft(hearing, owner), user=person)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerDraft)) == 0


def test_paper_answers_count_with_their_channel_and_no_respondent(app, worker, ctx):
    hearing = build(user(worker))
    answering.submit_response(hearing, _good(hearing), paper=True)
    assert db.session.scalar(sa.select(Response.channel)) == "paper"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Respondent)) == 0
    assert db.session.scalar(sa.select(ParticipationEvent.channel)) == "paper"
