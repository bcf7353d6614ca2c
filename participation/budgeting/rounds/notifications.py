"""Telling a resident what staff decided about the proposal they submitted.

In-app through the ideas package's notifications (rendered when read, in the reader's
language) and by email, in their own language, to those who opted in.
"""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from ...accounts.models import User
from ...core.mail import send_mail
from ...extensions import db
from ...i18n import use_language
from ...ideas.models import Notification
from ...ideas.notifications import register_kind
from .models import Proposal

REVIEWED = "pb_proposal_reviewed"


def _proposal_link(proposal_id, external: bool = False) -> str:
    try:
        return url_for("budgeting.proposal_page", proposal_id=proposal_id, _external=external)
    except RuntimeError:  # outside a request and no SERVER_NAME
        return f"/budgeting/proposals/{proposal_id}"


def _outcome_text(proposal: Proposal, status: str) -> str:
    if status == "on_ballot":
        return _("Your proposal “%(title)s” was found feasible and will be on the ballot when "
                 "voting opens.", title=proposal.title)
    return _("Your proposal “%(title)s” was found not feasible. The reason: %(reason)s",
             title=proposal.title, reason=proposal.feasibility_reason)


def notify_review(proposal: Proposal, actor=None) -> bool:
    """Tell the resident who submitted `proposal` the outcome of its review (True if told)."""
    user = db.session.get(User, proposal.submitted_by_id) if proposal.submitted_by_id else None
    if user is None or not user.is_active or user.id == getattr(actor, "id", None):
        return False
    db.session.add(Notification(user_id=user.id, kind=REVIEWED, params={
        "proposal_id": proposal.id, "status": proposal.status}))
    db.session.flush()
    if user.email_notifications:
        with use_language(user.preferred_language):
            subject = _("Your budgeting proposal has been reviewed")
            body = render_template("budgeting/email_reviewed.txt", user=user,
                                   outcome=_outcome_text(proposal, proposal.status),
                                   link=_proposal_link(proposal.id, external=True))
        send_mail(user.email, subject, body)
    return True


def _text(notification) -> str:
    params = notification.params or {}
    proposal = db.session.get(Proposal, params.get("proposal_id") or 0)
    if proposal is None:
        return _("Your budgeting proposal has been reviewed.")
    return _outcome_text(proposal, params.get("status", ""))


def _link(notification) -> str | None:
    proposal_id = (notification.params or {}).get("proposal_id")
    return _proposal_link(proposal_id) if proposal_id else None


register_kind(REVIEWED, _text, _link)
