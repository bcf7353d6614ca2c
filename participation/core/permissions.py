"""Access rules for views. Every view declares one: @public, @login_required or @roles_required.

The route-walking test fails for a view that declares none, so a new route cannot forget its check.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .links import return_path

ROLES = ("resident", "moderator", "youth_worker", "staff", "admin")
ROLE_LABELS = {
    "resident": _l("Resident"),
    "moderator": _l("Moderator"),
    "youth_worker": _l("Youth worker"),
    "staff": _l("City staff"),
    "admin": _l("Administrator"),
}
ACCESS_ATTRIBUTE = "access_rule"


def _mark(view, rule: tuple):
    setattr(view, ACCESS_ATTRIBUTE, rule)
    return view


def public(view):
    """Anyone may open this view, signed in or not."""
    return _mark(view, ("public",))


def _to_login():
    return redirect(url_for("accounts.login", next=return_path()))


def login_required(view):
    """Signed-in users only; others are sent to the login page and brought back."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return _to_login()
        return view(*args, **kwargs)

    return _mark(wrapper, ("login",))


def roles_required(*roles: str):
    """Signed-in users holding one of `roles` (admins hold every role)."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return _to_login()
            if not current_user.has_any_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, ("roles", tuple(roles)))

    return decorator


def access_rule(view) -> tuple | None:
    return getattr(view, ACCESS_ATTRIBUTE, None)
