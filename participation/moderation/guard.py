"""A banned person can read but not write: every write request is refused, everywhere."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from .services import WRITES_ALLOWED_WHEN_BANNED, active_ban

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def refuse_writes_from_banned_users():
    if request.method not in WRITE_METHODS or not current_user.is_authenticated:
        return None
    if request.endpoint in WRITES_ALLOWED_WHEN_BANNED:
        return None
    ban = active_ban(current_user.id)
    if ban is None:
        return None
    from .reasons import decision_label

    return render_template("moderation/banned.html", ban=ban,
                           reason=decision_label(ban.reason)), 403
