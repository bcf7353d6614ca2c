"""A resident's own pages: my ideas (every state, with status) and my activity."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..core.pagination import paginate, parse_page
from ..core.permissions import login_required
from ..extensions import db
from ..moderation.holds import hold_notices
from .models import Idea, IdeaComment, IdeaFollow, IdeaSupport
from .views import bp

ACTIVITY_LIMIT = 50


@bp.route("/my/ideas")
@login_required
def my_ideas():
    statement = (
        sa.select(Idea).where(Idea.author_id == current_user.id)
        .options(joinedload(Idea.area), joinedload(Idea.theme))
        .order_by(Idea.created_at.desc(), Idea.id.desc())
    )
    page = paginate(statement, parse_page(request.args.get("page")))
    return render_template("ideas/my_ideas.html", page=page,
                           holds=hold_notices("idea", page.items))


def _recent(model, owner_column, *extra):
    """The current user's rows of `model` with their idea, newest first."""
    return list(db.session.scalars(
        sa.select(model)
        .where(owner_column == current_user.id, *extra)
        .options(joinedload(model.idea))
        .order_by(model.created_at.desc(), model.id.desc())
        .limit(ACTIVITY_LIMIT)
    ))


@bp.route("/my/activity")
@login_required
def my_activity():
    return render_template(
        "ideas/my_activity.html",
        supports=_recent(IdeaSupport, IdeaSupport.user_id),
        follows=_recent(IdeaFollow, IdeaFollow.user_id),
        comments=_recent(IdeaComment, IdeaComment.author_id, IdeaComment.deleted_at.is_(None)),

        limit=ACTIVITY_LIMIT,
    )
