"""The author's pages for editing and withdrawing their idea."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.exceptions import ServiceError
from ..core.forms import show_service_error
from ..core.permissions import login_required
from ..core.rendering import render_form
from ..extensions import db, limiter
from . import editing, places
from .forms import EditIdeaForm, WithdrawIdeaForm
from .permissions import edit_refusal, is_author, withdraw_refusal
from .views import bp, load_idea


def _own_idea_or_404(idea_id: int):
    idea = load_idea(idea_id)
    if idea is None or not is_author(current_user, idea):
        abort(404)
    return idea


def _current(idea) -> dict:
    """The edit form filled with the idea as it is now."""
    return {"title": idea.title, "description": idea.description_text,
            "language": idea.language, "place_address": idea.place_address or "",
            "place_lat": places.degrees_field(idea.place_lat),
            "place_lon": places.degrees_field(idea.place_lon)}


def _refused(message: str, idea_id: int):
    flash(message, "error")
    return redirect(url_for("ideas.detail", idea_id=idea_id))


@bp.route("/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
@login_required
def edit_idea(idea_id: int):
    idea = _own_idea_or_404(idea_id)
    refusal = edit_refusal(current_user, idea)
    if refusal and request.method == "GET":
        return _refused(refusal, idea.id)
    form = EditIdeaForm(data=_current(idea) if request.method == "GET" else None)
    form.fill_choices()
    if form.validate_on_submit():
        try:
            held = editing.edit_idea(
                current_user, idea, form.title.data, form.description.data,
                form.language.data, place_address=form.place_address.data or "",
                place_lat=form.place_lat.data or "", place_lon=form.place_lon.data or "")
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            if held:
                flash(_("Your changes have been saved. A moderator will check the idea before "
                        "it is shown to others again."), "info")
            else:
                flash(_("Your changes have been saved."), "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    return render_form("ideas/edit.html", form, idea=idea)


@bp.route("/ideas/<int:idea_id>/withdraw", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@login_required
def withdraw_idea(idea_id: int):
    idea = _own_idea_or_404(idea_id)
    refusal = withdraw_refusal(current_user, idea)
    if refusal and request.method == "GET":
        return _refused(refusal, idea.id)
    form = WithdrawIdeaForm()
    if form.validate_on_submit():
        try:
            editing.withdraw_idea(current_user, idea, form.reason.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("You have withdrawn the idea."), "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    return render_form("ideas/withdraw.html", form, idea=idea)

