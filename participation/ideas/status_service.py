"""The city's answer: staff set an idea's status with a public reason; everyone concerned hears."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _

from ..core import audit
from ..core.exceptions import ServiceError
from ..core.types import utcnow
from ..extensions import db
from . import notifications
from .models import PUBLISHED, REASON_MAX, STATUSES, Idea, IdeaStatusChange
from .statuses import REASON_REQUIRED


@dataclass
class StatusDecision:
    status: str
    reason: str = ""
    reason_language: str | None = None
    merge_target: str = ""
    proposal_url: str = ""
    lock_comments: bool | None = None


def parse_idea_reference(text: str) -> int | None:
    """An idea number from '123', '#123' or an address ending in /ideas/123."""
    text = (text or "").strip()
    match = re.fullmatch(r"#?(\d{1,10})", text) or re.search(r"/ideas/(\d{1,10})/?(?:[?#].*)?$",
                                                             text)
    return int(match.group(1)) if match else None


def _merge_target(idea: Idea, reference: str) -> Idea:
    target_id = parse_idea_reference(reference)
    if target_id is None:
        raise ServiceError(_("Give the number or address of the idea this one is merged into."),
                           "merge_target")
    target = db.session.get(Idea, target_id)
    if target is None or target.moderation_state != PUBLISHED:
        raise ServiceError(_("There is no published idea number %(number)d.", number=target_id),
                           "merge_target")
    if target.id == idea.id:
        raise ServiceError(_("An idea cannot be merged into itself."), "merge_target")
    if target.merged_into_id is not None:
        raise ServiceError(_("That idea has itself been merged into another idea. Merge into "
                             "that one instead."), "merge_target")
    return target


def _proposal_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise ServiceError(_("Give the address of the budgeting proposal."), "proposal_url")
    parts = urlsplit(url)
    is_site_path = url.startswith("/") and not url.startswith("//") and not parts.netloc
    if len(url) > 500 or not (is_site_path or (parts.scheme in ("http", "https")
                                                and parts.netloc)):
        raise ServiceError(_("Give the proposal's address starting with https:// or with /."),
                           "proposal_url")
    return url


def _check(idea: Idea, decision: StatusDecision) -> tuple[str, Idea | None, str]:
    if decision.status not in STATUSES:
        raise ServiceError(_("Choose a status from the list."), "status")
    reason = (decision.reason or "").strip()
    if decision.status in REASON_REQUIRED and not reason:
        raise ServiceError(_("Write the reason residents will see. It is required for this "
                             "status."), "reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(_("Use at most %(max)d characters in the reason.", max=REASON_MAX),
                           "reason")
    target = _merge_target(idea, decision.merge_target) if decision.status == "merged" else None
    url = _proposal_url(decision.proposal_url) \
        if decision.status == "budgeting_proposal" else ""
    return reason, target, url


def change_status(idea: Idea, actor, decision: StatusDecision) -> IdeaStatusChange:
    """Set the status, write the public timeline row and the audit entry, notify people."""
    reason, target, url = _check(idea, decision)
    from ..moderation.services import comments_locked_by_moderator

    if decision.lock_comments is False and idea.comments_locked \
            and comments_locked_by_moderator("idea", idea.id):
        raise ServiceError(_("A moderator locked the comments. Only a moderator can open them "
                             "again."), "lock_comments")
    before = {"status": idea.status, "comments_locked": idea.comments_locked,
              "merged_into_id": idea.merged_into_id}
    change = IdeaStatusChange(
        idea_id=idea.id, from_status=idea.status, to_status=decision.status, reason=reason,
        reason_language=decision.reason_language or idea.language,
        actor_id=getattr(actor, "id", None), merged_into_id=target.id if target else None,
        budgeting_proposal_url=url,
    )
    db.session.add(change)
    idea.status = decision.status
    idea.status_changed_at = utcnow()
    idea.merged_into_id = target.id if target else None
    # The page shows the latest step's answer and link only: nothing stale from earlier steps.
    idea.budgeting_proposal_url = url
    idea.public_answer = reason
    idea.public_answer_language = change.reason_language if reason else None
    if decision.lock_comments is not None:
        idea.comments_locked = decision.lock_comments
    db.session.flush()
    audit.record(actor, "idea.status", "idea", idea.id, reason=reason or decision.status,
                 before=before,
                 after={"status": idea.status, "comments_locked": idea.comments_locked,
                        "merged_into_id": idea.merged_into_id})
    notifications.notify_status_change(idea, change, actor)
    return change
