"""Answering a hearing: reading answers, conditions, drafts, and the anonymous response.

Answers arrive as `raw`: form names to lists of strings (`q<id>` for a question, `rank-<q>-<o>`
for a ranking position, `bg_age`, `bg_area`, `bg_language` for background questions). Drafts
keep the raw answers, so a half-filled form comes back exactly as it was left.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, time

import sqlalchemy as sa
from flask_babel import gettext as _

from ..core.exceptions import ServiceError
from ..core.models import Area, District
from ..core.parsing import parse_count, parse_id
from ..core.types import utcnow
from ..extensions import db
from ..indicators.services import participant_key, record_event
from .models import (
    AREA,
    BACKGROUND_AGE_BANDS,
    DISTRICT,
    HOME_LANGUAGES,
    MULTIPLE,
    RANKING,
    SCALE,
    SINGLE,
    TEXT,
    Answer,
    AnswerDraft,
    ClassSession,
    Hearing,
    Question,
    Respondent,
    Response,
    TextAnswer,
)
from .services import HELSINKI, session_respondents, today_in_helsinki

RAW_VALUE_MAX = 4000
BACKGROUND_NAMES = ("bg_age", "bg_area", "bg_language")


@dataclass
class Checked:
    """Answers that passed, by question id, and messages by form name."""

    answers: dict = field(default_factory=dict)
    background: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    unseen: list = field(default_factory=list)  # questions the answers revealed, not yet shown


def clean_raw(hearing: Hearing, raw: dict) -> dict:
    """Only the names this hearing asks, each value cut to size (what a draft keeps)."""
    names = set(BACKGROUND_NAMES)
    for question in hearing.questions:
        names.add(f"q{question.id}")
        names.update(f"rank-{question.id}-{option.id}" for option in question.options)
    return {name: [str(value)[:RAW_VALUE_MAX] for value in values][:20]
            for name, values in raw.items() if name in names}


def _first(raw: dict, name: str) -> str:
    values = raw.get(name) or [""]
    return (values[0] or "").strip()


def is_shown(question: Question, raw: dict) -> bool:
    """A conditional question is shown when its earlier question got the given option."""
    if question.show_if_question_id is None:
        return True
    return parse_id(_first(raw, f"q{question.show_if_question_id}")) == question.show_if_option_id


def shown_questions(hearing: Hearing, raw: dict) -> list[Question]:
    return [question for question in hearing.questions if is_shown(question, raw)]


def _check_one(question: Question, raw: dict):
    """The clean answer (None when empty) or a ServiceError."""
    name = f"q{question.id}"
    option_ids = {option.id for option in question.options}
    if question.kind in (SINGLE, SCALE, AREA, DISTRICT, TEXT):
        value = _first(raw, name)
        if not value:
            return None
        if question.kind == TEXT:
            if len(value) > (question.max_length or 0):
                raise ServiceError(_("Your answer is too long: at most %(n)d characters.",
                                     n=question.max_length or 0))
            return value
        number = parse_id(value)
        if question.kind == SINGLE and number not in option_ids:
            raise ServiceError(_("Choose one of the options."))
        if question.kind == SCALE and number not in range(1, 6):
            raise ServiceError(_("Choose a number from 1 to 5."))
        if question.kind == AREA and (number is None or db.session.get(Area, number) is None):
            raise ServiceError(_("Choose an area from the list."))
        if question.kind == DISTRICT and (number is None
                                          or db.session.get(District, number) is None):
            raise ServiceError(_("Choose a district from the list."))
        return number
    if question.kind == MULTIPLE:
        chosen = [parse_id(value) for value in raw.get(name, []) if value]
        if any(number not in option_ids for number in chosen) or len(set(chosen)) != len(chosen):
            raise ServiceError(_("Choose from the options shown."))
        if len(chosen) > (question.max_choices or len(option_ids)):
            raise ServiceError(_("Choose at most %(n)d options.",
                                 n=question.max_choices or len(option_ids)))
        return chosen or None
    # Ranking: each option may get a place 1, 2, 3...; places must not repeat or skip.
    places = {}
    for option in question.options:
        value = _first(raw, f"rank-{question.id}-{option.id}")
        if value:
            place = parse_count(value, maximum=len(option_ids))
            if not place:
                raise ServiceError(_("Give each place as a number from 1 to %(n)d.",
                                     n=len(option_ids)))
            places[option.id] = place
    if sorted(places.values()) != list(range(1, len(places) + 1)):
        raise ServiceError(_("Give each place only once, starting from 1 without gaps."))
    limit = question.max_choices or len(option_ids)
    if len(places) > limit:
        raise ServiceError(_("Rank at most %(n)d options.", n=limit))
    return [option_id for option_id, _place in sorted(places.items(), key=lambda kv: kv[1])] \
        or None


def check_answers(hearing: Hearing, raw: dict, *, final: bool) -> Checked:
    """Validate every shown question; `final` also asks for the required ones."""
    checked = Checked()
    for question in shown_questions(hearing, raw):
        try:
            value = _check_one(question, raw)
        except ServiceError as error:
            checked.errors[f"q{question.id}"] = error.message
            continue
        if value is None:
            if final and question.required:
                checked.errors[f"q{question.id}"] = _("Answer this question.")
            continue
        checked.answers[question.id] = value
    if hearing.ask_background:
        age, area, language = (_first(raw, name) for name in BACKGROUND_NAMES)
        if age and age not in BACKGROUND_AGE_BANDS:
            checked.errors["bg_age"] = _("Choose an age group from the list.")
        area_id = parse_id(area)
        if area and (area_id is None or db.session.get(Area, area_id) is None):
            checked.errors["bg_area"] = _("Choose an area from the list.")
        if language and language not in HOME_LANGUAGES:
            checked.errors["bg_language"] = _("Choose a language from the list.")
        checked.background = {"age_band": age or None, "area_id": area_id if area else None,
                              "home_language": language or None}
    return checked


# --- drafts ----------------------------------------------------------------------------------

def user_owner(user) -> str:
    return f"user:{user.id}"


def device_hash(token: str) -> str:
    return participant_key(f"hearing-device:{token}")


def device_owner(token: str) -> str:
    return "device:" + device_hash(token)


def load_draft(hearing: Hearing, owner: str) -> dict:
    draft = db.session.scalar(sa.select(AnswerDraft).where(
        AnswerDraft.hearing_id == hearing.id, AnswerDraft.owner_key == owner))
    return dict(draft.answers) if draft else {}


def save_draft(hearing: Hearing, owner: str, raw: dict) -> None:
    if not hearing.is_open():
        raise ServiceError(_("This hearing is not open for answers."))
    draft = db.session.scalar(sa.select(AnswerDraft).where(
        AnswerDraft.hearing_id == hearing.id, AnswerDraft.owner_key == owner))
    if draft is None:
        draft = AnswerDraft(hearing_id=hearing.id, owner_key=owner)
        db.session.add(draft)
    draft.answers = clean_raw(hearing, raw)
    draft.updated_at = utcnow()
    db.session.flush()


# --- who may answer --------------------------------------------------------------------------

def account_refusal(hearing: Hearing, user, now: datetime | None = None) -> str | None:
    """Why this account cannot answer, or None."""
    now = now or utcnow()
    if not hearing.is_open(now):
        return _("This hearing is not open for answers.")
    if not user.birth_year:
        return _("Add your year of birth to your profile to answer this hearing.")
    age = today_in_helsinki(now).year - user.birth_year
    if not hearing.min_age <= age <= hearing.max_age:
        return _("This hearing is for people aged %(low)d–%(high)d.",
                 low=hearing.min_age, high=hearing.max_age)
    if db.session.scalar(sa.select(Respondent.id).where(
            Respondent.hearing_id == hearing.id, Respondent.user_id == user.id)):
        return _("You have already answered this hearing. Thank you!")
    return None


def session_refusal(session: ClassSession | None, token: str | None = None,
                    now: datetime | None = None) -> str | None:
    """Why a device cannot answer with this class session, or None."""
    now = now or utcnow()
    if session is None:
        return _("That code is not valid. Check the code with your teacher or youth worker.")
    if not session.is_active(now) or not session.hearing.is_open(now):
        return _("This code is no longer in use.")
    if token and db.session.scalar(sa.select(Respondent.id).where(
            Respondent.hearing_id == session.hearing_id,
            Respondent.device_key == device_hash(token))):
        return _("An answer has already been sent from this device. Thank you!")
    if session_respondents(session) >= session.cap:
        return _("This group has already answered in full.")
    return None


# --- the response ----------------------------------------------------------------------------

def _random_int_id() -> int:
    while True:
        number = secrets.randbelow(2**31 - 2) + 1
        if db.session.get(TextAnswer, number) is None:
            return number


def submit_response(hearing: Hearing, raw: dict, *, user=None, token: str | None = None,
                    session: ClassSession | None = None, paper: bool = False,
                    email: str | None = None, language: str = "fi", seen: set | None = None,
                    now: datetime | None = None) -> Checked:
    """Record one response. Returns the check; nothing is written when it has errors, or
    when the answers reveal conditional questions the person has not seen yet (`seen`)."""
    now = now or utcnow()
    if paper:
        channel = "paper"
        if not hearing.is_open(now):
            raise ServiceError(_("This hearing is not open for answers."))
    elif user is not None:
        channel = "web"
        refusal = account_refusal(hearing, user, now)
        if refusal:
            raise ServiceError(refusal)
    else:
        channel = "school_code"
        refusal = session_refusal(session, token, now)
        if refusal or session.hearing_id != hearing.id:
            raise ServiceError(refusal or _("This code is no longer in use."))
    checked = check_answers(hearing, raw, final=True)
    if seen is not None:
        checked.unseen = [q.id for q in shown_questions(hearing, raw) if q.id not in seen]
    if checked.errors or checked.unseen:
        return checked
    # Breakdowns come from the voluntary background answers only, never from the account, so
    # the response shares nothing with the account's own (pseudonymous) participation event.
    background = checked.background
    age_band = background.get("age_band")
    area_id = background.get("area_id")
    if not paper:
        db.session.add(Respondent(
            hearing_id=hearing.id, user_id=user.id if user is not None else None,
            device_key=device_hash(token) if user is None else None,
            class_session_id=session.id if session is not None else None,
            email=(email or None) if user is None else None))
    day = today_in_helsinki(now)
    response = Response(id=secrets.token_hex(16), hearing_id=hearing.id,
                        class_session_id=session.id if session is not None else None,
                        channel=channel, age_band=age_band, area_id=area_id,
                        home_language=background.get("home_language"))
    db.session.add(response)
    by_id = {question.id: question for question in hearing.questions}
    midnight = datetime.combine(day, time(0), tzinfo=HELSINKI)
    for question_id, value in checked.answers.items():
        question = by_id[question_id]
        if question.kind == TEXT:
            db.session.add(TextAnswer(id=_random_int_id(), hearing_id=hearing.id,
                                      question_id=question_id, text=value, language=language,
                                      moderation_state="pending", created_at=midnight))
            continue
        for place, item in enumerate(value if isinstance(value, list) else [value], start=1):
            option_id = item if question.kind in (SINGLE, MULTIPLE, RANKING) else None
            number = {SCALE: item, AREA: item, DISTRICT: item, RANKING: place}.get(question.kind)
            response.answers.append(Answer(id=secrets.token_hex(16), question_id=question_id,
                                           option_id=option_id, value=number))
    owner = user_owner(user) if user is not None else (device_owner(token) if token else None)
    if owner:
        db.session.execute(sa.delete(AnswerDraft).where(
            AnswerDraft.hearing_id == hearing.id, AnswerDraft.owner_key == owner))
    if user is not None:
        # The account's own area and age band: the background answers stay in the response.
        record_event("hearing_answered", user=user, process=hearing, channel=channel,
                     occurred_at=now)
    else:
        # Not the device key of the respondent record, so the two cannot be joined.
        seed = f"hearing-event:{token}" if token else f"paper:{secrets.token_hex(16)}"
        record_event("hearing_answered", key=participant_key(seed), process=hearing,
                     channel=channel, area_id=area_id, age_band=age_band, language=language,
                     occurred_at=now)
    db.session.flush()
    return checked
