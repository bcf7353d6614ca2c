"""Staff pages for proposals: create, translate and correct, review, merge, follow up."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core import transactions
from ...core.exceptions import ServiceError
from ...core.forms import show_service_error
from ...core.parsing import parse_id
from ...core.permissions import roles_required
from ...core.rendering import render_form
from ...extensions import limiter
from ..rounds import idea_links, lookups
from ..rounds import proposals as service
from ..rounds.statuses import (
    IMPLEMENTATION_STEPS,
    can_move,
    status_label,
)
from ..rounds.tracking import set_implementation_status
from .blueprint import bp, budget_or_404, round_or_404
from .forms import MergeForm, ProgressUpdateForm, ReviewForm, StaffProposalForm, StatusForm

TEXTS = service.OFFICIAL_TEXTS


def _link_posted_ideas(proposal, form) -> None:
    numbers = idea_links.parse_idea_numbers(form.ideas.data or "")
    if numbers:
        idea_links.link_ideas(proposal, numbers, current_user)


def _proposal(proposal_id: int):
    proposal = lookups.get_proposal(proposal_id)
    if proposal is None:
        abort(404)
    return proposal


def _proposal_form(budget_round, proposal=None, posted=True) -> StaffProposalForm:
    fresh = request.method == "GET" or not posted
    form = StaffProposalForm(formdata=None if fresh else request.form,
                             obj=proposal if fresh else None)
    form.budget.choices = [(str(b.id), b.name) for b in budget_round.budgets]
    if fresh and proposal is not None:
        form.budget.data = str(proposal.budget_id)
    return form


def _merge_form(proposal, posted=False) -> MergeForm:
    form = MergeForm(formdata=request.form if posted else None)
    siblings = lookups.merge_candidates(proposal)
    form.target.choices = [(str(p.id), f"#{p.id} {p.title}") for p in siblings]
    return form


def _render_edit(proposal, form=None, **forms):
    """The proposal's staff page with whichever form was posted showing its errors."""
    context = {
        "proposal_form": forms.get("proposal_form") or _proposal_form(proposal.round, proposal,
                                                                       posted=False),
        "review_form": forms.get("review_form") or ReviewForm(formdata=None),
        "merge_form": forms.get("merge_form") or _merge_form(proposal),
        "update_form": forms.get("update_form") or ProgressUpdateForm(formdata=None),
        "status_form": forms.get("status_form") or _status_form(proposal),
    }
    return render_form("budgeting/manage/proposal.html", form or context["proposal_form"],
                       proposal=proposal, budget_round=proposal.round,
                       ideas=idea_links.linked_ideas(proposal), **context)


@bp.route("/manage/<int:round_id>/proposals")
@roles_required("staff")
def manage_proposals(round_id: int):
    budget_round = round_or_404(round_id, staff_view=True)
    status = request.args.get("status") or ""
    proposals = lookups.round_proposals(round_id, status)
    return render_template("budgeting/manage/proposals.html", budget_round=budget_round,
                           proposals=proposals, status=status)


@bp.route("/manage/<int:round_id>/proposals/new", methods=["GET", "POST"])
@roles_required("staff")
def new_proposal(round_id: int):
    budget_round = round_or_404(round_id, staff_view=True)
    form = _proposal_form(budget_round)
    seed = idea_links.idea_seed(parse_id(request.args.get("idea")))
    if request.method == "GET" and seed:
        for name, value in seed.items():
            getattr(form, name).data = value
    if form.validate_on_submit():
        try:
            proposal = service.create_proposal(
                budget_round, budget_or_404(budget_round, int(form.budget.data)), current_user,
                cost=form.cost.data, **{name: getattr(form, name).data for name in TEXTS})
            _link_posted_ideas(proposal, form)
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("The proposal has been added."), "success")
            return redirect(url_for("budgeting.edit_proposal", proposal_id=proposal.id))
    return render_form("budgeting/manage/new_proposal.html", form, budget_round=budget_round)


