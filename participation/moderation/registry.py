"""How a content type plugs into moderation: one ModeratedType per moderatable model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PUBLISHED, PENDING, HIDDEN = "published", "pending", "hidden"
STATES = (PUBLISHED, PENDING, HIDDEN)


@dataclass(frozen=True)
class ModeratedType:
    """What moderation needs to know about one kind of content.

    The model must have `id`, `created_at` and `moderation_state` (published/pending/hidden).
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
    # Called after moderation changed the state, e.g. to keep counters right.
    on_state_change: Callable[[object, str, str], None] = field(default=lambda obj, old, new: None)
    # Lock or unlock further comments, for content that has comments.
    lock_comments: Callable[[object, bool], None] | None = None
    comments_locked: Callable[[object], bool] | None = None


_types: dict[str, ModeratedType] = {}


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
