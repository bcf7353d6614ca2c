"""How a content type plugs into moderation: one ModeratedType per moderatable model.

Domains also give moderation its ways out: a notifier (how a person is told in-app). Moderation
itself imports no domain, so a new content type (e.g. youth-hearing answers) only registers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PUBLISHED, PENDING, HIDDEN = "published", "pending", "hidden"
STATES = (PUBLISHED, PENDING, HIDDEN)


def _no_change(obj, old, new) -> None:
    return None


@dataclass(frozen=True)
class ModeratedType:
    """What moderation needs to know about one kind of content.

    The model must have `id`, `created_at` and `moderation_state` (published/pending/hidden).
    The `*_sql` callables return SQL expressions over the model (correlated subqueries where
    the value lives elsewhere), so the queue filters, sorts and counts in the database.
    """

    key: str
    model: type
    label: object
    title: Callable[[object], str]
    text: Callable[[object], str]
    author_id: Callable[[object], int | None]
    area_id: Callable[[object], int | None]
    language: Callable[[object], str]
    url: Callable[[object], str]
    # Replace the text (personal data edited out); returns nothing.
    redact: Callable[[object, str], None]
    author_sql: Callable[[], object]
    area_sql: Callable[[], object]
    language_sql: Callable[[], object]
    # Replace the title, for content that has one.
    redact_title: Callable[[object, str], None] | None = None
    title_max: int = 200
    text_max: int = 5000
    # Called after moderation changed the state, e.g. to keep counters right.
    on_state_change: Callable[[object, str, str], None] = field(default=_no_change)
    # SQL condition for content that enters the queue as "new" until a moderator has looked
    # at it; None means all of it. Official content (e.g. staff-made proposals) stays out.
    needs_review_sql: Callable[[], object] | None = None
    # Lock or unlock further comments, for content that has comments.
    lock_comments: Callable[[object, bool], None] | None = None
    comments_locked: Callable[[object], bool] | None = None


@dataclass(frozen=True)
class Notifier:
    """The site's in-app notifications, given to moderation by the domain that stores them."""

    # add(user_id, kind, params): one unread notification (flushed by the caller's session).
    add: Callable[[int, str, dict], None]
    # register_kind(kind, text(notification), link(notification)): how the kind is shown.
    register_kind: Callable[[str, Callable, Callable], None]


_types: dict[str, ModeratedType] = {}
_notifier: list[Notifier] = []


def register(moderated: ModeratedType) -> None:
    _types[moderated.key] = moderated


def get(key: str) -> ModeratedType | None:
    return _types.get(key)


def all_types() -> list[ModeratedType]:
    return list(_types.values())


def key_for(obj) -> str:
    for moderated in _types.values():
        if isinstance(obj, moderated.model):
            return moderated.key
    raise LookupError(f"{type(obj).__name__} is not a moderated content type")


def register_notifier(notifier: Notifier) -> None:
    _notifier[:] = [notifier]


def notifier() -> Notifier | None:
    return _notifier[0] if _notifier else None
