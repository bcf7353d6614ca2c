"""Recording audited actions (role changes, imports, moderation decisions...)."""

from __future__ import annotations

from ..extensions import db
from .models import AuditEntry


def record(actor, action: str, target_type: str, target_id: int | None, *, reason: str = "",
           before: dict | None = None, after: dict | None = None) -> AuditEntry:
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        before=before,
        after=after,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
