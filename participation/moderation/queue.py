"""The moderation queue: content awaiting a first look, flagged, held, or answered by its author."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..extensions import db
from . import registry
from .models import Appeal, Flag, ModerationDecision
from .registry import PENDING

# Order of the queue: held content first (pre-moderation, filters, flags), then flags, answers,
# then published content no moderator has looked at yet; oldest first within each.
KIND_ORDER = {"held": 0, "flagged": 1, "appeal": 2, "new": 3}
PER_TYPE_LIMIT = 1000


@dataclass
class QueueEntry:
    moderated: registry.ModeratedType
    obj: object
    kind: str
    flags: list = field(default_factory=list)
    appeals: list = field(default_factory=list)

    @property
    def sort_key(self):
        return (KIND_ORDER[self.kind], self.obj.created_at)


@dataclass
class QueueFilters:
    content_type: str = ""
    area_id: int | None = None
    language: str = ""
    state: str = ""


def _conditions(moderated):
    model = moderated.model
    key = moderated.key
    reviewed = sa.exists().where(ModerationDecision.content_type == key,
                                 ModerationDecision.content_id == model.id,
                                 ModerationDecision.moderator_id.is_not(None))
    flagged = sa.exists().where(Flag.content_type == key, Flag.content_id == model.id,
                                Flag.resolved_at.is_(None))
    appealed = sa.exists().where(
        Appeal.resolved_at.is_(None), Appeal.decision_id == ModerationDecision.id,
        ModerationDecision.content_type == key, ModerationDecision.content_id == model.id)
    return reviewed, flagged, appealed


def _entries_for(moderated, filters: QueueFilters) -> list[QueueEntry]:
    model = moderated.model
    reviewed, flagged, appealed = _conditions(moderated)
    statement = (
        sa.select(model, flagged.label("flagged"), appealed.label("appealed"))
        .where(sa.or_(model.moderation_state == PENDING, flagged, appealed, ~reviewed))
        .order_by(model.created_at)
        .limit(PER_TYPE_LIMIT)
    )
    if hasattr(model, "deleted_at"):
        statement = statement.where(model.deleted_at.is_(None))
    if filters.state:
        statement = statement.where(model.moderation_state == filters.state)
    entries = []
    for obj, is_flagged, is_appealed in db.session.execute(statement):
        if filters.area_id and moderated.area_id(obj) != filters.area_id:
            continue
        if filters.language and moderated.language(obj) != filters.language:
            continue
        if obj.moderation_state == PENDING:
            kind = "held"
        elif is_flagged:
            kind = "flagged"
        elif is_appealed:
            kind = "appeal"
        else:
            kind = "new"
        entries.append(QueueEntry(moderated, obj, kind))
    return entries


def queue(filters: QueueFilters) -> list[QueueEntry]:
    types = [t for t in registry.all_types()
             if not filters.content_type or t.key == filters.content_type]
    entries = [entry for moderated in types for entry in _entries_for(moderated, filters)]
    entries.sort(key=lambda entry: entry.sort_key)
    _attach_flags_and_appeals(entries)
    return entries


def _attach_flags_and_appeals(entries: list[QueueEntry]) -> None:
    """Flags and open answers for the entries on a page, in two queries."""
    keys = {(entry.moderated.key, entry.obj.id): entry for entry in entries}
    if not keys:
        return
    pairs = sa.tuple_(Flag.content_type, Flag.content_id).in_(list(keys))
    for flag in db.session.scalars(sa.select(Flag).where(pairs, Flag.resolved_at.is_(None))
                                   .order_by(Flag.created_at)):
        keys[(flag.content_type, flag.content_id)].flags.append(flag)
    decision_pairs = sa.tuple_(ModerationDecision.content_type,
                               ModerationDecision.content_id).in_(list(keys))
    statement = (sa.select(Appeal, ModerationDecision)
                 .join(ModerationDecision, Appeal.decision_id == ModerationDecision.id)
                 .where(decision_pairs, Appeal.resolved_at.is_(None)))
    for reply, decision in db.session.execute(statement):
        keys[(decision.content_type, decision.content_id)].appeals.append(reply)


def queue_length() -> int:
    return len(queue(QueueFilters()))


@dataclass
class AuthorHistory:
    decisions: dict
    flags_received: int
    earlier: list


def author_history(user_id: int | None) -> AuthorHistory | None:
    """What moderators have decided about this person before, and how often they were flagged."""
    if user_id is None:
        return None
    counts = dict(db.session.execute(
        sa.select(ModerationDecision.action, sa.func.count())
        .where(ModerationDecision.subject_user_id == user_id,
               ModerationDecision.moderator_id.is_not(None))
        .group_by(ModerationDecision.action)).all())
    earlier = db.session.scalars(
        sa.select(ModerationDecision).where(ModerationDecision.subject_user_id == user_id)
        .order_by(ModerationDecision.created_at.desc()).limit(5)).all()
    flags = 0
    for moderated in registry.all_types():
        model = moderated.model
        author_column = getattr(model, "author_id", None)
        if author_column is None:
            continue
        flags += db.session.scalar(
            sa.select(sa.func.count(Flag.id)).join(model, sa.and_(
                Flag.content_type == moderated.key, Flag.content_id == model.id))
            .where(author_column == user_id)) or 0
    return AuthorHistory(decisions=counts, flags_received=flags, earlier=list(earlier))
