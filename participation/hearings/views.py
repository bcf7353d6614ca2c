"""Public hearing pages: list, hearing, answering (account or class code), thanks, results."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..core.disclosure import format_count
from ..core.exceptions import ServiceError
from ..core.models import Area
from ..core.pagination import paginate, parse_page
from ..core.permissions import login_required, public
from ..core.rendering import render_form
from ..extensions import db, limiter
from ..i18n import current_language
from ..templating import isolate_bidi
from . import answering, crosstabs, results, services
from .forms import KIND_LABELS, AnswerForm, CodeForm
from .models import BACKGROUND_AGE_BANDS, DRAFT, PUBLISHED, ClassSession, Hearing
from .permissions import can_see, can_see_results

bp = Blueprint("hearings", __name__, url_prefix="/hearings")
DEVICE = "hearing_device"


@bp.before_request
def close_ended_hearings():
    """A hearing closes at its closing time even if nobody presses the button."""
    if services.close_ended():
        db.session.commit()


@bp.app_template_global("current_hearings")
def current_hearings(limit: int = 3) -> list[Hearing]:
    return list(db.session.scalars(sa.select(Hearing).where(Hearing.state == PUBLISHED)
                                   .order_by(Hearing.closes_at).limit(limit)))


@bp.app_template_filter("suppressed_count")
def suppressed_count(value) -> str:
    return isolate_bidi(format_count(value))


@bp.app_template_filter("hearing_kind")
def hearing_kind(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def hearing_or_404(hearing_id: int) -> Hearing:
    hearing = db.session.get(Hearing, hearing_id)
    if hearing is None or not can_see(current_user, hearing):
        abort(404)
    return hearing


def plain_wanted() -> bool:
    return request.args.get("plain") == "1"


def _plain_arg() -> str | None:
    return "1" if plain_wanted() else None


def _raw_form() -> dict:
    return {key: request.form.getlist(key) for key in request.form}


def _seen() -> set[int]:
    return {int(value) for value in request.form.getlist("shown") if value.isdigit()
            and len(value) < 10}


@bp.route("/")
@public
def index():
    page = paginate(sa.select(Hearing).where(Hearing.state != DRAFT)
                    .order_by(Hearing.state.desc(), Hearing.closes_at.desc()),
                    parse_page(request.args.get("page")))
    return render_template("hearings/index.html", page=page)


@bp.route("/<int:hearing_id>")
@public
def detail(hearing_id: int):
    hearing = hearing_or_404(hearing_id)
    return render_template("hearings/detail.html", hearing=hearing, plain=plain_wanted(),
                           can_results=can_see_results(current_user, hearing))


def _answer_page(hearing: Hearing, form, raw: dict, errors: dict, mode: str, status: int = 200,
                 **context):
    areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
    return render_template(
        "hearings/answer.html", hearing=hearing, form=form, raw=raw, errors=errors, mode=mode,
        questions=answering.shown_questions(hearing, raw), areas=areas,
        age_bands=BACKGROUND_AGE_BANDS, plain=plain_wanted(), **context), status


def answer_flow(hearing: Hearing, mode: str, owner: str | None, submit, here: str):
    """The answering page for every channel: save progress, or submit and thank."""
    form = AnswerForm()
    raw = answering.load_draft(hearing, owner) if owner else {}
    if request.method == "GET":
        return _answer_page(hearing, form, raw, {}, mode)
    raw = answering.clean_raw(hearing, _raw_form())
    if not form.validate_on_submit():
        return _answer_page(hearing, form, raw, {}, mode, 422)
    try:
        if "save" in request.form and owner:
            answering.save_draft(hearing, owner, raw)
            db.session.commit()
            flash(_("Your answers have been saved. You can go on later on this device."),
                  "success")
            return redirect(here)
        checked = submit(raw, form.email.data if "email" in request.form else None)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("hearings.detail", hearing_id=hearing.id))
    if checked.errors or checked.unseen:
        db.session.rollback()
        if owner:
            answering.save_draft(hearing, owner, raw)
            db.session.commit()
        if checked.unseen and not checked.errors:
            flash(_("Your answers opened more questions. Please look at them and send again."),
                  "info")
        return _answer_page(hearing, form, raw, checked.errors, mode,
                            422 if checked.errors else 200)
    db.session.commit()
    return None


@bp.route("/<int:hearing_id>/answer", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"])
@login_required
def answer(hearing_id: int):
    hearing = hearing_or_404(hearing_id)
    refusal = answering.account_refusal(hearing, current_user)
    if refusal:
        flash(refusal, "info")
        return redirect(url_for("hearings.detail", hearing_id=hearing.id))
    here = url_for("hearings.answer", hearing_id=hearing.id, plain=_plain_arg())

    def submit(raw, _email):
        return answering.submit_response(hearing, raw, user=current_user, seen=_seen(),
                                         language=current_language().code)

    page = answer_flow(hearing, "account", answering.user_owner(current_user), submit, here)
    return page or redirect(url_for("hearings.thanks", hearing_id=hearing.id))


@bp.route("/code", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
@public
def enter_code():
    form = CodeForm()
    if form.validate_on_submit():
        class_session = services.session_by_code(form.code.data)
        refusal = answering.session_refusal(class_session)
        if refusal:
            form.code.errors = [*form.code.errors, refusal]
        else:
            session[DEVICE] = {"token": secrets.token_urlsafe(24),
                               "session_id": class_session.id}
            return redirect(url_for("hearings.answer_with_code",
                                    hearing_id=class_session.hearing_id))
    return render_form("hearings/code.html", form)


def _device_session(hearing: Hearing) -> tuple[str | None, ClassSession | None]:
    device = session.get(DEVICE)
    if not isinstance(device, dict) or not isinstance(device.get("token"), str):
        return None, None
    class_session = db.session.get(ClassSession, device.get("session_id") or 0) \
        if isinstance(device.get("session_id"), int) else None
    if class_session is None or class_session.hearing_id != hearing.id:
        return None, None
    return device["token"], class_session


@bp.route("/<int:hearing_id>/class", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
@public
def answer_with_code(hearing_id: int):
    hearing = hearing_or_404(hearing_id)
    token, class_session = _device_session(hearing)
    if token is None:
        flash(_("Enter the code you were given first."), "info")
        return redirect(url_for("hearings.enter_code"))
    refusal = answering.session_refusal(class_session, token)
    if refusal:
        flash(refusal, "info")
        return redirect(url_for("hearings.enter_code"))
    here = url_for("hearings.answer_with_code", hearing_id=hearing.id, plain=_plain_arg())

    def submit(raw, email):
        return answering.submit_response(hearing, raw, token=token, session=class_session,
                                         email=email, seen=_seen(),
                                         language=current_language().code)

    page = answer_flow(hearing, "code", answering.device_owner(token), submit, here)
    if page is not None:
        return page
    session.pop(DEVICE, None)
    return redirect(url_for("hearings.thanks", hearing_id=hearing.id))


@bp.route("/<int:hearing_id>/thanks")
@public
def thanks(hearing_id: int):
    hearing = hearing_or_404(hearing_id)
    return render_template("hearings/thanks.html", hearing=hearing)


def _results_hearing(hearing_id: int) -> Hearing:
    hearing = hearing_or_404(hearing_id)
    if not can_see_results(current_user, hearing):
        abort(404)
    return hearing


@bp.route("/<int:hearing_id>/results")
@public
def results_page(hearing_id: int):
    hearing = _results_hearing(hearing_id)
    main = results.question_results(hearing)
    cross = {}
    for table in crosstabs.question_breakdowns(hearing, main):
        cross.setdefault(table.question_id, []).append(table)
    return render_template("hearings/results.html", hearing=hearing,
                           results=main, crosstabs=cross,
                           breakdowns=results.breakdowns(hearing),
                           respondents=results.respondent_count(hearing),
                           printable=request.args.get("print") == "1")


@bp.route("/<int:hearing_id>/results.csv")
@public
def results_csv(hearing_id: int):
    hearing = _results_hearing(hearing_id)
    return Response(results.results_csv(hearing), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=hearing-{hearing.id}-results.csv"})


@bp.route("/<int:hearing_id>/results.json")
@public
def results_json(hearing_id: int):
    hearing = _results_hearing(hearing_id)
    return Response(results.results_json_text(hearing), mimetype="application/json")

