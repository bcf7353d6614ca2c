"""An author's history for moderators: how much they wrote, how often they were flagged, and
what moderators decided about them before. Counted with the registered author expressions."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..extensions import db
from . import registry
from .models import Flag, ModerationDecision


@dataclass
class AuthorHistory:
    decisions: dict = field(default_factory=dict)  # action -> count (moderators' decisions)
    flags_received: int = 0
    content: dict = field(default_factory=dict)  # content type key -> count
    earlier: list = field(default_factory=list)

    def content_labels(self) -> list[tuple[object, int]]:
        return [(registry.get(key).label, count) for key, count in self.content.items()
                if registry.get(key) is not None]


def author_histories(user_ids) -> dict[int, AuthorHistory]:
    """Histories of several people in a few grouped queries (a queue page at a time)."""
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if not ids:
        return {}
    histories = {user_id: AuthorHistory() for user_id in ids}
    for user_id, action, count in db.session.execute(
            sa.select(ModerationDecision.subject_user_id, ModerationDecision.action,
                      sa.func.count())
            .where(ModerationDecision.subject_user_id.in_(ids),
                   ModerationDecision.moderator_id.is_not(None))
            .group_by(ModerationDecision.subject_user_id, ModerationDecision.action)):
        histories[user_id].decisions[action] = count
    for moderated in registry.all_types():
        model, author = moderated.model, moderated.author_sql()
        for user_id, count in db.session.execute(
                sa.select(author, sa.func.count(model.id)).where(author.in_(ids))
                .group_by(author)):
            histories[user_id].content[moderated.key] = count
        for user_id, count in db.session.execute(
                sa.select(author, sa.func.count(Flag.id)).select_from(Flag)
                .join(model, sa.and_(Flag.content_type == moderated.key,
                                     Flag.content_id == model.id))
                .where(author.in_(ids)).group_by(author)):
            histories[user_id].flags_received += count
    return histories


def author_history(user_id: int | None) -> AuthorHistory | None:
    """One person's history, with their five latest decisions."""
    if user_id is None:
        return None
    history = author_histories([user_id])[user_id]
    history.earlier = list(db.session.scalars(
        sa.select(ModerationDecision).where(ModerationDecision.subject_user_id == user_id)
        .order_by(ModerationDecision.created_at.desc()).limit(5)))
    return history
