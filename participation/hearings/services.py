"""Hearing rules: drafting, questions, publishing, closing, class sessions, overdue feedback.

Services flush and never commit; the view commits once. Times arrive as aware datetimes.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from ..core import audit
from ..core.exceptions import ServiceError
from ..core.models import Area
from ..core.types import utcnow
from ..extensions import db
from .models import (
    CHOICE_KINDS,
    CLOSED,
    DRAFT,
    MAX_RANKED,
    MULTIPLE,
    PUBLISHED,
    QUESTION_KINDS,
    RANKING,
    SCALE,
    TEXT,
    TEXT_MAX,
    AnswerDraft,
    ClassSession,
    Hearing,
    Option,
    Question,
    Respondent,
)
from .shuffle import shuffle_responses

HELSINKI = ZoneInfo("Europe/Helsinki")
HEARING_FIELDS = ("title_fi", "title_sv", "title_en", "intro_fi", "intro_sv", "intro_en",
                  "plain_fi", "plain_sv", "plain_en", "organiser", "contact_name",
                  "contact_email", "min_age", "max_age", "opens_at", "closes_at",
                  "feedback_due", "ask_background")
TEXT_FIELDS = HEARING_FIELDS[:12]  # the texts, from title_fi to contact_email
QUESTION_TEXTS = tuple(f"{name}_{code}" for name in ("text", "plain", "low", "high")
                       for code in ("fi", "sv", "en"))
# Class codes: no 0/O, 1/I/L, so a code read off a board is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
SESSION_CAP_MAX = 200
SESSION_HOURS_MAX = 24 * 14


def helsinki_to_utc(local: datetime) -> datetime:
    if local.tzinfo is None:
        local = local.replace(tzinfo=HELSINKI)
    return local.astimezone(UTC)


def today_in_helsinki(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(HELSINKI).date()


# --- the hearing -----------------------------------------------------------------------------

def _check_hearing(values: dict) -> None:
    if not 0 <= values["min_age"] <= values["max_age"] <= 120:
        raise ServiceError(_("The youngest age must not be above the oldest."), "max_age")
    if values["closes_at"] <= values["opens_at"]:
        raise ServiceError(_("The hearing must close after it opens."), "closes_at")
    closing_day = values["closes_at"].astimezone(HELSINKI).date()
    if values["feedback_due"] < closing_day:
        raise ServiceError(_("Feedback can be due at the earliest on the day the hearing "
                             "closes."), "feedback_due")


def _areas(values: dict) -> list[Area]:
    """The target areas by id (none: the whole city); an unknown id is refused."""
    ids = sorted(set(values.get("area_ids") or []))
    areas = list(db.session.scalars(sa.select(Area).where(Area.id.in_(ids)))) if ids else []
    if len(areas) != len(ids):
        raise ServiceError(_("Choose the areas from the list."), "area_ids")
    return areas


def create_hearing(actor, values: dict) -> Hearing:
    _check_hearing(values)
    hearing = Hearing(created_by_id=actor.id, state=DRAFT,
                      **{name: values[name] for name in HEARING_FIELDS})
    hearing.areas = _areas(values)
    db.session.add(hearing)
    db.session.flush()
    audit.record(actor, "hearing.create", "hearing", hearing.id)
    return hearing


def update_hearing(hearing: Hearing, actor, values: dict) -> None:
    if hearing.state == CLOSED:
        raise ServiceError(_("A closed hearing can no longer be changed."))
    _check_hearing(values)
    for name in HEARING_FIELDS:
        setattr(hearing, name, values[name])
    hearing.areas = _areas(values)
    db.session.flush()
    audit.record(actor, "hearing.update", "hearing", hearing.id)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _check_question(hearing: Hearing, values: dict) -> tuple[list, list, list]:
    if hearing.state != DRAFT:
        raise ServiceError(_("Questions can be changed only before the hearing is published."))
    kind = values["kind"]
    if kind not in QUESTION_KINDS:
        raise ServiceError(_("Choose a question type from the list."), "kind")
    labels = [_lines(values.get(f"options_{code}", "")) for code in ("fi", "sv", "en")]
    if kind in CHOICE_KINDS:
        if len(labels[0]) < 2:
            raise ServiceError(_("Give at least two answer options, one a line."), "options_fi")
        if len(labels[1]) != len(labels[0]):
            raise ServiceError(_("Give as many options in Swedish as in Finnish."), "options_sv")
        if labels[2] and len(labels[2]) != len(labels[0]):
            raise ServiceError(_("Give as many options in English as in Finnish, or none."),
                               "options_en")
        if kind == RANKING and len(labels[0]) > MAX_RANKED:
            raise ServiceError(_("A ranking question can have at most %(n)d options.",
                                 n=MAX_RANKED), "options_fi")
    if kind == MULTIPLE and not 1 <= (values.get("max_choices") or 0) <= len(labels[0]):
        raise ServiceError(_("Give the most options one may choose, at most the number of "
                             "options."), "max_choices")
    if kind == TEXT and not 1 <= (values.get("max_length") or 0) <= TEXT_MAX:
        raise ServiceError(_("Give the longest answer allowed, 1–%(n)d characters.",
                             n=TEXT_MAX), "max_length")
    condition = values.get("show_if_option_id")
    if condition:
        option = db.session.get(Option, condition)
        if option is None or option.question.hearing_id != hearing.id \
                or option.question.kind != "single":
            raise ServiceError(_("Choose the condition from the list."), "show_if_option_id")
    return labels


def add_question(hearing: Hearing, actor, values: dict) -> Question:
    labels = _check_question(hearing, values)
    condition = db.session.get(Option, values["show_if_option_id"]) \
        if values.get("show_if_option_id") else None
    question = Question(
        hearing_id=hearing.id, position=len(hearing.questions) + 1, kind=values["kind"],
        required=bool(values.get("required")),
        max_choices=values.get("max_choices") if values["kind"] in (MULTIPLE, RANKING) else None,
        max_length=values.get("max_length") if values["kind"] == TEXT else None,
        show_if_question_id=condition.question_id if condition else None,
        show_if_option_id=condition.id if condition else None,
        **{name: (values.get(name) or "").strip() for name in QUESTION_TEXTS})
    if values["kind"] in CHOICE_KINDS:
        for position, label_fi in enumerate(labels[0]):
            question.options.append(Option(
                position=position + 1, label_fi=label_fi, label_sv=labels[1][position],
                label_en=labels[2][position] if labels[2] else ""))
    hearing.questions.append(question)
    db.session.flush()
    audit.record(actor, "hearing.question.add", "hearing", hearing.id,
                 after={"question": question.id})
    return question


def delete_question(hearing: Hearing, question: Question, actor) -> None:
    if hearing.state != DRAFT:
        raise ServiceError(_("Questions can be changed only before the hearing is published."))
    hearing.questions.remove(question)
    for position, remaining in enumerate(hearing.questions, start=1):
        remaining.position = position
    db.session.flush()
    audit.record(actor, "hearing.question.delete", "hearing", hearing.id)


def publishing_problems(hearing: Hearing) -> list[str]:
    """What stops publishing: Finnish and Swedish must be complete."""
    problems = []
    if not (hearing.title_fi and hearing.title_sv and hearing.intro_fi and hearing.intro_sv):
        problems.append(_("Give the title and the introduction in Finnish and Swedish."))
    if not hearing.questions:
        problems.append(_("Add at least one question."))
    for question in hearing.questions:
        missing = not (question.text_fi and question.text_sv) or any(
            not (option.label_fi and option.label_sv) for option in question.options)
        if question.kind == SCALE:
            missing = missing or not all(
                (question.low_fi, question.low_sv, question.high_fi, question.high_sv))
        if missing:
            problems.append(_("Question %(n)d lacks its Finnish or Swedish text.",
                              n=question.position))
    return problems


def publish(hearing: Hearing, actor) -> None:
    if hearing.state != DRAFT:
        raise ServiceError(_("This hearing has already been published."))
    problems = publishing_problems(hearing)
    if problems:
        raise ServiceError(" ".join(problems))
    hearing.state = PUBLISHED
    hearing.published_at = utcnow()
    db.session.flush()
    audit.record(actor, "hearing.publish", "hearing", hearing.id)


def close(hearing: Hearing, actor, now: datetime | None = None) -> bool:
    """Close answering for good: drafts go, responses are rewritten in shuffled order."""
    if hearing.state != PUBLISHED:
        return False
    now = now or utcnow()
    hearing.state = CLOSED
    hearing.closed_at = min(now, hearing.closes_at)
    db.session.execute(sa.delete(AnswerDraft).where(AnswerDraft.hearing_id == hearing.id))
    db.session.execute(sa.update(ClassSession).where(
        ClassSession.hearing_id == hearing.id, ClassSession.closed_at.is_(None))
        .values(closed_at=hearing.closed_at))
    db.session.flush()
    shuffle_responses(hearing.id)
    audit.record(actor, "hearing.close", "hearing", hearing.id,
                 after={"automatic": actor is None})
    return True


def close_ended(now: datetime | None = None) -> list[int]:
    """Close every published hearing whose closing time has passed (lazily and from cron)."""
    now = now or utcnow()
    ended = db.session.scalars(sa.select(Hearing).where(
        Hearing.state == PUBLISHED, Hearing.closes_at <= now)).all()
    return [hearing.id for hearing in ended if close(hearing, None, now)]


def overdue(today: date | None = None) -> list[Hearing]:
    """Closed hearings past their feedback due date with no feedback published."""
    today = today or today_in_helsinki()
    return list(db.session.scalars(sa.select(Hearing).where(
        Hearing.state == CLOSED, Hearing.feedback_published_at.is_(None),
        Hearing.feedback_due < today).order_by(Hearing.feedback_due)))


# --- class sessions --------------------------------------------------------------------------

def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(sa.select(ClassSession.id).where(ClassSession.code == code)) is None:
            return code


def open_session(hearing: Hearing, actor, group_name: str, cap: int, hours: int,
                 now: datetime | None = None) -> ClassSession:
    now = now or utcnow()
    if not hearing.is_open(now):
        raise ServiceError(_("Class sessions can be opened only while the hearing is open."))
    if not 1 <= cap <= SESSION_CAP_MAX:
        raise ServiceError(_("The group size must be 1–%(n)d.", n=SESSION_CAP_MAX), "cap")
    if not 1 <= hours <= SESSION_HOURS_MAX:
        raise ServiceError(_("The session must last 1–%(n)d hours.", n=SESSION_HOURS_MAX),
                           "hours")
    session = ClassSession(hearing_id=hearing.id, code=_new_code(), group_name=group_name.strip(),
                           cap=cap, expires_at=min(now + timedelta(hours=hours),
                                                   hearing.closes_at),
                           opened_by_id=actor.id)
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "hearing.session.open", "hearing", hearing.id,
                 after={"session": session.id})
    return session


def close_session(session: ClassSession, actor) -> None:
    if session.closed_at is None:
        session.closed_at = utcnow()
        db.session.flush()
        audit.record(actor, "hearing.session.close", "hearing", session.hearing_id,
                     after={"session": session.id})


def session_by_code(code: str) -> ClassSession | None:
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())[:CODE_LENGTH + 4]
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(sa.select(ClassSession).where(ClassSession.code == code))


def session_respondents(session: ClassSession) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Respondent).where(
        Respondent.class_session_id == session.id)) or 0
