"""Screening new or edited content: the word filter, spam patterns and repeated text.

Content that needs a look is held for the queue (never rejected). Callers: the domains'
submit services, and re-screening after an edit. Signature: screen_new_content(obj, author).
"""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from ..core.types import utcnow
from ..extensions import db
from . import registry
from .registry import PENDING, PUBLISHED

REPEAT_WINDOW = timedelta(minutes=30)
REPEAT_COUNT = 3  # this many identical texts by one person in the window, this one included
SPACE = re.compile(r"\s+")


def _normalised(text: str) -> str:
    return SPACE.sub(" ", (text or "").strip().lower())


def _full_text(moderated, obj) -> str:
    return "\n".join(part for part in (moderated.title(obj), moderated.text(obj)) if part)


def repeated_text(moderated, obj, author_id: int | None) -> bool:
    """Whether this person posted the same title and text REPEAT_COUNT times in REPEAT_WINDOW
    (across items and content types)."""
    text = _normalised(_full_text(moderated, obj))
    if author_id is None or not text:
        return False
    since = utcnow() - REPEAT_WINDOW
    copies = 1
    for other_type in registry.all_types():
        model = other_type.model
        statement = sa.select(model).where(other_type.author_sql() == author_id,
                                           model.created_at >= since)
        if other_type.key == moderated.key:
            statement = statement.where(model.id != obj.id)
        for other in db.session.scalars(statement.limit(50)):
            if _normalised(_full_text(other_type, other)) == text:
                copies += 1
    return copies >= REPEAT_COUNT


def screen_new_content(obj, author) -> bool:
    """Send content to the queue (not reject it) when the filters find something."""
    from .services import record
    from .wordfilter import screen

    moderated = registry.get(registry.key_for(obj))
    if obj.moderation_state != PUBLISHED:
        return False
    finding = screen(_full_text(moderated, obj), moderated.language(obj), author)
    if finding is None and repeated_text(moderated, obj, getattr(author, "id", None)):
        finding = "repeated_text"
    if finding is None:
        return False
    record(moderated, obj, None, "auto_hold", finding, new_state=PENDING)
    return True
