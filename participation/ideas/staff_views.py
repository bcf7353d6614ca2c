"""Staff answer ideas: a status with a public reason built from a template in the idea's language.

The template picker is a small GET form (?template=key) that fills the status and the reason;
with JavaScript, choosing a template fills them at once. Either way staff edit before saving.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.exceptions import ServiceError
from ..core.forms import show_service_error
from ..core.permissions import roles_required
from ..core.rendering import render_form
from ..extensions import db, limiter
from ..i18n import describe
from . import status_service
from .forms import StatusForm
from .statuses import (
    ANSWER_TEMPLATES,
    STATUS_LABELS,
    TEMPLATES_BY_KEY,
    status_label,
    template_text,
)
from .views import bp, visible_idea_or_404


def _template_options(language: str) -> list[dict]:
    return [
        {"key": template.key, "status": template.status,
         "label": f"{STATUS_LABELS[template.status]}: {template.label}",
         "text": template_text(template.key, language)}
        for template in ANSWER_TEMPLATES
    ]


def _prefill(form: StatusForm, idea) -> str:
    """Fill the form from the idea, then from the chosen template; returns the template key."""
    form.status.data = idea.status
    form.lock_comments.data = idea.comments_locked
    form.merge_target.data = str(idea.merged_into_id or "")
    form.proposal_url.data = idea.budgeting_proposal_url
    template = TEMPLATES_BY_KEY.get(request.args.get("template", ""))
    if template is None:
        return ""
    form.status.data = template.status
    form.reason.data = template_text(template.key, idea.language)
    return template.key


@bp.route("/ideas/<int:idea_id>/status", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"])
@roles_required("staff")
def change_status(idea_id: int):
    idea = visible_idea_or_404(idea_id)
    form = StatusForm()
    chosen = _prefill(form, idea) if request.method == "GET" else ""
    if form.validate_on_submit():
        decision = status_service.StatusDecision(
            status=form.status.data, reason=form.reason.data or "",
            reason_language=idea.language, merge_target=form.merge_target.data or "",
            proposal_url=form.proposal_url.data or "", lock_comments=form.lock_comments.data,
        )
        try:
            status_service.change_status(idea, current_user, decision)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The status is now: %(status)s. The author, supporters and followers "
                    "have been told.", status=status_label(idea.status)), "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id, _anchor="status"))
    return render_form("ideas/status.html", form, idea=idea, chosen_template=chosen,
                       idea_language=describe(idea.language).native_name,
                       templates=_template_options(idea.language))
