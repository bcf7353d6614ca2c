"""Bans (read but not write for a while) and appeals (an answer to any decision)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..core.exceptions import ServiceError
from ..core.types import utcnow
from ..extensions import db
from .models import Appeal, Ban, ModerationDecision
from .reasons import banned_until_state

MAX_BAN_DAYS = 3650
NOT_BANNED = "not_banned"


def _active_bans(select: sa.Select, user_id, now) -> sa.Select:
    """`select` narrowed to the person's bans in force at `now`, the one ending last first."""
    return (select.where(Ban.user_id == user_id, Ban.lifted_at.is_(None), Ban.ends_at > now)
            .order_by(Ban.ends_at.desc()).limit(1))


def active_ban(user_id: int | None) -> Ban | None:
    if user_id is None:
        return None
    return db.session.scalar(_active_bans(sa.select(Ban), user_id, utcnow()))


def active_ban_id(user_id, now) -> sa.ScalarSelect:
    """The id of the active ban of `user_id` (a column or a value) as a subquery, so the
    signed-in person's ban is read in the same query as the account (accounts/loading.py)."""
    return _active_bans(sa.select(Ban.id), user_id, now).scalar_subquery()


def _ban_state(user_id: int) -> str:
    current = active_ban(user_id)
    return banned_until_state(current.ends_at) if current else NOT_BANNED


def _notify(decision: ModerationDecision) -> None:
    from .notify import notify_person_of_decision

    notify_person_of_decision(decision)


def ban_user(user, moderator, days: int, reason: str, note: str = "") -> Ban:
    from .services import check_reason

    note = check_reason("ban", reason, note)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_BAN_DAYS:
        raise ServiceError(_("Give the length of the ban in days, from 1 to %(max)d.",
                             max=MAX_BAN_DAYS), "days")
    if user.id == getattr(moderator, "id", None):
        raise ServiceError(_("You cannot ban yourself."))
    if user.has_any_role("moderator", "admin"):
        raise ServiceError(_("Moderators and administrators cannot be banned here. Remove "
                             "their role first."))
    before = _ban_state(user.id)
    now = utcnow()
    ban = Ban(user_id=user.id, starts_at=now, ends_at=now + timedelta(days=days),
              reason=reason, note=note, created_by_id=getattr(moderator, "id", None))
    db.session.add(ban)
    user.end_sessions()  # the ban takes effect in every open session (they log in to read)
    decision = ModerationDecision(
        moderator_id=getattr(moderator, "id", None), subject_user_id=user.id, action="ban",
        reason=reason, note=f"{days} d. {note}".strip(), state_before=before,
        state_after=banned_until_state(ban.ends_at),
    )
    db.session.add(decision)
    db.session.flush()
    _notify(decision)
    return ban


def lift_ban(ban: Ban, moderator, reason: str, note: str = "") -> ModerationDecision:
    from .services import check_reason

    note = check_reason("lift_ban", reason, note)
    if ban.lifted_at is not None:
        raise ServiceError(_("This ban has been lifted already."))
    before = _ban_state(ban.user_id)
    ban.lifted_at = utcnow()
    db.session.flush()
    decision = ModerationDecision(
        moderator_id=getattr(moderator, "id", None), subject_user_id=ban.user_id,
        action="lift_ban", reason=reason, note=note, state_before=before,
        state_after=_ban_state(ban.user_id))
    db.session.add(decision)
    _resolve_ban_appeals(ban.user_id)
    db.session.flush()
    _notify(decision)
    return decision


def _resolve_ban_appeals(user_id: int) -> None:
    ban_decisions = sa.select(ModerationDecision.id).where(
        ModerationDecision.subject_user_id == user_id, ModerationDecision.action == "ban")
    db.session.execute(sa.update(Appeal).where(Appeal.decision_id.in_(ban_decisions),
                                               Appeal.resolved_at.is_(None))
                       .values(resolved_at=utcnow()))


def appeal(decision: ModerationDecision, user, text: str) -> Appeal:
    """The person answers a decision; it goes back to the moderation queue."""
    text = (text or "").strip()
    if decision.subject_user_id != user.id:
        raise ServiceError(_("Only the author can answer this decision."))
    if not text:
        raise ServiceError(_("Write your answer to the moderators."), "text")
    from .services import DETAILS_MAX

    if len(text) > DETAILS_MAX:
        raise ServiceError(_("Use at most %(max)d characters.", max=DETAILS_MAX), "text")
    pending = db.session.scalar(sa.select(Appeal).filter_by(decision_id=decision.id,
                                                            resolved_at=None))
    if pending is not None:
        raise ServiceError(_("You have already answered this decision. Moderators will "
                             "look at your answer."))
    reply = Appeal(decision_id=decision.id, user_id=user.id, text=text)
    db.session.add(reply)
    db.session.flush()
    return reply


def dismiss_appeal(reply: Appeal, moderator, reason: str, note: str = ""
                   ) -> ModerationDecision:
    """The answer was read and the decision stands; the person is told."""
    from .services import check_reason

    note = check_reason("dismiss_appeal", reason, note)
    if reply.resolved_at is not None:
        raise ServiceError(_("This answer has been dealt with already."))
    reply.resolved_at = utcnow()
    decision = reply.decision
    record = ModerationDecision(
        moderator_id=getattr(moderator, "id", None), content_type=decision.content_type,
        content_id=decision.content_id, subject_user_id=decision.subject_user_id,
        action="dismiss_appeal", reason=reason, note=note,
        state_before=decision.state_after, state_after=decision.state_after,
        content_created_at=decision.content_created_at)
    db.session.add(record)
    db.session.flush()
    _notify(record)
    return record
