"""What the author of held content is told: why it waits for a moderator, and by when a
decision can be expected (MODERATION_DECISION_WORKING_DAYS working days, Monday to Friday,
counted from when it was held, in Espoo time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.formats import in_espoo_time
from ..extensions import db
from .models import ModerationDecision
from .registry import PENDING

# The author's view of each reason the hold rules record (reasons.AUTOMATIC_REASONS).
AUTHOR_REASONS = {
    "premoderation": _l("Every new idea is read by a moderator before it is shown to others."),
    "new_account_link": _l("It contains a link, and your account is new: links from new "
                           "accounts are checked by a moderator first."),
    "new_account_first_idea": _l("It is the first idea of a new account: a moderator reads "
                                 "the first idea of every new account before it is shown "
                                 "to others."),
    "word_filter": _l("It contains words that our filter asks a moderator to read first."),
    "spam_pattern": _l("It looks like text that spam often has, for example a word or a "
                       "character repeated many times."),
    "repeated_text": _l("The same text was sent several times in a short while."),
    "flag_threshold": _l("Several residents reported it to the moderators."),
}


@dataclass(frozen=True)
class HoldNotice:
    reason: str
    held_at: datetime
    expected_by: date
    working_days: int

    @property
    def explanation(self):
        return AUTHOR_REASONS.get(self.reason, AUTHOR_REASONS["premoderation"])


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _notice(reason: str, held_at: datetime) -> HoldNotice:
    days = int(current_app.config["MODERATION_DECISION_WORKING_DAYS"])
    return HoldNotice(reason, held_at, add_working_days(in_espoo_time(held_at).date(), days),
                      days)


def hold_notices(content_type: str, items) -> dict[int, HoldNotice]:
    """For each of `items` waiting for a moderator: why (the last automatic hold, else
    pre-moderation) and when to expect a decision. One query for all of them."""
    waiting = {item.id: item for item in items if item.moderation_state == PENDING}
    if not waiting:
        return {}
    held = {}
    statement = (sa.select(ModerationDecision.content_id, ModerationDecision.reason,
                           ModerationDecision.created_at)
                 .where(ModerationDecision.content_type == content_type,
                        ModerationDecision.content_id.in_(list(waiting)),
                        ModerationDecision.action == "auto_hold")
                 .order_by(ModerationDecision.created_at, ModerationDecision.id))
    for content_id, reason, created_at in db.session.execute(statement):
        held[content_id] = _notice(reason, created_at)
    return {item_id: held.get(item_id) or _notice("premoderation", item.created_at)
            for item_id, item in waiting.items()}


def hold_notice(content_type: str, item) -> HoldNotice | None:
    return hold_notices(content_type, [item]).get(item.id)
