"""The ideas part of "download my data" and of account deletion (registered at import).

On deletion ideas and comments stay, with no author (author_id is set to NULL, so even the
deleted account's id no longer links them); supports, follows and notifications are deleted
and the support counts recomputed. Participation events were never linked to the person.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..core.formats import machine_datetime as _iso
from ..core.privacy import register_anonymiser, register_exporter
from ..extensions import db
from .models import (
    Idea,
    IdeaComment,
    IdeaFollow,
    IdeaRevision,
    IdeaStatusChange,
    IdeaSupport,
    Notification,
)
from .services import recount


def _ideas(user) -> list[dict]:
    ideas = list(db.session.scalars(
        sa.select(Idea).where(Idea.author_id == user.id).order_by(Idea.id)))
    versions = _earlier_versions([idea.id for idea in ideas])
    return [{
        "id": idea.id, "title": idea.title, "description": idea.description_text,
        "language": idea.language, "area_id": idea.area_id, "theme": idea.theme.slug,
        "district_id": idea.district_id, "status": idea.status,
        "moderation_state": idea.moderation_state, "image_description": idea.image_alt,
        "has_image": bool(idea.image_file), "created_at": _iso(idea.created_at),
        "place_address": idea.place_address, "place_lat": idea.place_lat,
        "place_lon": idea.place_lon, "edited_at": _iso(idea.edited_at),
        "withdrawn_at": _iso(idea.withdrawn_at), "withdrawal_reason": idea.withdrawal_reason,
        "earlier_versions": versions.get(idea.id, []),
    } for idea in ideas]


def _earlier_versions(idea_ids: list[int]) -> dict[int, list[dict]]:
    """What the author wrote before each edit (the history shown on the idea page), oldest
    first, in one query."""
    versions: dict[int, list[dict]] = {}
    if not idea_ids:
        return versions
    for revision in db.session.scalars(
            sa.select(IdeaRevision).where(IdeaRevision.idea_id.in_(idea_ids))
            .order_by(IdeaRevision.replaced_at, IdeaRevision.id)):
        versions.setdefault(revision.idea_id, []).append({
            "title": revision.title, "description": revision.description_text,
            "language": revision.language, "place_address": revision.place_address,
            "place_lat": revision.place_lat, "place_lon": revision.place_lon,
            "written_at": _iso(revision.written_at), "replaced_at": _iso(revision.replaced_at),
        })
    return versions


def _comments(user) -> list[dict]:
    comments = db.session.scalars(
        sa.select(IdeaComment).where(IdeaComment.author_id == user.id).order_by(IdeaComment.id))
    return [{
        "id": comment.id, "idea_id": comment.idea_id, "reply_to": comment.parent_id,
        "text": comment.body, "language": comment.language,
        "created_at": _iso(comment.created_at), "edited_at": _iso(comment.edited_at),
        "deleted_at": _iso(comment.deleted_at),
    } for comment in comments]


def _rows(model, user) -> list[dict]:
    rows = db.session.scalars(sa.select(model).where(model.user_id == user.id).order_by(model.id))
    return [{"idea_id": row.idea_id, "created_at": _iso(row.created_at)} for row in rows]


def _notifications(user) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    return [{"kind": row.kind, "idea_id": row.idea_id, "details": row.params,
             "created_at": _iso(row.created_at), "read_at": _iso(row.read_at)} for row in rows]


def export_ideas(user) -> dict:
    return {
        "ideas": _ideas(user),
        "comments": _comments(user),
        "supports": _rows(IdeaSupport, user),
        "follows": _rows(IdeaFollow, user),
        "notifications": _notifications(user),
    }


def anonymise_ideas(user) -> None:
    supported = list(db.session.scalars(
        sa.select(IdeaSupport.idea_id).where(IdeaSupport.user_id == user.id)))
    for model in (IdeaSupport, IdeaFollow, Notification):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    for model, column in ((Idea, Idea.author_id), (IdeaComment, IdeaComment.author_id),
                          (IdeaStatusChange, IdeaStatusChange.actor_id)):
        db.session.execute(sa.update(model).where(column == user.id).values({column: None})
                           .execution_options(synchronize_session="fetch"))
    recount(supported)
    db.session.flush()


register_exporter("ideas", export_ideas)
register_anonymiser("ideas", anonymise_ideas)
