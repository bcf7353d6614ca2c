"""What moderation adds to a person's data export (flags, answers, bans) and does on deletion.

Decisions stay in the audit trail; deleting an account removes who the person was from them.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..core.formats import machine_datetime as _iso
from ..core.privacy import register_anonymiser, register_exporter
from ..extensions import db
from .models import Appeal, Ban, Flag, ModerationDecision


def export_moderation(user) -> dict:
    flags = db.session.scalars(sa.select(Flag).where(Flag.user_id == user.id)
                               .order_by(Flag.created_at)).all()
    appeals = db.session.scalars(sa.select(Appeal).where(Appeal.user_id == user.id)
                                 .order_by(Appeal.created_at)).all()
    bans = db.session.scalars(sa.select(Ban).where(Ban.user_id == user.id)
                              .order_by(Ban.starts_at)).all()
    decisions = db.session.scalars(
        sa.select(ModerationDecision).where(ModerationDecision.subject_user_id == user.id)
        .order_by(ModerationDecision.created_at)).all()
    return {
        "flags": [{"content_type": f.content_type, "content_id": f.content_id,
                   "reason": f.reason, "details": f.details, "created_at": _iso(f.created_at),
                   "resolved_at": _iso(f.resolved_at)} for f in flags],
        "appeals": [{"decision_id": a.decision_id, "text": a.text,
                     "created_at": _iso(a.created_at), "resolved_at": _iso(a.resolved_at)}
                    for a in appeals],
        "bans": [{"starts_at": _iso(b.starts_at), "ends_at": _iso(b.ends_at),
                  "reason": b.reason, "lifted_at": _iso(b.lifted_at)} for b in bans],
        "decisions_about_me": [{"id": d.id, "action": d.action, "reason": d.reason,
                                "content_type": d.content_type, "content_id": d.content_id,
                                "created_at": _iso(d.created_at)} for d in decisions],
    }


def anonymise_moderation(user) -> None:
    db.session.execute(sa.update(Flag).where(Flag.user_id == user.id).values(user_id=None))
    db.session.execute(sa.update(Appeal).where(Appeal.user_id == user.id)
                       .values(user_id=None, text=""))
    db.session.execute(sa.update(ModerationDecision)
                       .where(ModerationDecision.subject_user_id == user.id)
                       .values(subject_user_id=None))


register_exporter("moderation", export_moderation)
register_anonymiser("moderation", anonymise_moderation)
