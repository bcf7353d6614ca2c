"""Public budgeting pages: rounds, their proposals, and residents' own proposals."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core import transactions
from ...core.exceptions import ServiceError
from ...core.forms import show_service_error
from ...core.permissions import login_required, public
from ...core.rendering import render_form
from ...extensions import limiter
from ...i18n import current_language
from ...ideas.forms import CommentForm
from ..results.rulebook import rule_explanation, who_votes
from ..results.tally import rule_label
from ..rounds import comments as comment_service
from ..rounds import lookups, tracking
from ..rounds import proposals as proposal_service
from ..rounds.idea_links import idea_images, linked_ideas
from ..rounds.permissions import allowed_in_round
from ..rounds.phases import PHASE_LABELS
from ..rounds.photos import photo_folder
from ..rounds.statuses import PROPOSAL_STATUSES, status_label
from ..voting.eligibility import email_refusal
from .blueprint import bp, budget_or_404, is_staff, proposal_or_404, round_or_404
from .forms import ResidentProposalForm


@bp.app_template_filter("proposal_status")
def _proposal_status_filter(status: str) -> str:
    return status_label(status)


@bp.app_context_processor
def _proposal_statuses() -> dict:
    return {"proposal_statuses": PROPOSAL_STATUSES}


@bp.app_template_filter("phase_name")
def _phase_name_filter(kind: str) -> str:
    return str(PHASE_LABELS.get(kind, kind))


@bp.app_template_global("current_budget_rounds")
def current_budget_rounds(limit: int = 3) -> list:
    """Published rounds for the front page, the newest first."""
    # voting_is_open() reads the phases: loaded with the rounds in one query
    return lookups.published_rounds(limit, with_phases=True)


@bp.route("/")
@public
def index():
    rounds = lookups.published_rounds()
    return render_template("budgeting/index.html", rounds=rounds)


@bp.route("/<int:round_id>")
@public
def round_page(round_id: int):
    budget_round = round_or_404(round_id)
    proposals = lookups.public_proposals(budget_round)
    by_budget = {budget.id: [] for budget in budget_round.budgets}
    for proposal in proposals:
        by_budget.setdefault(proposal.budget_id, []).append(proposal)
    phase = budget_round.current_phase()
    # Visitors not signed in see the same buttons, which sign them in and bring them back.
    as_resident = current_user if current_user.is_authenticated else None
    return render_template(
        "budgeting/round.html", budget_round=budget_round, by_budget=by_budget, phase=phase,
        can_vote=allowed_in_round(as_resident or _RESIDENT, "vote", budget_round)
        and budget_round.voting_is_open(),
        can_propose=allowed_in_round(as_resident or _RESIDENT, "submit_proposal",
                                     budget_round),
        rule_text=rule_explanation(budget_round), rule_name=rule_label(budget_round.rule),
        who_votes=who_votes(budget_round),
        winners=tracking.winners_progress(budget_round)
        if budget_round.results_published_at else [],
        following=tracking.is_following(current_user, budget_round=budget_round)
        if current_user.is_authenticated else None)


class _Resident:
    """Any signed-in resident, for asking what a visitor could do after signing in."""

    is_authenticated = True
    roles = ("resident",)


_RESIDENT = _Resident()


def _sees_unpublished(proposal) -> bool:
    """Staff, moderators and the proposal's author see it while held or hidden."""
    return is_staff() or current_user.is_authenticated and (
        current_user.has_role("moderator") or current_user.id == proposal.submitted_by_id)


def _visible_proposal_or_404(proposal_id: int):
    proposal = proposal_or_404(proposal_id)
    if proposal.moderation_state == "pending" and not _sees_unpublished(proposal):
        abort(404)  # held for a moderator: only its author and the city see it meanwhile
    return proposal


def _render_proposal(proposal, comment_form=None):
    ideas = linked_ideas(proposal)
    return render_form(
        "budgeting/proposal.html", comment_form or CommentForm(formdata=None),
        proposal=proposal, budget_round=proposal.round, ideas=ideas,
        idea_images=idea_images(ideas),
        author_name=lookups.author_name(proposal),
        comments=comment_service.comments_for(proposal, current_user),
        comment_form=comment_form or CommentForm(formdata=None),
        comment_refusal=comment_service.comment_refusal(proposal),
        following=tracking.is_following(current_user, proposal=proposal)
        if current_user.is_authenticated else None)


@bp.route("/proposals/<int:proposal_id>")
@public
def proposal_page(proposal_id: int):
    return _render_proposal(_visible_proposal_or_404(proposal_id))


