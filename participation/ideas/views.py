"""Idea pages everyone sees: the list with filters and search, an idea, its image."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from ..core.content_language import CONTENT_CODES
from ..core.links import city_map_url
from ..core.pagination import parse_page
from ..core.parsing import parse_id
from ..core.permissions import public
from ..core.sanitize import render_light_text
from ..extensions import db
from ..i18n import current_language
from ..moderation.holds import hold_notice
from ..moderation.services import public_reason as moderation_reason
from . import comments, editing, images, places, search, services, stemming
from .forms import CommentForm, FilterForm
from .models import PUBLISHED, Idea, Theme
from .permissions import (
    can_change_status,
    can_delete_comment,
    can_edit_comment,
    can_view_comment,
    can_view_idea,
    comment_refusal,
    edit_refusal,
    is_author,
    support_refusal,
    withdraw_refusal,
)
from .statuses import STATUS_LABELS

bp = Blueprint("ideas", __name__)
MAX_QUERY = 200
HOME_OFF = "off"
bp.record_once(
    lambda state: state.app.jinja_env.globals.update(idea_status_labels=STATUS_LABELS)
)


@bp.app_template_filter("light_text")
def light_text_filter(text: str) -> Markup:
    """Resident plain text (comments) as safe HTML: escaped, paragraphs, lists, links."""
    return Markup(render_light_text(text))


bp.add_app_template_filter(stemming.highlight, "highlight")
bp.add_app_template_global(places.coordinates_text, "place_coordinates")


@bp.app_template_global("city_map_url")
def city_map_url_global(lat: float | None, lon: float | None) -> str:
    """The city's map service at a place, in the page's language (see core/links.py)."""
    return city_map_url(lat, lon, current_language().code)


@bp.app_template_global("latest_ideas")
def latest_ideas(limit: int = 3) -> list[Idea]:
    """The newest published ideas, for the front page."""
    statement = search.list_statement().order_by(Idea.created_at.desc(), Idea.id.desc())
    return list(db.session.scalars(statement.limit(limit)))


def wants_json() -> bool:
    """True for the script's fetch calls (Accept: application/json), False for browsers."""
    accept = request.accept_mimetypes
    return accept["application/json"] > accept["text/html"]


def load_idea(idea_id: int) -> Idea | None:
    return db.session.scalar(
        sa.select(Idea).where(Idea.id == idea_id).options(
            joinedload(Idea.area), joinedload(Idea.theme), joinedload(Idea.district),
            joinedload(Idea.author), joinedload(Idea.merged_into),
        )
    )


def visible_idea_or_404(idea_id: int) -> Idea:
    """The idea if the current user may see it; 404 otherwise (not 403: no hint it exists)."""
    idea = load_idea(idea_id)
    if idea is None or not can_view_idea(current_user, idea):
        abort(404)
    return idea


def support_context(idea: Idea) -> dict:
    signed_in = current_user.is_authenticated
    return {
        "idea": idea,
        "supported": signed_in and services.has_supported(current_user, idea),
        "following": signed_in and services.is_following(current_user, idea),
        "support_refusal": support_refusal(idea),
    }


def render_detail(idea: Idea, *, comment_form: CommentForm | None = None,
                  reply_form: CommentForm | None = None, reply_parent_id: int | None = None,
                  status: int = 200):
    """The idea page; after a refused comment, with that form's errors and text kept."""
    merged_ideas = [other for other in idea.merged_ideas if other.moderation_state == PUBLISHED]
    return render_template(
        "ideas/detail.html",
        threads=comments.threads_for(idea, current_user),
        related=search.related_ideas(idea),
        merged_ideas=merged_ideas,
        history=idea.status_changes,
        # Shown only (a post builds its own form): no CSRF token, so an anonymous visitor's
        # page sets no session cookie and can be served from the page cache.
        comment_form=comment_form or CommentForm(formdata=None, meta={"csrf": False}),
        reply_form=reply_form,
        reply_parent_id=reply_parent_id,
        comment_refusal=comment_refusal(idea),
        is_author=is_author(current_user, idea),
        hold=hold_notice("idea", idea) if is_author(current_user, idea) else None,
        can_edit_idea=edit_refusal(current_user, idea) is None,
        can_withdraw_idea=withdraw_refusal(current_user, idea) is None,
        revisions=editing.revisions(idea),
        can_change_status=can_change_status(current_user),
        can_edit_comment=lambda comment: can_edit_comment(current_user, comment),
        can_delete_comment=lambda comment: can_delete_comment(current_user, comment),
        can_view_comment=lambda comment: can_view_comment(current_user, comment),

        **support_context(idea),
    ), status


def _filters(form: FilterForm, themes: list[Theme],
             processes: list[search.Process]) -> search.IdeaFilters:
    slugs = {theme.slug for theme in themes}
    area = form.area.data or ""
    return search.IdeaFilters(
        area=area if area == search.CITY_WIDE or parse_id(area) is not None else "",
        theme=form.theme.data if form.theme.data in slugs else "",
        status=form.status.data if form.status.data in STATUS_LABELS else "",
        language=form.language.data if form.language.data in CONTENT_CODES else "",
        process=form.process_.data if form.process_.data in
        {process.key for process in processes} else "",
    )


@bp.route("/ideas")
@public
def index():
    form = FilterForm(formdata=request.args)
    themes = list(db.session.scalars(sa.select(Theme).order_by(Theme.position, Theme.id)))
    processes = search.processes()
    form.fill_choices(themes, processes)
    filters = _filters(form, themes, processes)
    query = (form.q.data or "").strip()[:MAX_QUERY]
    # The registration hint promises the home area's ideas first; ?home=off lists them all.
    home_off = request.args.get("home") == HOME_OFF
    home_area = current_user.home_area if current_user.is_authenticated else None
    result = search.search_ideas(
        query, filters, sort=form.sort.data or "", page=parse_page(request.args.get("page")),
        home_area_id=home_area.id if home_area is not None and not home_off else None)
    form.sort.data = result.sort
    link_args = {key: value for key, value in {
        **filters.as_args(), "q": query or None, "sort": result.sort}.items() if value}
    return render_template(
        "ideas/index.html", form=form, result=result, page=result.page, query=query,
        link_args={**link_args, "home": HOME_OFF} if home_off else link_args,
        home_toggle_args=link_args if home_off else {**link_args, "home": HOME_OFF},
        filtered=bool(filters.as_args() or query), home_off=home_off,
        home_area=home_area if home_area is not None and search.home_first_applies(
            filters, query, home_area.id) else None,
    )


@bp.route("/ideas/<int:idea_id>")
@public
def detail(idea_id: int):
    idea = load_idea(idea_id)  # once: visible_idea_or_404 would load it again
    if idea is not None and idea.moderation_state == "hidden" \
            and not can_view_idea(current_user, idea):
        return render_template("moderation/removed.html",
                               reason=moderation_reason("idea", idea.id),
                               back_url=url_for("ideas.index"), back_label=_("All ideas")), 410
    if idea is None or not can_view_idea(current_user, idea):
        abort(404)
    return render_detail(idea)


@bp.route("/ideas/<int:idea_id>/image")
@public
def image(idea_id: int):
    idea = db.session.get(Idea, idea_id)
    if idea is None or not idea.image_file or not can_view_idea(current_user, idea):
        abort(404)
    path = images.image_path(idea.image_file)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=images.mimetype_for(idea.image_file), conditional=True)
    response.headers["Cache-Control"] = "no-cache" if idea.is_published else "private, no-store"
    return response
