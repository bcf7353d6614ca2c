"""Organiser pages for the feedback loop: points per question or theme, then publishing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.exceptions import ServiceError
from ..core.forms import optional_int, show_service_error
from ..extensions import db, limiter
from . import feedback
from .forms import ActionForm, FeedbackForm
from .models import FeedbackPoint
from .views import bp
from .views_manage import ORGANISERS, _act, _hearing


@bp.route("/manage/<int:hearing_id>/feedback", methods=["GET", "POST"])
@limiter.limit("120 per hour", methods=["POST"])
@ORGANISERS
def feedback_page(hearing_id: int):
    hearing = _hearing(hearing_id)
    form = FeedbackForm(formdata=request.form if request.method == "POST" else None)
    form.question_id.choices = [("", _("The whole hearing or a theme"))] + [
        (str(question.id), f"{question.position}. {question.text}")
        for question in hearing.questions]
    if request.method == "POST" and form.validate_on_submit():
        values = {name: field.data for name, field in form._fields.items()}
        values["question_id"] = optional_int(form.question_id.data)
        try:
            feedback.add_point(hearing, current_user, values)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The feedback point has been added."), "success")
            return redirect(url_for("hearings.feedback_page", hearing_id=hearing.id))
    status = 422 if form.errors else 200
    return render_template("hearings/manage/feedback.html", hearing=hearing, form=form,
                           action_form=ActionForm()), status


@bp.route("/manage/<int:hearing_id>/feedback/<int:point_id>/delete", methods=["POST"])
@ORGANISERS
def delete_feedback(hearing_id: int, point_id: int):
    hearing = _hearing(hearing_id)
    point = db.session.get(FeedbackPoint, point_id)
    if point is None or point.hearing_id != hearing.id:
        abort(404)
    return _act(hearing, lambda: feedback.delete_point(hearing, point, current_user),
                _("The feedback point has been removed."), to="hearings.feedback_page")


@bp.route("/manage/<int:hearing_id>/feedback/publish", methods=["POST"])
@ORGANISERS
def publish_feedback(hearing_id: int):
    hearing = _hearing(hearing_id)
    return _act(hearing, lambda: feedback.publish_feedback(hearing, current_user),
                _("The feedback has been published and participants have been told."),
                to="hearings.feedback_page")
