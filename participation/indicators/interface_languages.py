"""Participants by the interface language they used (a staff table): how far each language of
the site reaches. Each person counts once in a period, under the first of their languages in
code order (so the rows add up to the participants); people who took part only on paper or
assisted count as "not through the site". Counts under MIN_CELL are hidden (core/disclosure).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..core.disclosure import suppress_counts
from ..extensions import db
from .models import ParticipationEvent as Event
from .periods import Period

OFFLINE = "offline"


@dataclass(frozen=True)
class LanguageRow:
    code: str  # an interface code, or OFFLINE
    count: int | None  # None: hidden (a group under MIN_CELL, or what would reveal one)


def interface_language_counts(period: Period) -> dict[str, int]:
    """Interface code (OFFLINE for none) -> people active in the period."""
    start, end = period.bounds()
    person = (
        sa.select(sa.func.min(Event.interface_language).label("language"))
        .where(Event.occurred_at >= start, Event.occurred_at < end)
        .group_by(Event.participant_key)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(person.c.language, sa.func.count()).group_by(person.c.language))
    return {language or OFFLINE: count for language, count in rows}


def interface_language_table(period: Period, languages) -> tuple[list[LanguageRow], int | None]:
    """A row per interface language of the site (zero where nobody used it) and the offline
    row, suppressed together with their total; the total None where it had to be hidden."""
    counts = interface_language_counts(period)
    codes = [language.interface for language in languages]
    codes += sorted(code for code in counts if code not in codes and code != OFFLINE)
    line = {code: counts.get(code, 0) for code in [*codes, OFFLINE]}
    suppressed = suppress_counts(line)
    return [LanguageRow(code, suppressed.value(code)) for code in line], suppressed.total
