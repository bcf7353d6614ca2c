"""Supporting, following and commenting: plain form posts that redirect back to the idea,
answered with JSON instead when static/js/ideas.js asks (Accept: application/json)."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.exceptions import ServiceError
from ..core.forms import show_service_error
from ..core.parsing import parse_id
from ..core.permissions import login_required
from ..core.rendering import render_form
from ..extensions import db, limiter
from . import comments, services
from .forms import CommentForm, EditCommentForm
from .models import IdeaComment
from .permissions import HIDDEN, can_delete_comment, can_edit_comment
from .views import bp, render_detail, support_context, visible_idea_or_404, wants_json


def _idea_url(idea_id: int, anchor: str) -> str:
    return url_for("ideas.detail", idea_id=idea_id, _anchor=anchor)


def _support_answer(idea_id: int, message: str, ok: bool, anchor: str = "support"):
    """Redirect back to the idea with a message, or JSON with the new support box."""
    if not wants_json():
        flash(message, "success" if ok else "error")
        return redirect(_idea_url(idea_id, anchor))
    idea = visible_idea_or_404(idea_id)
    html = render_template("ideas/_support.html", **support_context(idea))
    return jsonify(ok=ok, message=message, html=html,
                   support_count=idea.support_count), 200 if ok else 409


def _supporting(idea_id: int, change, done: str, unchanged: str, anchor: str = "support"):
    idea = visible_idea_or_404(idea_id)
    try:
        changed = change(current_user, idea)
    except ServiceError as error:
        db.session.rollback()
        return _support_answer(idea_id, error.message, False, anchor)
    db.session.commit()
    return _support_answer(idea_id, done if changed else unchanged, True, anchor)


@bp.route("/ideas/<int:idea_id>/support", methods=["POST"])
@limiter.limit("120 per hour")
@login_required
def support(idea_id: int):
    return _supporting(idea_id, services.support_idea, _("Thank you for supporting the idea."),
                       _("You already support this idea."))


@bp.route("/ideas/<int:idea_id>/unsupport", methods=["POST"])
@limiter.limit("120 per hour")
@login_required
def unsupport(idea_id: int):
    return _supporting(idea_id, services.withdraw_support, _("Your support has been withdrawn."),
                       _("You did not support this idea."))


@bp.route("/ideas/<int:idea_id>/follow", methods=["POST"])
@limiter.limit("120 per hour")
@login_required
def follow(idea_id: int):
    return _supporting(idea_id, services.follow_idea,
                       _("You now follow this idea. You will be told about its answers and "
                         "new comments."), _("You already follow this idea."))


@bp.route("/ideas/<int:idea_id>/unfollow", methods=["POST"])
@limiter.limit("120 per hour")
@login_required
def unfollow(idea_id: int):
    return _supporting(idea_id, services.unfollow_idea, _("You no longer follow this idea."),
                       _("You did not follow this idea."))


def _reply_parent(idea, raw: str | None) -> IdeaComment | None:
    if not raw:
        return None
    parent_id = parse_id(raw)
    parent = db.session.get(IdeaComment, parent_id) if parent_id is not None else None
    if parent is None or parent.idea_id != idea.id:
        abort(400)
    return parent


def _comment_json(idea, comment, message: str):
    html = render_template(
        "ideas/_comment.html", comment=comment, idea=idea, visible=True, is_reply=bool(
            comment.parent_id), can_edit_comment=lambda c: can_edit_comment(current_user, c),
        can_delete_comment=lambda c: can_delete_comment(current_user, c),
    )
    count_text = ngettext("%(num)d comment", "%(num)d comments", idea.comment_count)
    return jsonify(ok=True, message=message, html=html, comment_id=comment.id,
                   parent_id=comment.parent_id, comment_count=idea.comment_count,
                   comment_count_text=count_text)


@bp.route("/ideas/<int:idea_id>/comments", methods=["POST"])
@limiter.limit("30 per hour")
@login_required
def comment(idea_id: int):
    idea = visible_idea_or_404(idea_id)
    form = CommentForm()
    parent = _reply_parent(idea, form.parent_id.data)
    if form.validate_on_submit():
        try:
            new = comments.add_comment(current_user, idea, form.body.data,
                                       language=form.language.data, parent=parent)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            message = _("Your reply has been posted.") if parent else \
                _("Your comment has been posted.")
            if wants_json():
                return _comment_json(idea, new, message)
            flash(message, "success")
            return redirect(_idea_url(idea.id, f"comment-{new.id}"))
    if wants_json():
        errors = [message for messages in form.errors.values() for message in messages]
        return jsonify(ok=False, errors=[str(error) for error in errors]), 422
    idea = visible_idea_or_404(idea_id)
    if parent is not None:
        return render_detail(idea, reply_form=form, reply_parent_id=parent.id, status=422)
    return render_detail(idea, comment_form=form, status=422)


def _own_comment_or_404(comment_id: int) -> IdeaComment:
    comment = db.session.get(IdeaComment, comment_id)
    if comment is None:
        abort(404)
    visible_idea_or_404(comment.idea_id)
    return comment


@bp.route("/ideas/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
@login_required
def edit_comment(comment_id: int):
    comment = _own_comment_or_404(comment_id)
    if comment.author_id != current_user.id or comment.is_deleted \
            or comment.moderation_state == HIDDEN:
        abort(403)
    form = EditCommentForm(data={"body": comment.body} if request.method == "GET" else None)
    if request.method == "GET" and not can_edit_comment(current_user, comment):
        flash(_("Comments can be edited for 15 minutes after writing them. That time has "
                "passed."), "error")
        return redirect(_idea_url(comment.idea_id, f"comment-{comment.id}"))
    if form.validate_on_submit():
        try:
            held = comments.edit_comment(current_user, comment, form.body.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            if held:
                flash(_("Your comment has been saved. A moderator will check it before it "
                        "is shown to others again."), "info")
            else:
                flash(_("Your comment has been saved."), "success")
            return redirect(_idea_url(comment.idea_id, f"comment-{comment.id}"))
    return render_form("ideas/comment_edit.html", form, comment=comment)


@bp.route("/ideas/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
@login_required
def delete_comment(comment_id: int):
    comment = _own_comment_or_404(comment_id)
    if not can_delete_comment(current_user, comment):
        abort(403)
    if request.method == "POST":
        comments.delete_comment(current_user, comment)
        db.session.commit()
        flash(_("Your comment has been deleted."), "success")
        return redirect(_idea_url(comment.idea_id, f"comment-{comment.id}"))
    return render_template("ideas/comment_delete.html", comment=comment)
