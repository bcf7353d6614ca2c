"""Youth hearings: the hearing, its questions, class sessions, respondents, responses, feedback.

Anonymity is a property of the schema, as with ballots: `hearing_response`, `hearing_answer`
and `hearing_text_answer` hold no user, no device and no time (free-text answers carry the
day, which the moderation queue sorts by). That a person (an account, or a device in a class
session) has answered is kept apart in `hearing_respondent`. Ids of the anonymous rows are
random, and closing a hearing rewrites them in shuffled order (see shuffle.py), so neither
row order nor transaction ids pair a response with its respondent record.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.types import UTCDateTime, utcnow
from ..extensions import db
from ..i18n import localized

DRAFT, PUBLISHED, CLOSED = "draft", "published", "closed"
SINGLE, MULTIPLE, SCALE, TEXT, RANKING, AREA, DISTRICT = (
    "single", "multiple", "scale", "text", "ranking", "area", "district")
QUESTION_KINDS = (SINGLE, MULTIPLE, SCALE, TEXT, RANKING, AREA, DISTRICT)
CHOICE_KINDS = (SINGLE, MULTIPLE, RANKING)
MAX_RANKED = 7
TEXT_MAX = 2000
HOME_LANGUAGES = ("fi", "sv", "other")
# The areas a hearing targets; none: the whole city.
hearing_area = sa.Table(
    "hearing_area", db.Model.metadata,
    sa.Column("hearing_id", sa.ForeignKey("hearing.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_id", sa.ForeignKey("area.id", ondelete="CASCADE"), primary_key=True),
)
# Background age bands asked of respondents (narrow youth bands, as in the indicators).
BACKGROUND_AGE_BANDS = ("0-11", "12-14", "15-17", "18-29")


class Hearing(db.Model):
    __tablename__ = "hearing"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(20), default=DRAFT)
    title_fi: Mapped[str] = mapped_column(sa.String(200), default="")
    title_sv: Mapped[str] = mapped_column(sa.String(200), default="")
    title_en: Mapped[str] = mapped_column(sa.String(200), default="")
    intro_fi: Mapped[str] = mapped_column(sa.Text, default="")
    intro_sv: Mapped[str] = mapped_column(sa.Text, default="")
    intro_en: Mapped[str] = mapped_column(sa.Text, default="")
    plain_fi: Mapped[str] = mapped_column(sa.Text, default="")
    plain_sv: Mapped[str] = mapped_column(sa.Text, default="")
    plain_en: Mapped[str] = mapped_column(sa.Text, default="")
    organiser: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    min_age: Mapped[int] = mapped_column(default=12)
    max_age: Mapped[int] = mapped_column(default=17)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    feedback_due: Mapped[date] = mapped_column(sa.Date)
    ask_background: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    feedback_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    questions: Mapped[list[Question]] = relationship(
        back_populates="hearing", order_by="Question.position", cascade="all, delete-orphan")
    feedback: Mapped[list[FeedbackPoint]] = relationship(
        order_by="FeedbackPoint.id", cascade="all, delete-orphan")
    areas = relationship("Area", secondary=hearing_area, order_by="Area.code")  # none: city-wide

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def intro(self) -> str:
        return localized(self, "intro")

    @property
    def plain(self) -> str:
        return localized(self, "plain")

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.state == PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def results_public(self) -> bool:
        return self.state == CLOSED


class Question(db.Model):
    __tablename__ = "hearing_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("hearing.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(sa.String(20))
    required: Mapped[bool] = mapped_column(default=False)
    text_fi: Mapped[str] = mapped_column(sa.String(500), default="")
    text_sv: Mapped[str] = mapped_column(sa.String(500), default="")
    text_en: Mapped[str] = mapped_column(sa.String(500), default="")
    plain_fi: Mapped[str] = mapped_column(sa.String(500), default="")
    plain_sv: Mapped[str] = mapped_column(sa.String(500), default="")
    plain_en: Mapped[str] = mapped_column(sa.String(500), default="")
    low_fi: Mapped[str] = mapped_column(sa.String(100), default="")  # scale's labelled ends
    low_sv: Mapped[str] = mapped_column(sa.String(100), default="")
    low_en: Mapped[str] = mapped_column(sa.String(100), default="")
    high_fi: Mapped[str] = mapped_column(sa.String(100), default="")
    high_sv: Mapped[str] = mapped_column(sa.String(100), default="")
    high_en: Mapped[str] = mapped_column(sa.String(100), default="")
    max_choices: Mapped[int | None]  # multiple choice: most options; ranking: most ranked
    max_length: Mapped[int | None]  # free text
    # Shown only when the earlier question `show_if_question_id` got option `show_if_option_id`.
    show_if_question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("hearing_question.id", ondelete="SET NULL"))
    show_if_option_id: Mapped[int | None]  # no foreign key: options are made after questions

    hearing: Mapped[Hearing] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(
        back_populates="question", order_by="Option.position", cascade="all, delete-orphan",
        foreign_keys="Option.question_id")

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def plain(self) -> str:
        return localized(self, "plain")

    @property
    def low(self) -> str:
        return localized(self, "low")

    @property
    def high(self) -> str:
        return localized(self, "high")


class Option(db.Model):
    __tablename__ = "hearing_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("hearing_question.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label_fi: Mapped[str] = mapped_column(sa.String(200), default="")
    label_sv: Mapped[str] = mapped_column(sa.String(200), default="")
    label_en: Mapped[str] = mapped_column(sa.String(200), default="")

    question: Mapped[Question] = relationship(back_populates="options",
                                              foreign_keys=[question_id])

    @property
    def label(self) -> str:
        return localized(self, "label")


class ClassSession(db.Model):
    """A group answering together (school class, youth centre) with a short code."""

    __tablename__ = "hearing_class_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("hearing.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    group_name: Mapped[str] = mapped_column(sa.String(200))
    cap: Mapped[int] = mapped_column(default=30)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    hearing: Mapped[Hearing] = relationship()

    def is_active(self, now: datetime | None = None) -> bool:
        return self.closed_at is None and (now or utcnow()) < self.expires_at


class Respondent(db.Model):
    """That someone answered (as the voter roll for ballots): never what they answered."""

    __tablename__ = "hearing_respondent"
    __table_args__ = (
        sa.UniqueConstraint("hearing_id", "user_id"),
        sa.UniqueConstraint("hearing_id", "device_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("hearing.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # A keyed hash of the device session's random token (class sessions).
    device_key: Mapped[str | None] = mapped_column(sa.String(64))
    class_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("hearing_class_session.id", ondelete="SET NULL"), index=True)
    # Given to hear back about feedback; erased once the feedback has been sent.
    email: Mapped[str | None] = mapped_column(sa.String(254))


class AnswerDraft(db.Model):
    """Answers saved while answering (it names its respondent); deleted on submit or close."""

    __tablename__ = "hearing_answer_draft"
    __table_args__ = (sa.UniqueConstraint("hearing_id", "owner_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("hearing.id", ondelete="CASCADE"), index=True)
    owner_key: Mapped[str] = mapped_column(sa.String(80))  # "user:<id>" or a device hash
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Response(db.Model):
    """One anonymous response. No user, no device, no time at all; a random id."""

    __tablename__ = "hearing_response"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    hearing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("hearing.id", ondelete="CASCADE"), index=True)
    class_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("hearing_class_session.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(20))
    age_band: Mapped[str | None] = mapped_column(sa.String(16))
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"))
    home_language: Mapped[str | None] = mapped_column(sa.String(16))

    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan",
                                                 passive_deletes=True)


class Answer(db.Model):
    """One chosen option (with its rank for rankings), a scale value or an area."""

    __tablename__ = "hearing_answer"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    response_id: Mapped[str] = mapped_column(
        sa.ForeignKey("hearing_response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("hearing_question.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("hearing_option.id", ondelete="CASCADE"))
    value: Mapped[int | None]  # scale 1-5, rank (1 = first) or area id


class TextAnswer(db.Model):
    """A free-text answer: moderated content, shown only once approved. Random id, only a day."""

    __tablename__ = "hearing_text_answer"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    hearing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("hearing.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("hearing_question.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(8), default="fi")
    moderation_state: Mapped[str] = mapped_column(sa.String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())  # midnight of the day

    question: Mapped[Question] = relationship()


class FeedbackPoint(db.Model):
    """What we heard and what we will do, per question or theme, linked to a follow-up."""

    __tablename__ = "hearing_feedback_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("hearing.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("hearing_question.id", ondelete="SET NULL"))
    theme_fi: Mapped[str] = mapped_column(sa.String(200), default="")
    theme_sv: Mapped[str] = mapped_column(sa.String(200), default="")
    theme_en: Mapped[str] = mapped_column(sa.String(200), default="")
    heard_fi: Mapped[str] = mapped_column(sa.Text, default="")
    heard_sv: Mapped[str] = mapped_column(sa.Text, default="")
    heard_en: Mapped[str] = mapped_column(sa.Text, default="")
    action_fi: Mapped[str] = mapped_column(sa.Text, default="")
    action_sv: Mapped[str] = mapped_column(sa.Text, default="")
    action_en: Mapped[str] = mapped_column(sa.Text, default="")
    link_url: Mapped[str] = mapped_column(sa.String(500), default="")
    idea_id: Mapped[int | None] = mapped_column(sa.ForeignKey("idea.id", ondelete="SET NULL"))
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="SET NULL"))

    question: Mapped[Question | None] = relationship()

    @property
    def theme(self) -> str:
        return localized(self, "theme")

    @property
    def heard(self) -> str:
        return localized(self, "heard")

    @property
    def action(self) -> str:
        return localized(self, "action")