@bp.route("/proposals/<int:proposal_id>/comments", methods=["POST"])
@limiter.limit("30 per hour")
@login_required
def comment_on_proposal(proposal_id: int):
    proposal = _visible_proposal_or_404(proposal_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            comment = comment_service.add_comment(current_user, proposal, form.body.data,
                                                  language=form.language.data)
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("Your comment has been posted.") if comment.moderation_state ==
                  "published" else _("Your comment has been saved. A moderator will check it "
                                     "before it is shown to others."), "success")
            return redirect(url_for("budgeting.proposal_page", proposal_id=proposal.id,
                                    _anchor=f"comment-{comment.id}"))
    return _render_proposal(proposal, form)


@bp.route("/proposals/comments/<int:comment_id>/delete", methods=["POST"])
@limiter.limit("30 per hour")
@login_required
def delete_proposal_comment(comment_id: int):
    comment = lookups.get_comment(comment_id)
    if comment is None:
        abort(404)
    try:
        comment_service.delete_comment(current_user, comment)
    except ServiceError as error:
        transactions.rollback()
        flash(error.message, "error")
    else:
        transactions.commit()
        flash(_("Your comment has been deleted."), "success")
    return redirect(url_for("budgeting.proposal_page", proposal_id=comment.proposal_id,
                            _anchor="comments"))


@bp.route("/photos/<name>")
@public
def photo(name: str):
    entry = lookups.photo_by_filename(name)
    if entry is None:
        abort(404)
    proposal = entry.update.proposal
    round_or_404(proposal.round_id)
    if proposal.moderation_state != "published" and not _sees_unpublished(proposal):
        abort(404)  # a hidden or held proposal's photos go with its text
    return send_from_directory(photo_folder(), name, mimetype="image/jpeg", max_age=86400)


@bp.route("/<int:round_id>/propose", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@login_required
def submit_proposal(round_id: int):
    budget_round = round_or_404(round_id)
    if not allowed_in_round(current_user, "submit_proposal", budget_round):
        flash(_("Proposals can only be made while the round's proposal phase is open."), "info")
        return redirect(url_for("budgeting.round_page", round_id=round_id))
    unconfirmed = email_refusal(budget_round, current_user)
    if unconfirmed is not None:  # said before anything is typed, not after
        flash(unconfirmed.message, "info")
        return redirect(url_for("accounts.profile"))
    form = ResidentProposalForm()
    form.budget.choices = [("", _("Choose a budget"))] + [
        (str(b.id), b.name) for b in budget_round.budgets]
    if not form.is_submitted():
        form.language.data = current_language().code
        home = next((b for b in budget_round.budgets
                     if b.area_id == current_user.home_area_id), None)
        form.budget.data = str(home.id) if home else ""
    if form.validate_on_submit():
        try:
            proposal = proposal_service.submit_proposal(
                budget_round, budget_or_404(budget_round, int(form.budget.data)), current_user,
                title=form.title.data, description=form.description.data,
                cost=form.cost.data, language=form.language.data)
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("Thank you! Your proposal has been sent. City staff will check it and "
                    "tell you what happens next."), "success")
            return redirect(url_for("budgeting.proposal_page", proposal_id=proposal.id))
    return render_form("budgeting/propose.html", form, budget_round=budget_round)


@bp.app_template_filter("pb_milestone")
def _milestone_filter(key: str) -> str:
    return tracking.milestone_label(key)


def _follow_change(target: dict, start: bool, back: str):
    try:
        if start:
            tracking.follow(current_user, **target)
        else:
            tracking.unfollow(current_user, **target)
    except ServiceError as error:
        transactions.rollback()
        flash(error.message, "error")
    else:
        transactions.commit()
        flash(_("You will be told when there is news.") if start
              else _("You no longer follow this."), "success")
    return redirect(back)


@bp.route("/proposals/<int:proposal_id>/follow", methods=["POST"])
@limiter.limit("60 per hour")
@login_required
def follow_proposal(proposal_id: int):
    proposal = _visible_proposal_or_404(proposal_id)
    return _follow_change({"proposal": proposal}, True,
                          url_for("budgeting.proposal_page", proposal_id=proposal_id))


@bp.route("/proposals/<int:proposal_id>/unfollow", methods=["POST"])
@limiter.limit("60 per hour")
@login_required
def unfollow_proposal(proposal_id: int):
    proposal = _visible_proposal_or_404(proposal_id)
    return _follow_change({"proposal": proposal}, False,
                          url_for("budgeting.proposal_page", proposal_id=proposal_id))


@bp.route("/<int:round_id>/follow", methods=["POST"])
@limiter.limit("60 per hour")
@login_required
def follow_round(round_id: int):
    return _follow_change({"budget_round": round_or_404(round_id)}, True,
                          url_for("budgeting.round_page", round_id=round_id))


@bp.route("/<int:round_id>/unfollow", methods=["POST"])
@limiter.limit("60 per hour")
@login_required
def unfollow_round(round_id: int):
    return _follow_change({"budget_round": round_or_404(round_id)}, False,
                          url_for("budgeting.round_page", round_id=round_id))
