"""Proposing an idea: the form, a preview, then publishing. Works without JavaScript.

The preview's "Edit" posts everything back to the form (the image stays as a pending upload
named by a signed token), "Publish" posts it to publish.
"""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..core.content_language import OTHER, normalise_content_language
from ..core.exceptions import ServiceError
from ..core.forms import show_service_error
from ..core.models import Area, District
from ..core.parsing import parse_id
from ..core.permissions import login_required
from ..core.rendering import render_form
from ..core.sanitize import render_light_text
from ..extensions import db, limiter
from ..i18n import current_language
from . import images, services
from .forms import IdeaForm
from .models import Theme
from .views import bp


def _districts_by_area() -> list[tuple[Area, list[District]]]:
    areas = db.session.scalars(
        sa.select(Area).options(selectinload(Area.districts)).order_by(Area.code)
    ).all()
    return [(area, list(area.districts)) for area in areas]


PUBLISH_KEY = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _idea_form() -> tuple[IdeaForm, list]:
    groups = _districts_by_area()
    form = IdeaForm()
    form.fill_choices(groups)
    # The form's one-time key travels through preview and edit; a missing or odd one is new.
    if not PUBLISH_KEY.fullmatch(form.publish_key.data or ""):
        form.publish_key.data = secrets.token_urlsafe(24)
    return form, groups


def _image_lost() -> ServiceError:
    return ServiceError(_("The image you added is no longer kept, because it was added too "
                          "long ago. Choose the image again."), "image")


def _take_image(form: IdeaForm) -> tuple[images.StoredImage | None, ServiceError | None]:
    """The image this submission carries: a new upload, else the kept pending one.

    A kept image that has expired is an error (never dropped silently), unless replaced.
    """
    token = "" if form.remove_image.data else (form.image_token.data or "")
    kept = images.pending_image(token, current_user.id)
    upload = form.image.data
    if upload is not None and getattr(upload, "filename", ""):
        try:
            token, image = images.store_pending(upload.stream, current_user.id)
        except ServiceError as error:
            form.image_token.data = _kept_token(form, kept)
            return kept, error
        form.image_token.data = token
        return image, None
    form.image_token.data = _kept_token(form, kept)
    return kept, _image_lost() if token and kept is None else None


def _kept_token(form: IdeaForm, kept: images.StoredImage | None) -> str:
    return (form.image_token.data or "") if kept is not None else ""


def _draft(form: IdeaForm) -> services.IdeaDraft:
    number = parse_id

    return services.IdeaDraft(
        title=form.title.data or "",
        description=form.description.data or "",
        theme_id=number(form.theme.data),
        area_id=number(form.area.data),
        district_id=number(form.district.data),
        language=form.language.data or "",
        image_alt=form.image_alt.data or "",
        place_address=form.place_address.data or "",
        place_lat=form.place_lat.data or "",
        place_lon=form.place_lon.data or "",
    )


def _form_page(form: IdeaForm, groups, pending):
    form.remove_image.data = False
    return render_form("ideas/form.html", form, groups=groups, pending=pending)


def _checked(form: IdeaForm, pending, problem) -> services.IdeaDraft | None:
    """The cleaned draft if the form and the rules accept it; errors go onto the form."""
    valid = form.validate_on_submit()
    if problem is not None:
        show_service_error(form, problem)
        return None
    if not valid and not form.image_alt.errors:
        try:
            services.check_image_description(_draft(form).cleaned(),
                                             has_image=pending is not None)
        except ServiceError as error:
            show_service_error(form, error)
    if not valid:
        return None
    draft = _draft(form).cleaned()
    try:
        services.check_draft(draft, has_image=pending is not None)
    except ServiceError as error:
        show_service_error(form, error)
        return None
    return draft


@bp.route("/ideas/new", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"])
@login_required
def new():
    form, groups = _idea_form()
    if request.method == "GET":
        form.language.data = normalise_content_language(current_language().code) or OTHER
        form.area.data = str(current_user.home_area_id or "")
        return _form_page(form, groups, None)
    # The preview's "Edit" button: everything typed (and the image) comes back.
    pending, _problem = _take_image(form)
    return _form_page(form, groups, pending)


@bp.route("/ideas/new/preview", methods=["POST"])
@limiter.limit("60 per hour")
@login_required
def preview():
    form, groups = _idea_form()
    pending, problem = _take_image(form)
    draft = _checked(form, pending, problem)
    if draft is None:
        return _form_page(form, groups, pending)
    return render_template(
        "ideas/preview.html", form=form, draft=draft, pending=pending,
        premoderation=services.waits_for_moderator(current_user),
        description_html=render_light_text(draft.description),
        theme=db.session.get(Theme, draft.theme_id),
        area=db.session.get(Area, draft.area_id) if draft.area_id else None,
        district=db.session.get(District, draft.district_id) if draft.district_id else None,
        place=draft.place,
    )


@bp.route("/ideas/new/publish", methods=["POST"])
@limiter.limit("10 per hour")
@login_required
def publish():
    form, groups = _idea_form()
    pending, problem = _take_image(form)
    # The same form published a moment ago (its image already taken): go to that idea.
    earlier = services.idea_published_with(current_user, form.publish_key.data)
    if earlier is not None:
        flash(_("This idea had already been published."), "info")
        return redirect(url_for("ideas.detail", idea_id=earlier.id))
    draft = _checked(form, pending, problem)
    if draft is not None:
        try:
            idea, created = services.publish_idea(current_user, draft, pending,
                                                  publish_key=form.publish_key.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            images.discard_pending(pending if created else None)
            if not created:
                flash(_("This idea had already been published."), "info")
            elif idea.is_published:
                flash(_("Your idea has been published. Thank you!"), "success")
            else:
                flash(_("Thank you! Your idea is waiting for moderation. It will be shown "
                        "to others once a moderator has checked it."), "info")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    return _form_page(form, groups, pending)


@bp.route("/ideas/new/image/<token>")
@login_required
def pending_image(token: str):
    image = images.pending_image(token, current_user.id)
    if image is None:
        abort(404)
    response = send_file(images.pending_path(image), mimetype=image.mimetype)
    response.headers["Cache-Control"] = "private, no-store"
    return response
