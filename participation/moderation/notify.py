"""Telling authors about decisions on their content: the reason and how to answer.

In-app through the site's notification table; by email (in the author's language) to those
who opted in.
"""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.mail import send_mail
from ..extensions import db
from .reasons import decision_label, public_text

KIND = "moderation_decision"


def _appeal_link(decision, external: bool = False) -> str:
    try:
        return url_for("moderation.appeal", decision_id=decision.id, _external=external)
    except RuntimeError:  # outside a request and no SERVER_NAME
        return f"/moderation/decisions/{decision.id}/appeal"


def notify_author_of_decision(decision) -> None:
    from ..accounts.models import User
    from ..ideas.models import Notification

    user = db.session.get(User, decision.subject_user_id) if decision.subject_user_id else None
    if user is None or not user.is_active:
        return
    db.session.add(Notification(user_id=user.id, kind=KIND, params={
        "decision_id": decision.id, "action": decision.action, "reason": decision.reason}))
    db.session.flush()
    if user.email_notifications:
        with force_locale(user.preferred_language or "fi"):
            subject = _("A moderator's decision about your content")
            body = render_template("moderation/email_decision.txt", user=user,
                                   decision=decision, reason=decision_label(decision.reason),
                                   public_reason=public_text(decision.reason),
                                   link=_appeal_link(decision, external=True))
        send_mail(user.email, subject, body)


def notification_text(notification) -> str:
    params = notification.params or {}
    return _("A moderator made a decision about your content (%(reason)s). Read the reason "
             "and answer if you think it is wrong.", reason=decision_label(params.get("reason",
                                                                                        "")))


def notification_link(notification) -> str | None:
    decision_id = (notification.params or {}).get("decision_id")
    if not decision_id:
        return None
    return url_for("moderation.appeal", decision_id=decision_id)
