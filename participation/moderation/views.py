"""Moderator pages (queue, item, audit trail, bans, figures, word lists) and residents' reports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..accounts.views import show_service_error
from ..core.exceptions import ServiceError
from ..core.pagination import Page, parse_page
from ..core.parsing import parse_id
from ..core.permissions import login_required, roles_required
from ..core.rendering import render_form
from ..core.types import utcnow
from ..extensions import db, limiter
from . import registry, services
from .figures import figures
from .forms import (
    ACTION_LABELS,
    AppealForm,
    BanForm,
    DecisionForm,
    FlagForm,
    LiftBanForm,
    decision_reason_choices,
)
from .models import Ban, ModerationDecision
from .queue import QueueFilters, author_history, queue
from .reasons import decision_label, public_text

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
PER_PAGE = 20


@bp.context_processor
def moderation_labels():
    from .reasons import FLAG_REASONS

    return {
        "action_label": lambda action: ACTION_LABELS.get(action) or decision_label(action),
        "reason_label": decision_label,
        "flag_reason_label": lambda code: FLAG_REASONS.get(code, code),
    }


def _open_appeals(moderated, obj):
    from .models import Appeal

    return db.session.scalars(
        sa.select(Appeal).join(ModerationDecision, Appeal.decision_id == ModerationDecision.id)
        .where(ModerationDecision.content_type == moderated.key,
               ModerationDecision.content_id == obj.id, Appeal.resolved_at.is_(None))
        .order_by(Appeal.created_at)).all()


def _content_or_404(content_type: str, content_id: int):
    moderated, obj = services.content_for(content_type, content_id)
    if obj is None:
        abort(404)
    return moderated, obj


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


@bp.route("/")
@roles_required("moderator")
def queue_page():
    filters = QueueFilters(
        content_type=request.args.get("type", "") if registry.get(request.args.get("type", ""))
        else "",
        area_id=_int_arg("area"),
        language=request.args.get("language", "")[:16],
        state=request.args.get("state", "") if request.args.get("state") in registry.STATES
        else "",
    )
    entries = queue(filters)
    number = parse_page(request.args.get("page"))
    page = Page(items=entries[(number - 1) * PER_PAGE: number * PER_PAGE], page=number,
                per_page=PER_PAGE, total=len(entries))
    from ..core.forms import area_choices

    return render_template("moderation/queue.html", page=page, filters=filters,
                           types=registry.all_types(), areas=area_choices(),
                           args={k: v for k, v in request.args.items() if k != "page"})


def _decision_form(moderated, obj) -> DecisionForm:
    form = DecisionForm()
    actions = ["approve", "hide", "restore", "redact"]
    if moderated.lock_comments is not None:
        locked = moderated.comments_locked(obj) if moderated.comments_locked else False
        actions.append("unlock_comments" if locked else "lock_comments")
    form.action.choices = [(action, ACTION_LABELS[action]) for action in actions]
    form.reason.choices = decision_reason_choices()
    return form


@bp.route("/item/<content_type>/<int:content_id>", methods=["GET", "POST"])
@limiter.limit("120 per minute", methods=["POST"])
@roles_required("moderator")
def item(content_type: str, content_id: int):
    moderated, obj = _content_or_404(content_type, content_id)
    form = _decision_form(moderated, obj)
    if form.validate_on_submit():
        try:
            services.decide(obj, current_user, form.action.data, form.reason.data,
                            form.note.data, form.new_text.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Decision saved."), "success")
            return redirect(url_for("moderation.queue_page"))
    decisions = db.session.scalars(
        sa.select(ModerationDecision).filter_by(content_type=moderated.key, content_id=obj.id)
        .order_by(ModerationDecision.created_at.desc())).all()
    language = moderated.language(obj)
    with force_locale(language):
        # The public reasons in the content's own language, whatever the moderator reads in.
        reasons_in_content_language = {
            code: str(public_text(code)) for code, _label in decision_reason_choices() if code}
    return render_form(
        "moderation/item.html", form, moderated=moderated, obj=obj,
        flags=services.open_flags(moderated.key, obj.id), decisions=decisions,
        history=author_history(moderated.author_id(obj)), content_language=language,
        reasons_in_content_language=reasons_in_content_language,
        ban=services.active_ban(moderated.author_id(obj)),
        appeals=_open_appeals(moderated, obj), reason_choices=decision_reason_choices(),
    )


@bp.route("/appeals/<int:appeal_id>/dismiss", methods=["POST"])
@roles_required("moderator")
def dismiss_appeal(appeal_id: int):
    from .models import Appeal

    reply = db.session.get(Appeal, appeal_id)
    if reply is None or reply.resolved_at is not None:
        abort(404)
    try:
        services.dismiss_appeal(reply, current_user, request.form.get("reason", ""),
                                request.form.get("note", ""))
    except ServiceError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The answer was read and the decision stands."), "success")
    decision = reply.decision
    return redirect(url_for("moderation.item", content_type=decision.content_type,
                            content_id=decision.content_id))


@bp.route("/users/<int:user_id>/ban", methods=["GET", "POST"])
@roles_required("moderator")
def ban(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        abort(404)
    form = BanForm()
    form.reason.choices = decision_reason_choices()
    lift_form = LiftBanForm(prefix="lift")
    lift_form.reason.choices = decision_reason_choices()
    current = services.active_ban(user.id)
    if request.method == "POST" and request.form.get("action") == "lift" and current:
        if lift_form.validate_on_submit():
            try:
                services.lift_ban(current, current_user, lift_form.reason.data,
                                  lift_form.note.data)
            except ServiceError as error:
                show_service_error(lift_form, error)
            else:
                db.session.commit()
                flash(_("The ban was lifted."), "success")
                return redirect(url_for("moderation.ban", user_id=user.id))
    elif form.validate_on_submit():
        try:
            services.ban_user(user, current_user, form.days.data, form.reason.data,
                              form.note.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s can no longer write until the ban ends.",
                    name=user.display_name), "success")
            return redirect(url_for("moderation.ban", user_id=user.id))
    bans = db.session.scalars(sa.select(Ban).filter_by(user_id=user.id)
                              .order_by(Ban.starts_at.desc())).all()
    return render_form("moderation/ban.html", form, lift_form=lift_form, user=user,
                       current=current, bans=bans, history=author_history(user.id))


def _log_statement():
    statement = sa.select(ModerationDecision).order_by(ModerationDecision.created_at.desc())
    for name, column in (("action", ModerationDecision.action),
                         ("reason", ModerationDecision.reason),
                         ("type", ModerationDecision.content_type)):
        value = request.args.get(name, "")
        if value:
            statement = statement.where(column == value[:40])
    moderator = _int_arg("moderator")
    if moderator:
        statement = statement.where(ModerationDecision.moderator_id == moderator)
    since = _date_arg("since")
    if since:
        statement = statement.where(ModerationDecision.created_at >= since)
    until = _date_arg("until")
    if until and until.date() < date.max:
        statement = statement.where(ModerationDecision.created_at < until + timedelta(days=1))
    return statement


def _date_arg(name: str) -> datetime | None:
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


@bp.route("/log")
@roles_required("moderator")
def log():
    from ..core.pagination import paginate

    page = paginate(_log_statement(), parse_page(request.args.get("page")))
    return render_template("moderation/log.html", page=page, decision_label=decision_label,
                           args={k: v for k, v in request.args.items() if k != "page"},
                           action_labels=ACTION_LABELS)


@bp.route("/log.csv")
@roles_required("moderator")
def log_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["time_utc", "moderator", "action", "reason", "note", "content_type",
                     "content_id", "subject_user_id", "state_before", "state_after"])
    for decision in db.session.scalars(_log_statement()):
        writer.writerow([
            decision.created_at.isoformat(),
            decision.moderator.display_name if decision.moderator else "system",
            decision.action, decision.reason, decision.note, decision.content_type or "",
            decision.content_id or "", decision.subject_user_id or "",
            decision.state_before or "", decision.state_after or "",
        ])
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="moderation-log.csv"'})


@bp.route("/figures")
@roles_required("moderator")
def figures_page():
    end = utcnow()
    periods = [(_("Last 7 days"), figures(end - timedelta(days=7), end)),
               (_("Last 30 days"), figures(end - timedelta(days=30), end)),
               (_("Last 365 days"), figures(end - timedelta(days=365), end))]
    return render_template("moderation/figures.html", periods=periods,
                           decision_label=decision_label, action_labels=ACTION_LABELS)


@bp.route("/report/<content_type>/<int:content_id>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@login_required
def report(content_type: str, content_id: int):
    moderated, obj = _content_or_404(content_type, content_id)
    if obj.moderation_state != registry.PUBLISHED:
        abort(404)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            services.flag_content(obj, current_user, form.reason.data, form.details.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you. Moderators will look at your report."), "success")
            return redirect(moderated.url(obj))
    return render_form("moderation/report.html", form, moderated=moderated, obj=obj)


@bp.route("/decisions/<int:decision_id>/appeal", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@login_required
def appeal(decision_id: int):
    decision = db.session.get(ModerationDecision, decision_id)
    if decision is None or decision.subject_user_id != current_user.id:
        abort(404)
    form = AppealForm()
    if form.validate_on_submit():
        try:
            services.appeal(decision, current_user, form.text.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Your answer was sent to the moderators."), "success")
            return redirect(url_for("core.home"))
    moderated = registry.get(decision.content_type or "")
    obj = db.session.get(moderated.model, decision.content_id) if moderated else None
    return render_form("moderation/appeal.html", form, decision=decision, moderated=moderated,
                       obj=obj, decision_label=decision_label, public_text=public_text)


@bp.route("/wordlists", methods=["GET", "POST"])
@roles_required("admin")
def wordlists():
    from ..core import audit
    from .forms import WordListForm
    from .wordfilter import LIST_NAMES, read_list, save_list, validate_list

    name = request.args.get("list", LIST_NAMES[0])
    if name not in LIST_NAMES:
        abort(404)
    form = WordListForm()
    if request.method == "GET":
        form.text.data = read_list(name)
    if form.validate_on_submit():
        problems = validate_list(name, form.text.data or "")
        if problems:
            form.text.errors = [*form.text.errors, *problems]
        else:
            before = read_list(name)
            save_list(name, form.text.data or "")
            audit.record(current_user, "moderation.wordlist", name, None,
                         reason=form.reason.data, before={"text": before},
                         after={"text": form.text.data or ""})
            db.session.commit()
            flash(_("The list was saved."), "success")
            return redirect(url_for("moderation.wordlists", list=name))
    return render_form("moderation/wordlists.html", form, names=LIST_NAMES, current=name)
