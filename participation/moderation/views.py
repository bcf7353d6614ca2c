"""Moderator pages (queue, item, bans, answers) and residents' reports and answers.

The audit trail, figures and word lists are in views_audit.py, on the same blueprint.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..core.exceptions import ServiceError
from ..core.forms import show_service_error
from ..core.pagination import Page
from ..core.parsing import parse_count, parse_id
from ..core.permissions import login_required, roles_required
from ..core.rendering import render_form
from ..extensions import db, limiter
from . import registry, services
from .bulk import BULK_ACTIONS
from .forms import (
    ACTION_LABELS,
    AppealForm,
    BanForm,
    BulkDecisionForm,
    DecisionForm,
    FlagForm,
    LiftBanForm,
    decision_reason_choices,
)
from .guard import ban_context
from .models import Appeal, Ban, ModerationDecision
from .queue import BAN_APPEAL, QueueFilters, author_history, queue, queue_count
from .reasons import FLAG_REASONS, decision_label, public_text, state_label

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
bp.app_context_processor(ban_context)  # every page tells a banned person why and until when
PER_PAGE = 20
MAX_PAGE = 100_000


@bp.context_processor
def moderation_labels():
    return {
        "action_label": lambda action: ACTION_LABELS.get(action) or decision_label(action),
        "reason_label": decision_label,
        "flag_reason_label": lambda code: FLAG_REASONS.get(code, code),
        "state_label": state_label,
        "type_label": lambda key: registry.get(key).label if registry.get(key) else key,
    }


def page_number() -> int:
    return parse_count(request.args.get("page"), MAX_PAGE) or 1


def _open_appeals(moderated, obj):
    return db.session.scalars(
        sa.select(Appeal).join(ModerationDecision, Appeal.decision_id == ModerationDecision.id)
        .where(ModerationDecision.content_type == moderated.key,
               ModerationDecision.content_id == obj.id, Appeal.resolved_at.is_(None))
        .order_by(Appeal.created_at)).all()


def _open_ban_appeals(user_id: int):
    return db.session.scalars(
        sa.select(Appeal).join(ModerationDecision, Appeal.decision_id == ModerationDecision.id)
        .where(ModerationDecision.content_type.is_(None),
               ModerationDecision.subject_user_id == user_id, Appeal.resolved_at.is_(None))
        .order_by(Appeal.created_at)).all()


def _content_or_404(content_type: str, content_id: int):
    moderated, obj = services.content_for(content_type, content_id)
    if obj is None:
        abort(404)
    return moderated, obj


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


def _queue_filters() -> QueueFilters:
    wanted_type = request.args.get("type", "")
    return QueueFilters(
        content_type=wanted_type if registry.get(wanted_type) or wanted_type == BAN_APPEAL
        else "",
        area_id=_int_arg("area"),
        language=request.args.get("language", "")[:16],
        state=request.args.get("state", "") if request.args.get("state") in registry.STATES
        else "",
    )


def render_queue(form: BulkDecisionForm, selected=(), status: int = 200):
    """The queue page with its bulk form (after a refused bulk decision: errors, selection)."""
    filters = _queue_filters()
    total = queue_count(filters)
    number = min(page_number(), max(1, -(-total // PER_PAGE)))
    entries = queue(filters, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    page = Page(items=entries, page=number, per_page=PER_PAGE, total=total)
    from ..core.forms import area_choices

    form.reason.choices = decision_reason_choices(*BULK_ACTIONS)
    # Needed for a bulk decision (the service checks it); an inline approve brings its own.
    form.reason.flags.required = True
    return render_template("moderation/queue.html", page=page, filters=filters,
                           types=registry.all_types(), areas=area_choices(),
                           ban_appeal=BAN_APPEAL, form=form,
                           selected={f"{kind}:{number}" for kind, number in selected},
                           args={k: v for k, v in request.args.items() if k != "page"}), status


@bp.route("/")
@roles_required("moderator")
def queue_page():
    return render_queue(BulkDecisionForm(formdata=None))


def _decision_form(moderated, obj) -> DecisionForm:
    form = DecisionForm()
    actions = ["approve", "hide", "restore", "redact"]
    if moderated.lock_comments is not None:
        locked = moderated.comments_locked(obj) if moderated.comments_locked else False
        actions.append("unlock_comments" if locked else "lock_comments")
    form.action.choices = [(action, ACTION_LABELS[action]) for action in actions]
    form.reason.choices = decision_reason_choices()
    if moderated.redact_title is None:
        del form.new_title
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
                            form.note.data, form.new_text.data,
                            form.new_title.data if "new_title" in form else None)
        except ServiceError as error:
            db.session.rollback()
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
            code: (str(label), str(public_text(code)))
            for code, label in decision_reason_choices() if code}
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
    reply = db.session.get(Appeal, appeal_id)
    if reply is None or reply.resolved_at is not None:
        abort(404)
    decision = reply.decision
    try:
        services.dismiss_appeal(reply, current_user, request.form.get("reason", "")[:40],
                                request.form.get("note", ""))
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The answer was read and the decision stands."), "success")
    if decision.content_type is None:
        return redirect(url_for("moderation.ban", user_id=decision.subject_user_id)
                        if decision.subject_user_id else url_for("moderation.queue_page"))
    return redirect(url_for("moderation.item", content_type=decision.content_type,
                            content_id=decision.content_id))


@bp.route("/users/<int:user_id>/ban", methods=["GET", "POST"])
@roles_required("moderator")
def ban(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        abort(404)
    form = BanForm()
    form.reason.choices = decision_reason_choices("ban")
    lift_form = LiftBanForm(prefix="lift")
    lift_form.reason.choices = decision_reason_choices("lift_ban")
    current = services.active_ban(user.id)
    if request.method == "POST" and request.form.get("action") == "lift" and current:
        if lift_form.validate_on_submit():
            try:
                services.lift_ban(current, current_user, lift_form.reason.data,
                                  lift_form.note.data)
            except ServiceError as error:
                db.session.rollback()
                show_service_error(lift_form, error)
            else:
                db.session.commit()
                flash(_("The ban was lifted."), "success")
                return redirect(url_for("moderation.ban", user_id=user.id))
    elif request.method == "POST" and request.form.get("action") == "lift":
        abort(409)
    elif form.validate_on_submit():
        try:
            services.ban_user(user, current_user, form.days.data, form.reason.data,
                              form.note.data)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s can no longer write until the ban ends.",
                    name=user.display_name), "success")
            return redirect(url_for("moderation.ban", user_id=user.id))
    bans = db.session.scalars(sa.select(Ban).filter_by(user_id=user.id)
                              .order_by(Ban.starts_at.desc())).all()
    return render_form("moderation/ban.html", form, lift_form=lift_form, user=user,
                       current=current, bans=bans, history=author_history(user.id),
                       appeals=_open_ban_appeals(user.id),
                       reason_choices=decision_reason_choices("dismiss_appeal"))


@bp.route("/report/<content_type>/<int:content_id>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])  # per account (the limiter's key)
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
            db.session.rollback()
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
    moderated = registry.get(decision.content_type or "")
    obj = db.session.get(moderated.model, decision.content_id) if moderated else None
    if form.validate_on_submit():
        try:
            services.appeal(decision, current_user, form.text.data)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Your answer was sent to the moderators."), "success")
            # Back to the content the answer is about; a ban's answer to the notifications.
            return redirect(moderated.url(obj) if obj is not None
                            else url_for("notifications.index"))
    return render_form("moderation/appeal.html", form, decision=decision, moderated=moderated,
                       obj=obj, decision_label=decision_label, public_text=public_text)


# The audit trail, figures and word lists; bulk and inline decisions from the queue.
from . import views_audit, views_bulk  # noqa: E402,F401
