"""Organiser pages: drafting, questions, preview, publishing, closing, sessions, paper, logs."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.exceptions import ServiceError
from ..core.forms import area_choices, optional_int, show_service_error
from ..core.models import Area
from ..core.pagination import paginate, parse_page
from ..core.parsing import parse_id
from ..core.permissions import roles_required
from ..core.rendering import render_form
from ..extensions import db, limiter
from . import answering, results, services
from .forms import ActionForm, HearingForm, QuestionForm, SessionForm
from .models import SINGLE, ClassSession, Hearing, Question
from .permissions import ORGANISER_ROLES, can_see_session_results
from .services import HELSINKI
from .views import answer_flow, bp

ORGANISERS = roles_required(*ORGANISER_ROLES)


def _hearing(hearing_id: int) -> Hearing:
    hearing = db.session.get(Hearing, hearing_id)
    if hearing is None:
        abort(404)
    return hearing


def _hearing_form(hearing: Hearing | None) -> HearingForm:
    fresh = request.method == "GET"
    form = HearingForm(formdata=None if fresh else request.form,
                       obj=hearing if fresh else None)
    form.area_ids.choices = area_choices()
    if fresh and hearing is not None:
        form.area_ids.data = [str(area.id) for area in hearing.areas]
        form.opens_at.data = hearing.opens_at.astimezone(HELSINKI).replace(tzinfo=None)
        form.closes_at.data = hearing.closes_at.astimezone(HELSINKI).replace(tzinfo=None)
    return form


def _hearing_values(form: HearingForm) -> dict:
    values = {name: getattr(form, name).data for name in services.HEARING_FIELDS}
    for name in services.TEXT_FIELDS:
        values[name] = (values[name] or "").strip()
    values["area_ids"] = [int(value) for value in form.area_ids.data or []]
    values["opens_at"] = services.helsinki_to_utc(form.opens_at.data)
    values["closes_at"] = services.helsinki_to_utc(form.closes_at.data)
    values["ask_background"] = bool(form.ask_background.data)
    return values


@bp.route("/manage")
@ORGANISERS
def manage():
    page = paginate(sa.select(Hearing).order_by(Hearing.created_at.desc()),
                    parse_page(request.args.get("page")))
    return render_template("hearings/manage/index.html", page=page,
                           overdue=services.overdue())


@bp.route("/manage/new", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
@ORGANISERS
def new_hearing():
    form = _hearing_form(None)
    if form.validate_on_submit():
        try:
            hearing = services.create_hearing(current_user, _hearing_values(form))
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The hearing has been saved as a draft. Add its questions next."), "success")
            return redirect(url_for("hearings.edit", hearing_id=hearing.id))
    return render_form("hearings/manage/form.html", form, hearing=None)


def _question_form(hearing: Hearing, posted: bool) -> QuestionForm:
    form = QuestionForm(formdata=request.form if posted else None)
    form.show_if_option_id.choices = [("", _("Always show"))] + [
        (str(option.id), f"{question.position}. {question.text} → {option.label}")
        for question in hearing.questions if question.kind == SINGLE
        for option in question.options]
    return form


def _edit_page(hearing, form, question_form, status=200):
    return render_template("hearings/manage/edit.html", hearing=hearing, form=form,
                           question_form=question_form, action_form=ActionForm(),
                           problems=services.publishing_problems(hearing)), status


@bp.route("/manage/<int:hearing_id>", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"])
@ORGANISERS
def edit(hearing_id: int):
    hearing = _hearing(hearing_id)
    form = _hearing_form(hearing)
    if form.validate_on_submit():
        try:
            services.update_hearing(hearing, current_user, _hearing_values(form))
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The hearing has been saved."), "success")
            return redirect(url_for("hearings.edit", hearing_id=hearing.id))
    return _edit_page(hearing, form, _question_form(hearing, False),
                      422 if form.errors else 200)


@bp.route("/manage/<int:hearing_id>/questions", methods=["POST"])
@limiter.limit("120 per hour")
@ORGANISERS
def add_question(hearing_id: int):
    hearing = _hearing(hearing_id)
    form = _question_form(hearing, True)
    if form.validate_on_submit():
        values = {name: field.data for name, field in form._fields.items()}
        values["show_if_option_id"] = optional_int(form.show_if_option_id.data)
        try:
            services.add_question(hearing, current_user, values)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The question has been added."), "success")
            return redirect(url_for("hearings.edit", hearing_id=hearing.id, _anchor="questions"))
    return _edit_page(hearing, _hearing_form(hearing), form, 422)


@bp.route("/manage/<int:hearing_id>/questions/<int:question_id>/delete", methods=["POST"])
@ORGANISERS
def delete_question(hearing_id: int, question_id: int):
    hearing = _hearing(hearing_id)
    question = db.session.get(Question, question_id)
    if question is None or question.hearing_id != hearing.id:
        abort(404)
    return _act(hearing, lambda: services.delete_question(hearing, question, current_user),
                _("The question has been removed."))


def _act(hearing: Hearing, action, message: str, to: str = "hearings.edit"):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(to, hearing_id=hearing.id))


@bp.route("/manage/<int:hearing_id>/publish", methods=["POST"])
@ORGANISERS
def publish(hearing_id: int):
    hearing = _hearing(hearing_id)
    return _act(hearing, lambda: services.publish(hearing, current_user),
                _("The hearing has been published."))


@bp.route("/manage/<int:hearing_id>/close", methods=["POST"])
@ORGANISERS
def close(hearing_id: int):
    hearing = _hearing(hearing_id)

    def action():
        if not services.close(hearing, current_user):
            raise ServiceError(_("Only an open hearing can be closed."))

    return _act(hearing, action, _("The hearing has been closed."))


@bp.route("/manage/<int:hearing_id>/preview")
@ORGANISERS
def preview(hearing_id: int):
    hearing = _hearing(hearing_id)
    areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
    return render_template("hearings/answer.html", hearing=hearing, form=None, raw={},
                           errors={}, mode="preview", questions=hearing.questions,
                           areas=areas, age_bands=answering.BACKGROUND_AGE_BANDS,
                           plain=request.args.get("plain") == "1")


@bp.route("/manage/<int:hearing_id>/sessions", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"])
@ORGANISERS
def sessions(hearing_id: int):
    hearing = _hearing(hearing_id)
    form = SessionForm()
    if request.method == "GET":
        form.cap.data, form.hours.data = 30, 3
    if form.validate_on_submit():
        try:
            opened = services.open_session(hearing, current_user, form.group_name.data,
                                           form.cap.data, form.hours.data)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for("hearings.session_sheet", hearing_id=hearing.id,
                                    session_id=opened.id))
    rows = db.session.scalars(sa.select(ClassSession).where(
        ClassSession.hearing_id == hearing.id).order_by(ClassSession.created_at.desc())).all()
    counts = {row.id: services.session_respondents(row) for row in rows}
    return render_form("hearings/manage/sessions.html", form, hearing=hearing,
                       sessions=rows, counts=counts, action_form=ActionForm(),
                       can_results=lambda s: can_see_session_results(current_user, s,
                                                                     counts[s.id]))


def _class_session(hearing: Hearing, session_id: int) -> ClassSession:
    found = db.session.get(ClassSession, session_id)
    if found is None or found.hearing_id != hearing.id:
        abort(404)
    return found


@bp.route("/manage/<int:hearing_id>/sessions/<int:session_id>")
@ORGANISERS
def session_sheet(hearing_id: int, session_id: int):
    hearing = _hearing(hearing_id)
    return render_template("hearings/manage/sheet.html", hearing=hearing,
                           class_session=_class_session(hearing, session_id))


@bp.route("/manage/<int:hearing_id>/sessions/<int:session_id>/close", methods=["POST"])
@ORGANISERS
def close_session(hearing_id: int, session_id: int):
    hearing = _hearing(hearing_id)
    found = _class_session(hearing, session_id)
    return _act(hearing, lambda: services.close_session(found, current_user),
                _("The class session has been closed."), to="hearings.sessions")


@bp.route("/manage/<int:hearing_id>/sessions/<int:session_id>/results")
@ORGANISERS
def session_results(hearing_id: int, session_id: int):
    hearing = _hearing(hearing_id)
    found = _class_session(hearing, session_id)
    count = results.respondent_count(hearing, found.id)
    if not can_see_session_results(current_user, found, count):
        abort(403)
    return render_template("hearings/results.html", hearing=hearing, class_session=found,
                           results=results.question_results(hearing, found.id),
                           breakdowns={}, respondents=count, printable=False)


@bp.route("/manage/<int:hearing_id>/paper", methods=["GET", "POST"])
@limiter.limit("600 per hour", methods=["POST"])
@ORGANISERS
def paper(hearing_id: int):
    hearing = _hearing(hearing_id)
    if not hearing.is_open():
        flash(_("Paper answers can be entered while the hearing is open."), "info")
        return redirect(url_for("hearings.edit", hearing_id=hearing.id))

    def submit(raw, _email):
        return answering.submit_response(hearing, raw, paper=True)

    here = url_for("hearings.paper", hearing_id=hearing.id)
    page = answer_flow(hearing, "paper", None, submit, here)
    if page is not None:
        return page
    flash(_("The paper answer has been saved. You can enter the next one."), "success")
    return redirect(here)


@bp.route("/manage/overdue")
@roles_required("staff")
def overdue():
    return render_template("hearings/manage/overdue.html", hearings=services.overdue())


@bp.route("/manage/consultation-log.csv")
@ORGANISERS
def consultation_log():
    hearing_id = parse_id(request.args.get("hearing"))
    statement = sa.select(Hearing).where(Hearing.state != "draft").order_by(Hearing.opens_at)
    if hearing_id is not None:
        statement = statement.where(Hearing.id == hearing_id)
    text = results.consultation_log_csv(list(db.session.scalars(statement)))
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=consultation-log.csv"})
