"""The notifications page, "mark all read", and the unread count shown in the header."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..core.pagination import paginate, parse_page
from ..core.permissions import login_required
from ..extensions import db, limiter
from . import notifications
from .models import Notification

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def inject_unread_count():
    def unread_notification_count() -> int:
        """One small query, made only when a page's header shows the badge."""
        if not current_user.is_authenticated:
            return 0
        return notifications.unread_count(current_user)

    return {"unread_notification_count": unread_notification_count}


@bp.route("/notifications")
@login_required
def index():
    statement = notifications.notifications_statement(current_user).options(
        joinedload(Notification.idea)
    )
    page = paginate(statement, parse_page(request.args.get("page")))
    return render_template(
        "ideas/notifications.html", page=page, text=notifications.notification_text,
        link=notifications.notification_link,
    )


@bp.route("/notifications/read", methods=["POST"])
@limiter.limit("60 per hour")
@login_required
def mark_all_read():
    count = notifications.mark_all_read(current_user)
    db.session.commit()
    if count:
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))
