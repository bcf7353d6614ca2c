"""Administration of themes at /admin/themes (admins only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.exceptions import ServiceError
from ..core.forms import show_service_error
from ..core.permissions import roles_required
from ..core.rendering import render_form
from ..extensions import db, limiter
from . import themes
from .forms import ThemeForm
from .models import Theme

bp = Blueprint("themes", __name__, url_prefix="/admin/themes")


def _data(form: ThemeForm) -> themes.ThemeData:
    return themes.ThemeData(
        slug=form.slug.data.strip(), name_fi=form.name_fi.data.strip(),
        name_sv=form.name_sv.data.strip(), name_en=form.name_en.data.strip(),
        position=form.position.data or 0, active=bool(form.active.data),
    )


def _theme_or_404(theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        abort(404)
    return theme


@bp.route("")
@roles_required("admin")
def index():
    return render_template("ideas/admin_themes.html", themes=themes.ordered_themes())


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"])
@roles_required("admin")
def new():
    form = ThemeForm()
    if request.method == "GET":
        form.position.data = len(themes.ordered_themes()) + 1
    if form.validate_on_submit():
        try:
            theme = themes.create_theme(_data(form), current_user)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The theme %(name)s has been added.", name=theme.name), "success")
            return redirect(url_for("themes.index"))
    return render_form("ideas/admin_theme_form.html", form, theme=None)


@bp.route("/<int:theme_id>", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"])
@roles_required("admin")
def edit(theme_id: int):
    theme = _theme_or_404(theme_id)
    form = ThemeForm(obj=theme if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            themes.update_theme(theme, _data(form), current_user)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The theme %(name)s has been saved.", name=theme.name), "success")
            return redirect(url_for("themes.index"))
    return render_form("ideas/admin_theme_form.html", form, theme=theme)


@bp.route("/<int:theme_id>/move", methods=["POST"])
@limiter.limit("120 per hour")
@roles_required("admin")
def move(theme_id: int):
    theme = _theme_or_404(theme_id)
    direction = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if direction is None:
        abort(400)
    if themes.move_theme(theme, direction, current_user):
        db.session.commit()
        flash(_("The order of the themes has been changed."), "success")
    return redirect(url_for("themes.index", _anchor=f"theme-{theme.id}"))
