"""Youth hearings in the read API: published hearings, their questions, and once closed their
results (hidden cells marked, never revealed) and feedback. Drafts never appear."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify
from werkzeug.exceptions import NotFound

from ..core.permissions import public
from ..extensions import db
from ..hearings.models import CLOSED, DRAFT, Hearing
from ..hearings.results import summary_json
from .serializers import area_ref, iso, link, names
from .views import bp


def _public_hearing(hearing_id: int) -> Hearing:
    hearing = db.session.get(Hearing, hearing_id)
    if hearing is None or hearing.state == DRAFT:
        raise NotFound()
    return hearing


def hearing_summary(hearing: Hearing) -> dict:
    links = {"self": link("api.hearing", hearing_id=hearing.id),
             "html": link("hearings.detail", hearing_id=hearing.id)}
    if hearing.state == CLOSED:
        links["results"] = link("api.hearing_results", hearing_id=hearing.id)
    return {
        "id": hearing.id, "title": names(hearing, "title"), "state": hearing.state,
        "organiser": hearing.organiser, "min_age": hearing.min_age, "max_age": hearing.max_age,
        "areas": [area_ref(area) for area in hearing.areas], "opens_at": iso(hearing.opens_at),
        "closes_at": iso(hearing.closes_at), "feedback_due": hearing.feedback_due.isoformat(),
        "links": links,
    }


def _question(question) -> dict:
    return {
        "id": question.id, "position": question.position, "kind": question.kind,
        "required": question.required, "text": names(question, "text"),
        "plain": names(question, "plain"),
        "show_if": {"question_id": question.show_if_question_id,
                    "option_id": question.show_if_option_id}
        if question.show_if_question_id else None,
        "max_choices": question.max_choices, "max_length": question.max_length,
        "scale": {"low": names(question, "low"), "high": names(question, "high")}
        if question.kind == "scale" else None,
        "options": [{"id": option.id, "label": names(option, "label")}
                    for option in question.options],
    }


def _feedback(hearing: Hearing) -> dict:
    published = hearing.feedback_published_at is not None
    return {"published_at": iso(hearing.feedback_published_at), "points": [{
        "question_id": point.question_id, "theme": names(point, "theme"),
        "heard": names(point, "heard"), "action": names(point, "action"),
        "link_url": point.link_url or None, "idea_id": point.idea_id,
        "proposal_id": point.proposal_id} for point in hearing.feedback] if published else []}


@bp.route("/hearings")
@public
def hearings():
    found = db.session.scalars(sa.select(Hearing).where(Hearing.state != DRAFT)
                               .order_by(Hearing.opens_at.desc())).all()
    return jsonify({"items": [hearing_summary(hearing) for hearing in found]})


@bp.route("/hearings/<int:hearing_id>")
@public
def hearing(hearing_id: int):
    found = _public_hearing(hearing_id)
    return jsonify({**hearing_summary(found), "intro": names(found, "intro"),
                    "plain": names(found, "plain"), "contact_name": found.contact_name,
                    "questions": [_question(question) for question in found.questions],
                    "feedback": _feedback(found)})


@bp.route("/hearings/<int:hearing_id>/results")
@public
def hearing_results(hearing_id: int):
    found = _public_hearing(hearing_id)
    if found.state != CLOSED:
        raise NotFound()  # results are public once the hearing has closed
    return jsonify({**summary_json(found), "feedback": _feedback(found)})
