"""Public pages: home, accessibility statement, privacy notice, language menu, health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..extensions import db
from ..i18n import LOCALE_COOKIE, SESSION_LOCALE, normalise
from .models import Area
from .permissions import public
from .security import cookie_secure, safe_next

bp = Blueprint("core", __name__)

LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365


@bp.route("/")
@public
def home():
    areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
    return render_template("core/home.html", areas=areas)


@bp.route("/accessibility")
@public
def accessibility():
    return render_template(
        "core/accessibility.html",
        feedback_email=current_app.config["ACCESSIBILITY_FEEDBACK_EMAIL"],
    )


@bp.route("/privacy")
@public
def privacy():
    return render_template(
        "core/privacy.html", contact_email=current_app.config["PRIVACY_CONTACT_EMAIL"]
    )


@bp.route("/language/<code>")
@public
def set_language(code: str):
    """The language menu: a plain link per language, remembered in a cookie and the session.

    A link can be followed by anyone's page (an image, a prefetch), so it changes nothing
    stored: the language saved in the profile changes only on the profile form (a POST)."""
    target = safe_next(request.args.get("next"), url_for("core.home"))
    chosen = normalise(code)
    response = redirect(target)
    if chosen is None:
        flash(_("That language is not available. The page is shown in a language we have."),
              "info")
        return response
    response.set_cookie(
        LOCALE_COOKIE, chosen, max_age=LANGUAGE_COOKIE_AGE, samesite="Lax", httponly=True,
        secure=cookie_secure(current_app),
    )
    session[SESSION_LOCALE] = chosen
    return response


@bp.route("/healthz")
@public
def health():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
