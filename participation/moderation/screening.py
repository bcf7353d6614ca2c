"""Screening new or edited content: the word filter, spam patterns, repeated text, and the
first item of its kind from a new account.

Content that needs a look is held for the queue (never rejected). Callers: the domains'
submit services, and re-screening after an edit. Signature: screen_new_content(obj, author).
"""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

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


def is_new_account(author) -> bool:
    """A resident's account younger than MODERATION_NEW_ACCOUNT_DAYS (0: no account is new).
    Accounts the city gave a role (moderators, staff, youth workers, admins) never are."""
    days = int(current_app.config["MODERATION_NEW_ACCOUNT_DAYS"])
    created = getattr(author, "created_at", None)
    if days <= 0 or created is None or author.roles - {"resident"}:
        return False
    return utcnow() - created < timedelta(days=days)


def first_of_new_account(moderated, author, *, other_than: int | None = None) -> bool:
    """Whether `author` is a new account with nothing of this kind published (apart from
    the item `other_than`, the one being screened)."""
    if not is_new_account(author):
        return False
    model = moderated.model
    published = sa.select(model.id).where(moderated.author_sql() == author.id,
                                          model.moderation_state == PUBLISHED)
    if other_than is not None:
        published = published.where(model.id != other_than)
    return db.session.scalar(published.limit(1)) is None


def screen_new_content(obj, author, *, hold_first_as: str | None = None) -> bool:
    """Send content to the queue (not reject it) when the filters find something.

    `hold_first_as`: on submission (never on an edit), the reason to hold with when this is
    a new account's first item of its kind (ideas: "new_account_first_idea")."""
    from .services import record
    from .wordfilter import screen

    moderated = registry.get(registry.key_for(obj))
    if obj.moderation_state != PUBLISHED:
        return False
    finding = screen(_full_text(moderated, obj), moderated.language(obj), author)
    if finding is None and repeated_text(moderated, obj, getattr(author, "id", None)):
        finding = "repeated_text"
    if finding is None and hold_first_as and first_of_new_account(moderated, author,
                                                                   other_than=obj.id):
        finding = hold_first_as
    if finding is None:
        return False
    record(moderated, obj, None, "auto_hold", finding, new_state=PENDING)
    return True
