"""The moderation queue: content awaiting a first look, flagged, held, or answered by its author.

Filtering, ordering, counting and paging happen in the database, over every registered type
at once (a UNION of one small SELECT per type), so no item is ever cut off by a limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..extensions import db
from . import registry
from .models import Appeal, Flag, ModerationDecision
from .registry import PENDING

# Held content first (pre-moderation, filters, flags), then flags, answers, then published
# content no moderator has looked at yet; oldest first within each.
KINDS = ("held", "flagged", "appeal", "new")
BAN_APPEAL = "ban_appeal"  # an answer to a ban: about a person, not content


@dataclass
class QueueEntry:
    moderated: registry.ModeratedType | None
    obj: object
    kind: str
    flags: list = field(default_factory=list)
    appeals: list = field(default_factory=list)
    hold_reason: str | None = None
    author_id: int | None = None
    history: AuthorHistory | None = None


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


def _type_select(moderated, filters: QueueFilters):
    model = moderated.model
    reviewed, flagged, appealed = _conditions(moderated)
    unreviewed = ~reviewed if moderated.needs_review_sql is None else sa.and_(
        ~reviewed, moderated.needs_review_sql())
    rank = sa.case((model.moderation_state == PENDING, 0), (flagged, 1), (appealed, 2),
                   else_=3)
    # The key is a registered constant, never user input.
    statement = sa.select(
        sa.literal_column(f"'{moderated.key}'", sa.String).label("content_type"),
        model.id.label("content_id"), model.created_at.label("created_at"),
        rank.label("rank"),
    ).where(sa.or_(model.moderation_state == PENDING, flagged, appealed, unreviewed))
    if hasattr(model, "deleted_at"):
        statement = statement.where(model.deleted_at.is_(None))
    if filters.state:
        statement = statement.where(model.moderation_state == filters.state)
    if filters.area_id:
        statement = statement.where(moderated.area_sql() == filters.area_id)
    if filters.language:
        statement = statement.where(moderated.language_sql() == filters.language)
    return statement


def _ban_appeal_select():
    return (sa.select(sa.literal_column(f"'{BAN_APPEAL}'", sa.String).label("content_type"),
                      Appeal.id.label("content_id"), Appeal.created_at.label("created_at"),
                      sa.literal_column("2", sa.Integer).label("rank"))
            .join(ModerationDecision, Appeal.decision_id == ModerationDecision.id)
            .where(ModerationDecision.content_type.is_(None), Appeal.resolved_at.is_(None)))


def _union(filters: QueueFilters):
    selects = [_type_select(moderated, filters) for moderated in registry.all_types()
               if not filters.content_type or moderated.key == filters.content_type]
    about_people = not (filters.area_id or filters.language or filters.state)
    if about_people and filters.content_type in ("", BAN_APPEAL):
        selects.append(_ban_appeal_select())
    if not selects:
        return None
    return sa.union_all(*selects).subquery("queue")


def queue_count(filters: QueueFilters) -> int:
    union = _union(filters)
    if union is None:
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(union)) or 0


def queue(filters: QueueFilters, offset: int = 0, limit: int | None = None
          ) -> list[QueueEntry]:
    """One page of the queue, in order, with flags, answers and author histories attached."""
    union = _union(filters)
    if union is None:
        return []
    statement = (sa.select(union.c.content_type, union.c.content_id, union.c.rank)
                 .order_by(union.c.rank, union.c.created_at, union.c.content_type,
                           union.c.content_id).offset(offset))
    if limit is not None:
        statement = statement.limit(limit)
    rows = db.session.execute(statement).all()
    entries = _load(rows)
    _attach_flags_and_appeals(entries)
    _attach_hold_reasons(entries)
    from .history import author_histories

    histories = author_histories({entry.author_id for entry in entries})
    for entry in entries:
        entry.history = histories.get(entry.author_id)
    return entries


def _load(rows) -> list[QueueEntry]:
    wanted: dict[str, list[int]] = {}
    for content_type, content_id, _rank in rows:
        wanted.setdefault(content_type, []).append(content_id)
    loaded: dict[tuple[str, int], object] = {}
    for content_type, ids in wanted.items():
        model = Appeal if content_type == BAN_APPEAL else registry.get(content_type).model
        for obj in db.session.scalars(sa.select(model).where(model.id.in_(ids))):
            loaded[(content_type, obj.id)] = obj
    entries = []
    for content_type, content_id, rank in rows:
        obj = loaded.get((content_type, content_id))
        if obj is None:
            continue
        if content_type == BAN_APPEAL:
            entries.append(QueueEntry(None, obj, BAN_APPEAL, appeals=[obj],
                                      author_id=obj.decision.subject_user_id))
        else:
            moderated = registry.get(content_type)
            entries.append(QueueEntry(moderated, obj, KINDS[rank],
                                      author_id=moderated.author_id(obj)))
    return entries


def _attach_flags_and_appeals(entries: list[QueueEntry]) -> None:
    """Flags and open answers for the entries on a page, in two queries."""
    keys = {(entry.moderated.key, entry.obj.id): entry for entry in entries
            if entry.moderated is not None}
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


def _attach_hold_reasons(entries: list[QueueEntry]) -> None:
    """Why held content is held: the last automatic hold, else pre-moderation."""
    held = {(entry.moderated.key, entry.obj.id): entry for entry in entries
            if entry.kind == "held"}
    if not held:
        return
    statement = (sa.select(ModerationDecision.content_type, ModerationDecision.content_id,
                           ModerationDecision.reason)
                 .where(sa.tuple_(ModerationDecision.content_type,
                                  ModerationDecision.content_id).in_(list(held)),
                        ModerationDecision.action == "auto_hold")
                 .order_by(ModerationDecision.created_at, ModerationDecision.id))
    for content_type, content_id, reason in db.session.execute(statement):
        held[(content_type, content_id)].hold_reason = reason
    for entry in held.values():
        entry.hold_reason = entry.hold_reason or "premoderation"


def queue_length() -> int:
    return queue_count(QueueFilters())


from .history import AuthorHistory, author_history  # noqa: E402,F401  (re-exported)
