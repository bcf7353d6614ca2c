"""Decisions taken from the queue itself: one for many selected items, or an inline approve."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.exceptions import ServiceError
from ..core.forms import show_service_error
from ..core.permissions import roles_required
from ..extensions import db, limiter
from . import registry
from .bulk import decide_many, parse_items
from .forms import BulkDecisionForm
from .views import bp, render_queue

# An inline "Approve" from the queue says the content follows the rules.
INLINE_APPROVE_REASON = "acceptable"


def _report(outcome) -> None:
    if outcome.done:
        flash(ngettext("Decision saved for %(num)d item.", "Decision saved for %(num)d items.",
                       len(outcome.done)), "success")
    for content_type, content_id, message in outcome.refused:
        moderated = registry.get(content_type)
        item = " ".join((str(moderated.label) if moderated else content_type, str(content_id)))
        flash(_("Not changed: %(item)s: %(reason)s", item=item, reason=message), "error")


@bp.route("/bulk", methods=["POST"])
@limiter.limit("60 per minute")
@roles_required("moderator")
def bulk():
    form = BulkDecisionForm()
    if not form.validate_on_submit():
        return render_queue(form, parse_items(request.form.getlist("items")), 422)
    inline = parse_items([request.form.get("approve_item", "")])
    if inline:
        items, action, reason, note = inline, "approve", INLINE_APPROVE_REASON, ""
    else:
        items, action, reason, note = (parse_items(request.form.getlist("items")),
                                       form.action.data or "", form.reason.data or "",
                                       form.note.data or "")
    try:
        outcome = decide_many(items, current_user, action, reason, note)
    except ServiceError as error:
        db.session.rollback()
        show_service_error(form, error)
        return render_queue(form, items, 422)
    db.session.commit()
    _report(outcome)
    return redirect(url_for("moderation.queue_page", **request.args))
