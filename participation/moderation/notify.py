"""Telling people about decisions on their content or account: the reason and how to answer.

In-app through the notifier a domain registered (registry.register_notifier); by email (in the
person's language) to those who opted in.
"""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from ..core.links import external_url
from ..core.mail import send_mail
from ..extensions import db
from ..i18n import use_language
from . import registry
from .reasons import decision_label, public_text

KIND = "moderation_decision"
# Decisions the person can answer (a lifted ban needs no answer).
ANSWERABLE = {"hide", "redact", "lock_comments", "unlock_comments", "restore", "ban",
              "dismiss_appeal", "auto_hold"}


def _appeal_link(decision, external: bool = False) -> str:
    try:
        if external:
            return external_url("moderation.appeal", decision_id=decision.id)
        return url_for("moderation.appeal", decision_id=decision.id)
    except RuntimeError:  # outside a request and no SERVER_NAME
        return f"/moderation/decisions/{decision.id}/appeal"


def notify_person_of_decision(decision) -> None:
    from ..accounts.models import User

    user = db.session.get(User, decision.subject_user_id) if decision.subject_user_id else None
    if user is None or not user.is_active:
        return
    notifier = registry.notifier()
    if notifier is not None:
        notifier.add(user.id, KIND, {"decision_id": decision.id, "action": decision.action,
                                     "reason": decision.reason})
        db.session.flush()
    if user.email_notifications:
        with use_language(user.preferred_language):
            subject = _("A moderator's decision about your content")
            body = render_template("moderation/email_decision.txt", user=user,
                                   decision=decision, reason=decision_label(decision.reason),
                                   public_reason=public_text(decision.reason),
                                   answerable=decision.action in ANSWERABLE,
                                   link=_appeal_link(decision, external=True))
        send_mail(user.email, subject, body)


# The name the ideas engineer's code may still use.
notify_author_of_decision = notify_person_of_decision


def notification_text(notification) -> str:
    params = notification.params or {}
    reason = decision_label(params.get("reason", ""))
    action = params.get("action")
    if action == "ban":
        return _("A moderator stopped you from writing for a while (%(reason)s). Read the "
                 "reason and answer if you think it is wrong.", reason=reason)
    if action == "lift_ban":
        return _("A moderator lifted your writing ban. You can write again.")
    if action == "dismiss_appeal":
        return _("A moderator read your answer. The decision stands (%(reason)s).",
                 reason=reason)
    return _("A moderator made a decision about your content (%(reason)s). Read the reason "
             "and answer if you think it is wrong.", reason=reason)


def notification_link(notification) -> str | None:
    params = notification.params or {}
    decision_id = params.get("decision_id")
    if not decision_id or params.get("action") == "lift_ban":
        return None
    return url_for("moderation.appeal", decision_id=decision_id)


def register_notification_kind() -> None:
    notifier = registry.notifier()
    if notifier is not None:
        notifier.register_kind(KIND, notification_text, notification_link)
