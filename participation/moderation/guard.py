"""A banned person can read but not write: every write request is refused, everywhere.

Every page tells them so up front (why, and until when), so they do not type into forms
that would be refused; a refused write shows back what they typed, so nothing is lost.
"""

from __future__ import annotations

from flask import g, render_template, request
from flask_login import current_user

from ..accounts.loading import loaded_ban_id
from ..core.sentinels import NOT_READ
from ..extensions import db
from .models import Ban
from .services import WRITES_ALLOWED_WHEN_BANNED, active_ban

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Form fields that are never the person's own text.
NOT_TYPED = {"csrf_token", "publish_key", "image_token", "parent_id", "action"}
TYPED_MAX = 20


def current_ban():
    """The signed-in person's active ban (looked up once per request), or None. The user loader
    read its id with the account: only a banned person's ban is read here."""
    if not current_user.is_authenticated:
        return None
    if "current_ban" not in g:
        ban_id = loaded_ban_id(current_user._get_current_object())
        if ban_id is NOT_READ:
            g.current_ban = active_ban(current_user.id)
        else:
            g.current_ban = db.session.get(Ban, ban_id) if ban_id is not None else None
    return g.current_ban


def ban_context() -> dict:
    ban = current_ban()
    if ban is None:
        return {"current_ban": None}
    from .reasons import decision_label

    return {"current_ban": ban, "current_ban_reason": decision_label(ban.reason)}


def _typed_text() -> list[str]:
    """What the refused request carried that the person wrote (longer texts first)."""
    texts = [value for key, value in request.form.items(multi=True)
             if key not in NOT_TYPED and len(value.strip()) > 2]
    return sorted(texts, key=len, reverse=True)[:TYPED_MAX]


def refuse_writes_from_banned_users():
    if request.method not in WRITE_METHODS or not current_user.is_authenticated:
        return None
    if request.endpoint in WRITES_ALLOWED_WHEN_BANNED:
        return None
    ban = current_ban()
    if ban is None:
        return None
    from .reasons import decision_label

    return render_template("moderation/banned.html", ban=ban, typed=_typed_text(),
                           reason=decision_label(ban.reason)), 403
