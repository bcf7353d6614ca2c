"""Budgeting proposals as moderated content (see participation.moderation.registry).

Hiding a proposal means:
- before voting opens, it leaves the ballot (back to review: staff decide again after a
  restore), and it is left out of public lists;
- once voting has opened, the ballot cannot change (ballots already cast count it), so it stays
  in the count but its title and description are replaced by the moderator's public reason
  everywhere, it is left out of the results pages and results.csv, and staff are told.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...core import audit
from ...extensions import db
from ...ideas.models import COMMENT_MAX
from ...moderation import registry
from ...moderation.registry import HIDDEN, ModeratedType, register
from .models import Budget, Proposal, ProposalComment
from .statuses import move

STAFF_TOLD = "pb_proposal_hidden_on_ballot"


def _written(proposal: Proposal, name: str) -> str:
    """The text in the language the proposal was written in (else any language it has)."""
    return getattr(proposal, f"{name}_{proposal.language}", "") or next(
        (getattr(proposal, f"{name}_{code}") for code in ("fi", "sv", "en")
         if getattr(proposal, f"{name}_{code}")), "")


def _redact(proposal: Proposal, text: str) -> None:
    setattr(proposal, f"description_{proposal.language}", text)


def _redact_title(proposal: Proposal, title: str) -> None:
    setattr(proposal, f"title_{proposal.language}", title)


def _redact_comment(comment: ProposalComment, text: str) -> None:
    comment.body = text


def _comment_area():
    return (sa.select(Budget.area_id).join(Proposal, Proposal.budget_id == Budget.id)
            .where(Proposal.id == ProposalComment.proposal_id).scalar_subquery())


def _budget_area():
    return sa.select(Budget.area_id).where(Budget.id == Proposal.budget_id).scalar_subquery()


def _staff_ids() -> list[int]:
    from ...accounts.models import RoleGrant, User

    return list(db.session.scalars(
        sa.select(User.id).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role.in_(("staff", "admin")), User.deleted_at.is_(None))
        .distinct()))


def _on_state_change(proposal: Proposal, old: str, new: str) -> None:
    if new != HIDDEN:
        return
    budget_round = proposal.round
    if proposal.status == "on_ballot" and not budget_round.voting_has_opened():
        move(proposal, "in_review")
        db.session.flush()
        audit.record(None, "pb.proposal.status", "proposal", proposal.id,
                     before={"status": "on_ballot"}, after={"status": "in_review"},
                     reason="hidden by a moderator")
    elif budget_round.voting_has_opened() and proposal.status not in ("merged",
                                                                       "not_feasible"):
        notifier = registry.notifier()
        if notifier is not None:
            for user_id in _staff_ids():
                notifier.add(user_id, STAFF_TOLD, {"proposal_id": proposal.id,
                                                   "round_id": budget_round.id})


def _staff_text(notification) -> str:
    params = notification.params or {}
    return _("A moderator hid proposal number %(number)s, which is on a ballot. It stays in the "
             "count; its text is replaced by the reason.", number=params.get("proposal_id"))


def _staff_link(notification) -> str | None:
    proposal_id = (notification.params or {}).get("proposal_id")
    return url_for("budgeting.edit_proposal", proposal_id=proposal_id) if proposal_id else None


def register_moderated_types(app) -> None:
    notifier = registry.notifier()
    if notifier is not None:
        notifier.register_kind(STAFF_TOLD, _staff_text, _staff_link)
    register(ModeratedType(
        key="proposal", model=Proposal, label=_l("Budgeting proposal"),
        title=lambda proposal: _written(proposal, "title"),
        text=lambda proposal: _written(proposal, "description"),
        author_id=lambda proposal: proposal.submitted_by_id,
        area_id=lambda proposal: proposal.budget.area_id if proposal.budget else None,
        language=lambda proposal: proposal.language,
        url=lambda proposal: url_for("budgeting.proposal_page", proposal_id=proposal.id),
        redact=_redact, redact_title=_redact_title, title_max=200, text_max=10000,
        on_state_change=_on_state_change,
        author_sql=lambda: Proposal.submitted_by_id, area_sql=_budget_area,
        # Proposals staff wrote are the city's own text: only residents' need a first look.
        needs_review_sql=lambda: Proposal.submitted_by_id.is_not(None),
        language_sql=lambda: Proposal.language,
    ))
    register(ModeratedType(
        key="proposal_comment", model=ProposalComment, label=_l("Comment on a proposal"),
        title=lambda comment: "", text=lambda comment: comment.body,
        author_id=lambda comment: comment.author_id,
        area_id=lambda comment: comment.proposal.budget.area_id,
        language=lambda comment: comment.language,
        url=lambda comment: url_for("budgeting.proposal_page",
                                    proposal_id=comment.proposal_id,
                                    _anchor=f"comment-{comment.id}"),
        redact=_redact_comment, text_max=COMMENT_MAX,
        author_sql=lambda: ProposalComment.author_id, area_sql=_comment_area,
        language_sql=lambda: ProposalComment.language,
    ))