@bp.route("/manage/proposals/<int:proposal_id>", methods=["GET", "POST"])
@roles_required("staff")
def edit_proposal(proposal_id: int):
    proposal = _proposal(proposal_id)
    form = _proposal_form(proposal.round, proposal)
    if form.validate_on_submit():
        try:
            service.edit_proposal(proposal, current_user, cost=form.cost.data,
                                  budget=budget_or_404(proposal.round, int(form.budget.data)),
                                  **{name: getattr(form, name).data for name in TEXTS})
            _link_posted_ideas(proposal, form)
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("The proposal has been saved."), "success")
            return redirect(url_for("budgeting.edit_proposal", proposal_id=proposal_id))
    return _render_edit(proposal, form, proposal_form=form)


@bp.route("/manage/proposals/<int:proposal_id>/review", methods=["POST"])
@roles_required("staff")
def review_proposal(proposal_id: int):
    proposal = _proposal(proposal_id)
    form = ReviewForm()
    if form.validate_on_submit():
        if transactions.attempt(form, lambda: service.review_proposal(
                proposal, current_user, feasible=form.decision.data == "feasible",
                reason_fi=form.reason_fi.data or "", reason_sv=form.reason_sv.data or "",
                reason_en=form.reason_en.data or "")):
            flash(_("The review has been saved."), "success")
            return redirect(url_for("budgeting.edit_proposal", proposal_id=proposal_id))
    return _render_edit(proposal, form, review_form=form)


@bp.route("/manage/proposals/<int:proposal_id>/merge", methods=["POST"])
@roles_required("staff")
def merge_proposal(proposal_id: int):
    proposal = _proposal(proposal_id)
    form = _merge_form(proposal, posted=True)
    if form.validate_on_submit():
        if transactions.attempt(form, lambda: service.merge_proposals(
                proposal, _proposal(int(form.target.data)), current_user)):
            flash(_("The proposal has been merged."), "success")
            return redirect(url_for("budgeting.edit_proposal", proposal_id=proposal_id))
    return _render_edit(proposal, form, merge_form=form)


def _status_form(proposal, posted=False) -> StatusForm:
    form = StatusForm(formdata=request.form if posted else None)
    form.status.choices = [(value, status_label(value)) for value in IMPLEMENTATION_STEPS
                           if can_move(proposal.status, value)]
    return form


@bp.route("/manage/proposals/<int:proposal_id>/status", methods=["POST"])
@limiter.limit("60 per hour")
@roles_required("staff")
def set_proposal_status(proposal_id: int):
    proposal = _proposal(proposal_id)
    form = _status_form(proposal, posted=True)
    if form.validate_on_submit():
        if transactions.attempt(form, lambda: set_implementation_status(
                proposal, current_user, form.status.data,
                reason_fi=form.reason_fi.data or "", reason_sv=form.reason_sv.data or "",
                reason_en=form.reason_en.data or "")):
            flash(_("The status has been changed."), "success")
            return redirect(url_for("budgeting.edit_proposal", proposal_id=proposal_id))
    return _render_edit(proposal, form, status_form=form)


@bp.route("/manage/proposals/<int:proposal_id>/updates", methods=["POST"])
@limiter.limit("60 per hour")
@roles_required("staff")
def add_update(proposal_id: int):
    proposal = _proposal(proposal_id)
    form = ProgressUpdateForm()
    if form.validate_on_submit():
        upload = form.photo.data
        photos = []
        if upload is not None and getattr(upload, "filename", ""):
            photos.append((upload.read(), form.alt_fi.data or "", form.alt_sv.data or ""))
        try:
            service.add_progress_update(
                proposal, current_user, happened_on=form.happened_on.data,
                text_fi=form.text_fi.data or "", text_sv=form.text_sv.data or "",
                text_en=form.text_en.data or "", photos=photos,
                percent_done=form.percent_done.data, milestone=form.milestone.data or None,
                planned_finish=form.planned_finish.data, actual_finish=form.actual_finish.data,
                cost_to_date=form.cost_to_date.data)
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("The progress update has been published."), "success")
            return redirect(url_for("budgeting.proposal_page", proposal_id=proposal_id))
    return _render_edit(proposal, form, update_form=form)
