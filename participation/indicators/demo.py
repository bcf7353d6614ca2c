"""Demo participation: a year of events (and the year before, to compare with) spread over
areas, ages, languages and channels, so the dashboard has something to show. Also used by
bench/indicators.py to make a million events."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from ..core.models import Area, PopulationFigure
from ..core.types import utcnow
from ..extensions import db
from .models import ParticipationEvent
from .rollup import rebuild
from .services import INTERFACE_CHANNELS

AREA_WEIGHTS = {1: 26, 2: 18, 3: 16, 4: 20, 5: 2, 6: 14, 7: 4}
BAND_WEIGHTS = {"0-11": 2, "12-14": 8, "15-17": 9, "18-29": 12, "30-44": 25, "45-64": 28,
                "65-74": 11, "75+": 5}
LANGUAGE_WEIGHTS = {"fi": 82, "sv": 8, "other": 10}  # foreign-language speakers under-reached
# The interface language a person uses, by their language group: Finnish speakers mostly in
# Finnish (some in plain Finnish), foreign-language speakers spread over the site's languages.
INTERFACE_WEIGHTS = {
    "fi": {"fi": 92, "fi-x-selko": 4, "en": 2, "sv": 2},
    "sv": {"sv": 90, "fi": 6, "en": 4},
    "other": {"en": 24, "ru": 20, "fi": 14, "et": 12, "ar": 10, "fi-x-selko": 8, "so": 7,
              "sv": 5},
}
KIND_WEIGHTS = {"idea_submitted": 10, "idea_supported": 35, "comment_posted": 20,
                "flag_raised": 2, "proposal_submitted": 3, "ballot_cast": 20,
                "hearing_answered": 10}
# An approximate age structure, only to split the real 2016 area totals for the demo.
DEMO_AGE_SHARES = {"0-11": 15.0, "12-14": 4.0, "15-17": 3.7, "18-29": 15.0, "30-44": 22.0,
                   "45-64": 25.0, "65-74": 9.0, "75+": 6.3}
DEMO_SOURCE = "Demo: 2016 area totals split by an approximate age structure (not official)"


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _channel(rng: random.Random, band: str | None, kind: str) -> str:
    if kind == "hearing_answered" or (band in ("12-14", "15-17") and rng.random() < 0.45):
        return "school_code"
    if band in ("65-74", "75+") and rng.random() < 0.3:
        return rng.choice(("paper", "assisted"))
    return "paper" if kind == "ballot_cast" and rng.random() < 0.08 else "web"


def event_rows(rng: random.Random, people: int, start: datetime, end: datetime, *,
               area_ids: dict, prefix: str = "demo") -> Iterator[dict]:
    """Rows for ParticipationEvent: `people` pseudonymous people, 1-8 actions each."""
    span = (end - start).total_seconds()
    for person in range(people):
        key = hashlib.sha256(f"{prefix}-{person}".encode()).hexdigest()
        area = area_ids.get(_pick(rng, AREA_WEIGHTS)) if rng.random() > 0.04 else None
        band = _pick(rng, BAND_WEIGHTS) if rng.random() > 0.05 else None
        language = _pick(rng, LANGUAGE_WEIGHTS)
        interface = _pick(rng, INTERFACE_WEIGHTS[language])
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4, 8))):
            kind = _pick(rng, KIND_WEIGHTS)
            channel = _channel(rng, band, kind)
            yield {"participant_key": key, "kind": kind, "area_id": area, "age_band": band,
                   "language_group": language, "channel": channel,
                   "interface_language": interface if channel in INTERFACE_CHANNELS else None,
                   "occurred_at": start + timedelta(seconds=rng.random() * span),
                   "process_type": None, "process_id": None}


def insert_events(rows: Iterator[dict], batch: int = 20000) -> int:
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            db.session.execute(sa.insert(ParticipationEvent), chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        db.session.execute(sa.insert(ParticipationEvent), chunk)
        count += len(chunk)
    return count


def _demo_age_figures() -> int:
    """Split each area's 2016 total into age bands (marked as demo figures) if none exist."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(PopulationFigure)
                         .where(PopulationFigure.age_band != "total")):
        return 0
    added = 0
    for figure in db.session.scalars(sa.select(PopulationFigure).where(
            PopulationFigure.area_id.is_not(None), PopulationFigure.age_band == "total",
            PopulationFigure.language_group == "total")).all():
        bands = {band: int(figure.population * share / 100)
                 for band, share in DEMO_AGE_SHARES.items()}
        bands["30-44"] += figure.population - sum(bands.values())  # the rounding remainder
        for band, population in bands.items():
            db.session.add(PopulationFigure(area_id=figure.area_id, year=figure.year,
                                            age_band=band, population=population,
                                            source=DEMO_SOURCE))
            added += 1
    return added


def seed_demo_participation(progress: Callable[[str], None] = print, *,
                            people: int = 2500) -> int:
    """This year so far and all of last year; nothing if last year has events already (the
    spread ran before). The other demos' events of today do not count."""
    now = utcnow()
    this_year = datetime(now.year, 1, 1, tzinfo=UTC)
    last_year = datetime(now.year - 1, 1, 1, tzinfo=UTC)
    if db.session.scalar(sa.select(sa.func.count()).select_from(ParticipationEvent)
                         .where(ParticipationEvent.occurred_at < this_year)):
        return 0
    rng = random.Random(2026)
    area_ids = dict(db.session.execute(sa.select(Area.code, Area.id)).all())
    count = insert_events(event_rows(rng, people, this_year, now, area_ids=area_ids))
    # Last year: fewer people, partly the same ones (repeat participants).
    count += insert_events(event_rows(rng, people * 4 // 5, last_year, this_year,
                                      area_ids=area_ids))
    figures = _demo_age_figures()
    rebuild()  # the bulk insert went past the ORM, so the roll-up is refolded
    db.session.flush()
    progress(f"  {count} participation events, {figures} demo age-band population figures")
    return count
