"""Moderator pages about moderation itself: the audit trail (and CSV), figures, word lists."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import RoleGrant, User
from ..core.csvsafe import write_csv
from ..core.formats import machine_datetime
from ..core.permissions import roles_required
from ..core.rendering import render_form
from ..core.types import utcnow
from ..extensions import db
from . import registry
from .figures import figures
from .forms import ACTION_LABELS, decision_reason_choices
from .models import ModerationDecision
from .queue import queue_length
from .reasons import decision_label
from .views import _int_arg, bp, page_number


def _log_statement():
    statement = sa.select(ModerationDecision).order_by(ModerationDecision.created_at.desc(),
                                                       ModerationDecision.id.desc())
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


def _moderators() -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role.in_(("moderator", "admin"))).distinct()
        .order_by(User.display_name, User.id)))


@bp.route("/log")
@roles_required("moderator")
def log():
    from ..core.pagination import paginate

    page = paginate(_log_statement(), page_number())
    reasons = [(code, label) for code, label in decision_reason_choices() if code]
    from .reasons import AUTOMATIC_REASONS

    reasons += [(code, label) for code, label in AUTOMATIC_REASONS.items()]
    return render_template("moderation/log.html", page=page, decision_label=decision_label,
                           args={k: v for k, v in request.args.items() if k != "page"},
                           action_labels=ACTION_LABELS, types=registry.all_types(),
                           reasons=reasons, moderators=_moderators())


@bp.route("/log.csv")
@roles_required("moderator")
def log_csv():
    rows = ([
        machine_datetime(decision.created_at),
        decision.moderator.display_name if decision.moderator else "system",
        decision.action, decision.reason, decision.note, decision.content_type or "",
        decision.content_id or "", decision.subject_user_id or "",
        decision.state_before or "", decision.state_after or "",
    ] for decision in db.session.scalars(_log_statement()))
    body = write_csv(rows, header=["time_utc", "moderator", "action", "reason", "note",
                                   "content_type", "content_id", "subject_user_id",
                                   "state_before", "state_after"])
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="moderation-log.csv"'})


@bp.route("/figures")
@roles_required("moderator")
def figures_page():
    from .models import MonthlyFigures

    end = utcnow()
    queue_now = queue_length()  # counted once for all three periods
    periods = [(_("Last 7 days"), figures(end - timedelta(days=7), end, queue_now)),
               (_("Last 30 days"), figures(end - timedelta(days=30), end, queue_now)),
               (_("Last 365 days"), figures(end - timedelta(days=365), end, queue_now))]
    recorded = db.session.scalars(sa.select(MonthlyFigures)
                                  .order_by(MonthlyFigures.month.desc()).limit(24)).all()
    return render_template("moderation/figures.html", periods=periods, recorded=recorded,
                           decision_label=decision_label, action_labels=ACTION_LABELS)


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
