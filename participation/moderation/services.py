"""Moderation rules: flags and decisions on content. Services flush; views commit.

Bans and appeals are in sanctions.py, screening new content in screening.py; both are
re-exported here so callers use one module.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..core.exceptions import ServiceError
from ..core.types import utcnow
from ..extensions import db
from . import registry
from .models import Appeal, Flag, ModerationDecision
from .reasons import DECISION_REASONS, FLAG_REASONS, reason_fits
from .registry import HIDDEN, PENDING, PUBLISHED

DETAILS_MAX = 1000
NOTE_MAX = 2000
# Who may write while banned: leaving, and answering the moderators.
WRITES_ALLOWED_WHEN_BANNED = {"accounts.logout", "accounts.delete_account",
                              "accounts.change_password", "moderation.appeal",
                              "core.set_language"}
COMMENTS_OPEN, COMMENTS_LOCKED = "comments_open", "comments_locked"


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
        record(moderated, obj, None, "auto_hold", "flag_threshold", new_state=PENDING)


def _set_state(moderated, obj, new_state: str) -> None:
    old_state = obj.moderation_state
    if old_state != new_state:
        obj.moderation_state = new_state
        moderated.on_state_change(obj, old_state, new_state)


def record(moderated, obj, moderator, action: str, reason: str, *, note: str = "",
           new_state: str | None = None, original_text: str | None = None,
           original_title: str | None = None, states: tuple[str, str] | None = None
           ) -> ModerationDecision:
    """The audit record of a decision on content (changing its state first if asked)."""
    before = obj.moderation_state
    if new_state is not None:
        _set_state(moderated, obj, new_state)
    state_before, state_after = states or (before, obj.moderation_state)
    decision = ModerationDecision(
        moderator_id=getattr(moderator, "id", None), content_type=moderated.key,
        content_id=obj.id, subject_user_id=moderated.author_id(obj), action=action,
        reason=reason, note=note, state_before=state_before, state_after=state_after,
        original_text=original_text, original_title=original_title,
        content_created_at=obj.created_at,
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


def check_reason(action: str, reason: str, note: str) -> str:
    """The cleaned note; refuses a missing reason and a reason that does not fit the action."""
    if reason not in DECISION_REASONS:
        raise ServiceError(_("Choose a reason for the decision."), "reason")
    if not reason_fits(action, reason):
        raise ServiceError(_("This reason does not fit the decision. Choose another reason."),
                           "reason")
    note = (note or "").strip()
    if reason == "other" and not note:
        raise ServiceError(_("Explain the decision when the reason is 'other'."), "note")
    if len(note) > NOTE_MAX:
        raise ServiceError(_("Use at most %(max)d characters.", max=NOTE_MAX), "note")
    return note


def decide(obj, moderator, action: str, reason: str, note: str = "",
           new_text: str | None = None, new_title: str | None = None) -> ModerationDecision:
    """Approve, hide, restore, redact, or lock/unlock comments; always with a fitting reason."""
    moderated = _moderated(obj)
    if action not in ("approve", "hide", "restore", "redact", "lock_comments",
                      "unlock_comments"):
        raise ServiceError(_("Choose what to do."), "action")
    note = check_reason(action, reason, note)
    state = obj.moderation_state
    if action == "approve":
        if state == HIDDEN:
            raise ServiceError(_("This content is hidden. To show it again, choose "
                                 "'Restore'."), "action")
        decision = record(moderated, obj, moderator, action, reason, note=note,
                          new_state=PUBLISHED)
        _resolve_flags_and_appeals(moderated, obj)
    elif action == "hide":
        if state == HIDDEN:
            raise ServiceError(_("This content is hidden already."))
        decision = record(moderated, obj, moderator, action, reason, note=note,
                          new_state=HIDDEN)
        _resolve_flags_and_appeals(moderated, obj)
    elif action == "restore":
        if state != HIDDEN:
            raise ServiceError(_("Only hidden content can be restored."))
        decision = record(moderated, obj, moderator, action, reason, note=note,
                          new_state=PUBLISHED)
        _resolve_flags_and_appeals(moderated, obj)
    elif action == "redact":
        decision = _redact(moderated, obj, moderator, reason, note, new_text, new_title)
    else:
        decision = _lock(moderated, obj, moderator, action, reason, note)
    if action != "approve" and decision.subject_user_id not in (None, getattr(moderator, "id",
                                                                               None)):
        from .notify import notify_person_of_decision

        notify_person_of_decision(decision)
    return decision


def _lock(moderated, obj, moderator, action, reason, note) -> ModerationDecision:
    if moderated.lock_comments is None:
        raise ServiceError(_("This content has no comments to lock."), "action")
    locked = bool(moderated.comments_locked(obj)) if moderated.comments_locked else False
    lock = action == "lock_comments"
    if locked == lock:
        raise ServiceError(_("The comments are locked already.") if lock else
                           _("The comments are open already."), "action")
    moderated.lock_comments(obj, lock)
    states = (COMMENTS_LOCKED if locked else COMMENTS_OPEN,
              COMMENTS_LOCKED if lock else COMMENTS_OPEN)
    return record(moderated, obj, moderator, action, reason, note=note, states=states)


def _redact(moderated, obj, moderator, reason, note, new_text, new_title
            ) -> ModerationDecision:
    original = moderated.text(obj) or ""
    original_title = moderated.title(obj) or ""
    new_text = (new_text or "").strip()
    new_title = (new_title or "").strip()
    if new_title and moderated.redact_title is None:
        raise ServiceError(_("This content has no title."), "new_title")
    if not new_text and not new_title:
        raise ServiceError(_("Give the text with the personal data edited out."), "new_text")
    if len(new_text) > moderated.text_max:
        raise ServiceError(_("Use at most %(max)d characters.", max=moderated.text_max),
                           "new_text")
    if len(new_title) > moderated.title_max:
        raise ServiceError(_("Use at most %(max)d characters.", max=moderated.title_max),
                           "new_title")
    text_changed = bool(new_text) and new_text != original.strip()
    title_changed = bool(new_title) and new_title != original_title.strip()
    if not text_changed and not title_changed:
        raise ServiceError(_("The text was not changed."), "new_text")
    if text_changed:
        moderated.redact(obj, new_text)
    if title_changed:
        moderated.redact_title(obj, new_title)
    decision = record(moderated, obj, moderator, "redact", reason, note=note,
                      original_text=original if text_changed else None,
                      original_title=original_title if title_changed else None)
    _resolve_flags_and_appeals(moderated, obj)
    return decision


def comments_locked_by_moderator(content_type: str, content_id: int) -> bool:
    """Whether the last lock decision a moderator made about this content locked it."""
    last = db.session.scalar(
        sa.select(ModerationDecision.action)
        .where(ModerationDecision.content_type == content_type,
               ModerationDecision.content_id == content_id,
               ModerationDecision.action.in_(("lock_comments", "unlock_comments")))
        .order_by(ModerationDecision.created_at.desc(), ModerationDecision.id.desc()).limit(1))
    return last == "lock_comments"


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


from .sanctions import (  # noqa: E402  (re-exported: one module for callers)
    MAX_BAN_DAYS,
    active_ban,
    appeal,
    ban_user,
    dismiss_appeal,
    lift_ban,
)
from .screening import screen_new_content  # noqa: E402

__all__ = ["MAX_BAN_DAYS", "active_ban", "appeal", "ban_user", "dismiss_appeal", "lift_ban",
           "screen_new_content", "decide", "flag_content", "open_flags", "public_reason",
           "content_for", "comments_locked_by_moderator", "record", "check_reason"]
