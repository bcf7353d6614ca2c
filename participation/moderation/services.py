"""Moderation rules: flags, decisions, bans and appeals. Services flush; views commit."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..core.exceptions import ServiceError
from ..core.types import utcnow
from ..extensions import db
from . import registry
from .models import Appeal, Ban, Flag, ModerationDecision
from .reasons import DECISION_REASONS, FLAG_REASONS
from .registry import HIDDEN, PENDING, PUBLISHED

DETAILS_MAX = 1000
NOTE_MAX = 2000
MAX_BAN_DAYS = 3650
# Who may write while banned: leaving, and answering the moderators.
WRITES_ALLOWED_WHEN_BANNED = {"accounts.logout", "accounts.delete_account",
                              "accounts.change_password", "moderation.appeal",
                              "core.set_language"}


def _moderated(obj) -> registry.ModeratedType:
    return registry.get(registry.key_for(obj))


def open_flags(content_type: str, content_id: int) -> list[Flag]:
    return db.session.scalars(
        sa.select(Flag).filter_by(content_type=content_type, content_id=content_id,
                                  resolved_at=None).order_by(Flag.created_at)
    ).all()


def flag_content(obj, user, reason: str, details: str = "") -> Flag:
    """A resident reports content. Enough reports from different people hide it for review."""
    moderated = _moderated(obj)
    details = (details or "").strip()
    if reason not in FLAG_REASONS:
        raise ServiceError(_("Choose why you are reporting this."), "reason")
    if reason == "other" and not details:
        raise ServiceError(_("Tell us briefly what is wrong."), "details")
    if len(details) > DETAILS_MAX:
        raise ServiceError(_("Use at most %(max)d characters.", max=DETAILS_MAX), "details")
    if moderated.author_id(obj) == user.id:
        raise ServiceError(_("You cannot report your own text. You can edit or delete it."))
    existing = db.session.scalar(sa.select(Flag).filter_by(
        content_type=moderated.key, content_id=obj.id, user_id=user.id))
    if existing is not None:
        raise ServiceError(_("You have already reported this. Moderators will look at it."))
    flag = Flag(content_type=moderated.key, content_id=obj.id, user_id=user.id,
                reason=reason, details=details)
    db.session.add(flag)
    db.session.flush()
    from ..indicators.services import record_event

    record_event("flag_raised", user=user, area_id=moderated.area_id(obj))
    _hold_if_flagged_enough(moderated, obj)
    return flag


def _hold_if_flagged_enough(moderated, obj) -> None:
    threshold = current_app.config["MODERATION_FLAG_THRESHOLD"]
    flaggers = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Flag.user_id))).filter_by(
            content_type=moderated.key, content_id=obj.id, resolved_at=None)
    )
    if flaggers >= threshold and obj.moderation_state == PUBLISHED:
        _record(moderated, obj, None, "auto_hold", "flag_threshold", new_state=PENDING)


def _set_state(moderated, obj, new_state: str) -> None:
    old_state = obj.moderation_state
    if old_state != new_state:
        obj.moderation_state = new_state
        moderated.on_state_change(obj, old_state, new_state)


def _record(moderated, obj, moderator, action: str, reason: str, *, note: str = "",
            new_state: str | None = None, original_text: str | None = None
            ) -> ModerationDecision:
    before = obj.moderation_state
    if new_state is not None:
        _set_state(moderated, obj, new_state)
    decision = ModerationDecision(
        moderator_id=getattr(moderator, "id", None), content_type=moderated.key,
        content_id=obj.id, subject_user_id=moderated.author_id(obj), action=action,
        reason=reason, note=note, state_before=before, state_after=obj.moderation_state,
        original_text=original_text, content_created_at=obj.created_at,
    )
    db.session.add(decision)
    db.session.flush()
    return decision


def _resolve_flags_and_appeals(moderated, obj) -> None:
    now = utcnow()
    db.session.execute(
        sa.update(Flag).where(Flag.content_type == moderated.key, Flag.content_id == obj.id,
                              Flag.resolved_at.is_(None)).values(resolved_at=now)
    )
    decision_ids = sa.select(ModerationDecision.id).where(
        ModerationDecision.content_type == moderated.key,
        ModerationDecision.content_id == obj.id)
    db.session.execute(
        sa.update(Appeal).where(Appeal.decision_id.in_(decision_ids),
                                Appeal.resolved_at.is_(None)).values(resolved_at=now)
    )


def _check_reason(reason: str, note: str) -> str:
    if reason not in DECISION_REASONS:
        raise ServiceError(_("Choose a reason for the decision."), "reason")
    note = (note or "").strip()
    if reason == "other" and not note:
        raise ServiceError(_("Explain the decision when the reason is 'other'."), "note")
    if len(note) > NOTE_MAX:
        raise ServiceError(_("Use at most %(max)d characters.", max=NOTE_MAX), "note")
    return note


def decide(obj, moderator, action: str, reason: str, note: str = "",
           new_text: str | None = None) -> ModerationDecision:
    """Approve, hide, restore, redact, or lock/unlock comments; always with a reason."""
    moderated = _moderated(obj)
    note = _check_reason(reason, note)
    state = obj.moderation_state
    if action == "approve":
        decision = _record(moderated, obj, moderator, action, reason, note=note,
                           new_state=PUBLISHED)
        _resolve_flags_and_appeals(moderated, obj)
    elif action == "hide":
        if state == HIDDEN:
            raise ServiceError(_("This content is hidden already."))
        decision = _record(moderated, obj, moderator, action, reason, note=note,
                           new_state=HIDDEN)
        _resolve_flags_and_appeals(moderated, obj)
    elif action == "restore":
        if state != HIDDEN:
            raise ServiceError(_("Only hidden content can be restored."))
        decision = _record(moderated, obj, moderator, action, reason, note=note,
                           new_state=PUBLISHED)
        _resolve_flags_and_appeals(moderated, obj)
    elif action == "redact":
        decision = _redact(moderated, obj, moderator, reason, note, new_text)
    elif action in ("lock_comments", "unlock_comments"):
        if moderated.lock_comments is None:
            raise ServiceError(_("This content has no comments to lock."), "action")
        moderated.lock_comments(obj, action == "lock_comments")
        decision = _record(moderated, obj, moderator, action, reason, note=note)
    else:
        raise ServiceError(_("Choose what to do."), "action")
    if action != "approve" and decision.subject_user_id not in (None, getattr(moderator, "id",
                                                                               None)):
        from .notify import notify_author_of_decision

        notify_author_of_decision(decision)
    return decision


def _redact(moderated, obj, moderator, reason, note, new_text) -> ModerationDecision:
    original = moderated.text(obj)
    new_text = (new_text or "").strip()
    if not new_text:
        raise ServiceError(_("Give the text with the personal data edited out."), "new_text")
    if new_text == original.strip():
        raise ServiceError(_("The text was not changed."), "new_text")
    moderated.redact(obj, new_text)
    decision = _record(moderated, obj, moderator, "redact", reason, note=note,
                       original_text=original)
    _resolve_flags_and_appeals(moderated, obj)
    return decision


def active_ban(user_id: int | None) -> Ban | None:
    if user_id is None:
        return None
    return db.session.scalar(
        sa.select(Ban).where(Ban.user_id == user_id, Ban.lifted_at.is_(None),
                             Ban.ends_at > utcnow()).order_by(Ban.ends_at.desc()).limit(1)
    )


def ban_user(user, moderator, days: int, reason: str, note: str = "") -> Ban:
    note = _check_reason(reason, note)
    if not isinstance(days, int) or not 1 <= days <= MAX_BAN_DAYS:
        raise ServiceError(_("Give the length of the ban in days, from 1 to %(max)d.",
                             max=MAX_BAN_DAYS), "days")
    if user.id == getattr(moderator, "id", None):
        raise ServiceError(_("You cannot ban yourself."))
    if user.has_any_role("moderator", "admin"):
        raise ServiceError(_("Moderators and administrators cannot be banned here. Remove "
                             "their role first."))
    now = utcnow()
    ban = Ban(user_id=user.id, starts_at=now, ends_at=now + timedelta(days=days),
              reason=reason, note=note, created_by_id=getattr(moderator, "id", None))
    db.session.add(ban)
    decision = ModerationDecision(
        moderator_id=getattr(moderator, "id", None), subject_user_id=user.id, action="ban",
        reason=reason, note=f"{days} d. {note}".strip(),
    )
    db.session.add(decision)
    db.session.flush()
    from .notify import notify_author_of_decision

    notify_author_of_decision(decision)
    return ban


def lift_ban(ban: Ban, moderator, reason: str, note: str = "") -> None:
    note = _check_reason(reason, note)
    if ban.lifted_at is not None:
        raise ServiceError(_("This ban has been lifted already."))
    ban.lifted_at = utcnow()
    db.session.add(ModerationDecision(
        moderator_id=getattr(moderator, "id", None), subject_user_id=ban.user_id,
        action="lift_ban", reason=reason, note=note))
    db.session.flush()


def appeal(decision: ModerationDecision, user, text: str) -> Appeal:
    """The author answers a decision; the content goes back to the moderation queue."""
    text = (text or "").strip()
    if decision.subject_user_id != user.id:
        raise ServiceError(_("Only the author can answer this decision."))
    if not text:
        raise ServiceError(_("Write your answer to the moderators."), "text")
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


def dismiss_appeal(reply: Appeal, moderator, reason: str, note: str = "") -> None:
    note = _check_reason(reason, note)
    reply.resolved_at = utcnow()
    decision = reply.decision
    db.session.add(ModerationDecision(
        moderator_id=getattr(moderator, "id", None), content_type=decision.content_type,
        content_id=decision.content_id, subject_user_id=decision.subject_user_id,
        action="dismiss_appeal", reason=reason, note=note))
    db.session.flush()


def screen_new_content(obj, author) -> bool:
    """Send new content to the queue (not reject it) when the filters find something."""
    from .wordfilter import screen

    moderated = _moderated(obj)
    finding = screen(moderated.text(obj), moderated.language(obj), author)
    if finding is None or obj.moderation_state != PUBLISHED:
        return False
    _record(moderated, obj, None, "auto_hold", finding, new_state=PENDING)
    return True


def content_for(content_type: str, content_id: int):
    moderated = registry.get(content_type)
    if moderated is None:
        return None, None
    return moderated, db.session.get(moderated.model, content_id)


def public_reason(content_type: str, content_id: int):
    """The public sentence shown in place of hidden content, in the reader's language."""
    from .reasons import public_text

    reason = db.session.scalar(
        sa.select(ModerationDecision.reason)
        .where(ModerationDecision.content_type == content_type,
               ModerationDecision.content_id == content_id,
               ModerationDecision.action == "hide")
        .order_by(ModerationDecision.created_at.desc(), ModerationDecision.id.desc()).limit(1))
    return public_text(reason or "other")
