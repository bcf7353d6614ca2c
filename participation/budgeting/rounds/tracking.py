"""Following winners to completion: residents follow a proposal or a round and hear of each
step; an implemented proposal closes the loop with the ideas it came from.

Notifications go through the ideas package's notification table (rendered when read, in the
reader's language); the ideas' own status change tells an idea's author and followers.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...accounts.models import User
from ...core import audit
from ...core.exceptions import ServiceError
from ...extensions import db
from ...ideas.models import Notification
from ...ideas.notifications import register_kind
from ...ideas.status_service import StatusDecision, change_status
from .idea_links import linked_ideas, proposal_path
from .models import BudgetRound, Proposal, ProposalFollow, ProposalUpdate
from .statuses import IMPLEMENTATION_STEPS, move, status_label

PROGRESS = "pb_proposal_progress"
MILESTONES = {
    "planning": _l("Planning started"),
    "design_ready": _l("Plans ready"),
    "contract": _l("Contractor chosen"),
    "work_started": _l("Work started"),
    "work_done": _l("Work finished"),
    "opened": _l("Opened for use"),
}


def milestone_label(key: str | None) -> str:
    return str(MILESTONES.get(key, "")) if key else ""


# --- following ---------------------------------------------------------------------------

def _target(proposal: Proposal | None, budget_round: BudgetRound | None) -> dict:
    if (proposal is None) == (budget_round is None):
        raise ValueError("follow a proposal or a round")
    return {"proposal_id": proposal.id} if proposal else {"round_id": budget_round.id}


def is_following(user, *, proposal=None, budget_round=None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(sa.select(ProposalFollow.id).filter_by(
        user_id=user.id, **_target(proposal, budget_round))) is not None


def follow(user, *, proposal=None, budget_round=None) -> bool:
    """Start following (True if new). Only published content can be followed."""
    if proposal is not None and proposal.moderation_state != "published":
        raise ServiceError(_("This proposal cannot be followed."))
    if is_following(user, proposal=proposal, budget_round=budget_round):
        return False
    db.session.add(ProposalFollow(user_id=user.id, **_target(proposal, budget_round)))
    db.session.flush()
    return True


def unfollow(user, *, proposal=None, budget_round=None) -> None:
    db.session.execute(sa.delete(ProposalFollow).filter_by(
        user_id=user.id, **_target(proposal, budget_round)))
    db.session.flush()


def follower_ids(proposal: Proposal) -> set[int]:
    """Who hears of the proposal's progress: its followers, its round's, and its author."""
    ids = set(db.session.scalars(sa.select(ProposalFollow.user_id).where(sa.or_(
        ProposalFollow.proposal_id == proposal.id,
        ProposalFollow.round_id == proposal.round_id))))
    if proposal.submitted_by_id:
        ids.add(proposal.submitted_by_id)
    return ids


def notify_progress(proposal: Proposal, actor, *, update: ProposalUpdate | None = None) -> int:
    """One in-app notification per follower (not the actor); returns how many."""
    people = db.session.scalars(sa.select(User).where(
        User.id.in_(follower_ids(proposal) - {getattr(actor, "id", None)}),
        User.deleted_at.is_(None))).all()
    for person in people:
        db.session.add(Notification(user_id=person.id, kind=PROGRESS, params={
            "proposal_id": proposal.id, "status": proposal.status,
            "update_id": update.id if update else None}))
    db.session.flush()
    return len(people)


def _text(notification) -> str:
    params = notification.params or {}
    proposal = db.session.get(Proposal, params.get("proposal_id") or 0)
    if proposal is None:
        return _("A budgeting proposal you follow has news.")
    if params.get("update_id"):
        return _("“%(title)s” has a new progress report.", title=proposal.title)
    return _("“%(title)s” is now: %(status)s.", title=proposal.title,
             status=status_label(params.get("status", "")))


def _link(notification) -> str | None:
    proposal = db.session.get(Proposal, (notification.params or {}).get("proposal_id") or 0)
    return proposal_path(proposal) if proposal else None


register_kind(PROGRESS, _text, _link)


# --- closing the loop ----------------------------------------------------------------------

def close_idea_loop(proposal: Proposal, actor) -> int:
    """Mark the proposal's ideas carried out (their authors and followers are told)."""
    closed = 0
    for idea in linked_ideas(proposal):
        if idea.status == "implemented":
            continue
        language = idea.language if idea.language in ("fi", "sv", "en") else "fi"
        with force_locale(language):
            reason = _("Carried out as the participatory budgeting proposal “%(title)s”: "
                       "%(link)s", title=getattr(proposal, f"title_{language}")
                       or proposal.title, link=proposal_path(proposal))
        change_status(idea, actor, StatusDecision(status="implemented", reason=reason,
                                                  reason_language=language))
        closed += 1
    return closed


# --- the round page's view of the winners ----------------------------------------------------

@dataclass(frozen=True)
class WinnerProgress:
    proposal: Proposal
    latest: ProposalUpdate | None

    @property
    def percent(self) -> int | None:
        if self.proposal.status == "implemented":
            return 100
        return self.latest.percent_done if self.latest else None


def winners_progress(budget_round: BudgetRound) -> list[WinnerProgress]:
    winners = db.session.scalars(
        sa.select(Proposal).where(
            Proposal.round_id == budget_round.id,
            Proposal.status.in_(("selected", "in_planning", "under_construction",
                                 "implemented", "cancelled")),
            Proposal.moderation_state == "published")
        .order_by(Proposal.budget_id, Proposal.id)).all()
    return [WinnerProgress(p, p.updates[0] if p.updates else None) for p in winners]


def set_implementation_status(proposal, actor, new: str, *, reason_fi: str = "",
                              reason_sv: str = "", reason_en: str = "") -> None:
    """Staff move a selected proposal on: planning, construction, implemented or cancelled."""
    if new not in IMPLEMENTATION_STEPS:
        raise ServiceError(_("Choose a status from the list."), "status")
    if new == "cancelled" and not ((reason_fi or "").strip() and (reason_sv or "").strip()):
        raise ServiceError(_("Give the public reason in Finnish and Swedish."), "reason_fi")
    before = {"status": proposal.status}
    move(proposal, new)
    if new == "cancelled":
        proposal.status_reason_fi = reason_fi.strip()
        proposal.status_reason_sv = reason_sv.strip()
        proposal.status_reason_en = (reason_en or "").strip()
    db.session.flush()
    audit.record(actor, "pb.proposal.status", "proposal", proposal.id, before=before,
                 after={"status": new}, reason=(reason_fi or "").strip())
    if new == "implemented":
        close_idea_loop(proposal, actor)
    notify_progress(proposal, actor)
