"""The feedback loop: "what we heard and what we will do", published and sent to participants."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core import audit
from ..core.exceptions import ServiceError
from ..core.mail import send_mail
from ..core.types import utcnow
from ..extensions import db
from ..moderation.registry import notifier
from .models import CLOSED, FeedbackPoint, Hearing, Question, Respondent

FEEDBACK_TEXTS = tuple(f"{name}_{code}" for name in ("theme", "heard", "action")
                       for code in ("fi", "sv", "en"))
NOTIFICATION_KIND = "hearing_feedback"


def add_point(hearing: Hearing, actor, values: dict) -> FeedbackPoint:
    if hearing.state != CLOSED:
        raise ServiceError(_("Feedback can be written once the hearing has closed."))
    texts = {name: (values.get(name) or "").strip() for name in FEEDBACK_TEXTS}
    if not (texts["heard_fi"] and texts["heard_sv"] and texts["action_fi"]
            and texts["action_sv"]):
        raise ServiceError(_("Write what you heard and what you will do in Finnish and "
                             "Swedish."), "heard_sv" if texts["heard_fi"] else "heard_fi")
    question_id = values.get("question_id")
    if question_id and db.session.get(Question, question_id) not in hearing.questions:
        raise ServiceError(_("Choose the question from the list."), "question_id")
    from ..budgeting.rounds.models import Proposal
    from ..ideas.models import Idea

    if values.get("idea_id") and db.session.get(Idea, values["idea_id"]) is None:
        raise ServiceError(_("There is no idea with that number."), "idea_id")
    if values.get("proposal_id") and db.session.get(Proposal, values["proposal_id"]) is None:
        raise ServiceError(_("There is no budgeting proposal with that number."),
                           "proposal_id")
    link = (values.get("link_url") or "").strip()
    if link and not link.startswith(("https://", "http://", "/")):
        raise ServiceError(_("Give the link as a web address starting with https://."),
                           "link_url")
    if not (link or values.get("idea_id") or values.get("proposal_id")):
        raise ServiceError(_("Link each point to a decision or a follow-up: a web address, "
                             "an idea or a budgeting proposal."), "link_url")
    point = FeedbackPoint(hearing_id=hearing.id, question_id=question_id or None, link_url=link,
                          idea_id=values.get("idea_id"), proposal_id=values.get("proposal_id"),
                          **texts)
    db.session.add(point)
    db.session.flush()
    if point not in hearing.feedback:  # the list may have loaded it already at the flush
        hearing.feedback.append(point)
    audit.record(actor, "hearing.feedback.add", "hearing", hearing.id,
                 after={"point": point.id})
    return point


def delete_point(hearing: Hearing, point: FeedbackPoint, actor) -> None:
    if point.hearing_id != hearing.id:
        raise ServiceError(_("Choose the point from the list."))
    hearing.feedback.remove(point)
    db.session.delete(point)
    db.session.flush()
    audit.record(actor, "hearing.feedback.delete", "hearing", hearing.id)


def publish_feedback(hearing: Hearing, actor) -> int:
    """Publish the feedback and tell everyone who can be told; returns how many were told."""
    if hearing.state != CLOSED:
        raise ServiceError(_("Feedback can be written once the hearing has closed."))
    if not hearing.feedback:
        raise ServiceError(_("Add at least one feedback point first."))
    first_time = hearing.feedback_published_at is None
    hearing.feedback_published_at = hearing.feedback_published_at or utcnow()
    told = _notify(hearing) if first_time else 0
    db.session.flush()
    audit.record(actor, "hearing.feedback.publish", "hearing", hearing.id,
                 after={"notified": told})
    return told


def _notify(hearing: Hearing) -> int:
    respondents = db.session.scalars(sa.select(Respondent).where(
        Respondent.hearing_id == hearing.id)).all()
    told = 0
    link = url_for("hearings.detail", hearing_id=hearing.id, _external=True) + "#feedback"
    channel = notifier()
    for respondent in respondents:
        if respondent.user_id is not None and channel is not None:
            channel.add(respondent.user_id, NOTIFICATION_KIND,
                        {"hearing_id": hearing.id, "title_fi": hearing.title_fi,
                         "title_sv": hearing.title_sv, "title_en": hearing.title_en})
            told += 1
        elif respondent.email:
            with force_locale("fi"):
                body_fi = _feedback_mail(hearing, "fi", link)
            with force_locale("sv"):
                body_sv = _feedback_mail(hearing, "sv", link)
            send_mail(respondent.email, f"{hearing.title_fi} / {hearing.title_sv}",
                      body_fi + "\n\n---\n\n" + body_sv)
            respondent.email = None  # kept only until the feedback has been sent
            told += 1
    return told


def _feedback_mail(hearing: Hearing, code: str, link: str) -> str:
    title = getattr(hearing, f"title_{code}") or hearing.title_fi
    return _("Thank you for answering the hearing “%(title)s”. The organisers have now "
             "published what they heard and what they will do: %(link)s",
             title=title, link=link)


def notification_text(notification) -> str:
    from ..i18n import current_language

    params = notification.params or {}
    title = params.get(f"title_{current_language().code}") or params.get("title_fi", "")
    return _("Feedback has been published for the hearing “%(title)s” that you answered.",
             title=title)


def notification_link(notification) -> str | None:
    hearing_id = (notification.params or {}).get("hearing_id")
    return url_for("hearings.detail", hearing_id=hearing_id, _anchor="feedback") \
        if hearing_id else None
