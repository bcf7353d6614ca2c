"""Many queue items, one decision: approve or hide them with one reason, audited per item.

Each item gets its own decision (its own audit row, notification and resolved flags), in its
own savepoint, so an item that cannot take the decision (already hidden, removed meanwhile)
is reported and the others still go through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..core.exceptions import ServiceError
from ..extensions import db
from .services import check_reason, content_for, decide

BULK_ACTIONS = ("approve", "hide")
MAX_ITEMS = 100
ITEM = re.compile(r"([a-z_]{1,40}):(\d{1,12})")


@dataclass
class BulkOutcome:
    done: list[tuple[str, int]] = field(default_factory=list)
    refused: list[tuple[str, int, str]] = field(default_factory=list)


def parse_items(values) -> list[tuple[str, int]]:
    """'idea:12' strings from the form as (content type, id), unknown shapes dropped, once."""
    items = []
    for value in values:
        match = ITEM.fullmatch(value or "")
        if match and (match[1], int(match[2])) not in items:
            items.append((match[1], int(match[2])))
    return items


def decide_many(items, moderator, action: str, reason: str, note: str = "") -> BulkOutcome:
    """The same decision on every item; refuses the whole request only for a bad action,
    reason or selection (nothing changes then)."""
    if action not in BULK_ACTIONS:
        raise ServiceError(_("Choose what to do."), "action")
    check_reason(action, reason, note)
    if not items:
        raise ServiceError(_("Select at least one item."), "items")
    if len(items) > MAX_ITEMS:
        raise ServiceError(_("Select at most %(max)d items at a time.", max=MAX_ITEMS), "items")
    outcome = BulkOutcome()
    for content_type, content_id in items:
        _moderated, obj = content_for(content_type, content_id)
        if obj is None:
            outcome.refused.append((content_type, content_id, _("This content no longer "
                                                                "exists.")))
            continue
        try:
            with db.session.begin_nested():
                decide(obj, moderator, action, reason, note)
        except ServiceError as error:
            outcome.refused.append((content_type, content_id, error.message))
        else:
            outcome.done.append((content_type, content_id))
    return outcome
