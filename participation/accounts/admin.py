"""Administration of users and their roles (admins only)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.exceptions import ServiceError
from ..core.models import AuditEntry
from ..core.pagination import paginate, parse_page
from ..core.permissions import ROLE_LABELS, roles_required
from ..core.rendering import render_form
from ..extensions import db, limiter
from . import services
from .forms import RoleForm
from .models import RoleGrant, User

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required("admin")
def users():
    query = (request.args.get("q") or "").strip()[:100]
    role = request.args.get("role") or ""
    statement = sa.select(User).where(User.deleted_at.is_(None)).order_by(User.email)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            sa.or_(User.email.like(pattern), sa.func.lower(User.display_name).like(pattern))
        )
    if role in ROLE_LABELS and role != "resident":
        statement = statement.where(User.role_grants.any(RoleGrant.role == role))
    page = paginate(statement, parse_page(request.args.get("page")))
    return render_template("admin/users.html", page=page, query=query, role=role,
                           role_labels=ROLE_LABELS)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
@roles_required("admin")
def user_detail(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        abort(404)
    form = RoleForm()
    if form.validate_on_submit():
        action = request.form.get("action")
        try:
            if action == "grant":
                changed = services.grant_role(user, form.role.data, actor=current_user,
                                              reason=form.reason.data)
            elif action == "revoke":
                changed = services.revoke_role(user, form.role.data, actor=current_user,
                                               reason=form.reason.data)
            else:
                abort(400)
        except ServiceError as error:
            form.role.errors = [*form.role.errors, error.message]
        else:
            db.session.commit()
            role_label = ROLE_LABELS[form.role.data]
            if not changed and action == "grant":
                flash(_("Nothing changed: the user already has the role %(role)s.",
                        role=role_label), "info")
            elif not changed:
                flash(_("Nothing changed: the user does not have the role %(role)s.",
                        role=role_label), "info")
            elif action == "grant":
                flash(_("Role %(role)s given.", role=role_label), "success")
            else:
                flash(_("Role %(role)s removed.", role=role_label), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    history = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.target_type == "user", AuditEntry.target_id == user.id)
        .order_by(AuditEntry.created_at.desc())
        .limit(50)
    ).all()
    return render_form("admin/user_detail.html", form, user=user, history=history,
                       role_labels=ROLE_LABELS)
