"""Recording participation events. Every resident action calls record_event() once."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

from ..core.models import age_band_for
from ..core.types import utcnow
from ..extensions import db
from ..i18n import current_interface
from .models import CHANNELS, EVENT_KINDS, LANGUAGE_GROUPS, ParticipationEvent

INTERFACE_CHANNELS = ("web", "school_code")


def participant_key(seed: str) -> str:
    """A keyed hash: the same person gives the same key, but the key never leads back to them."""
    key = current_app.config["PSEUDONYM_KEY"].encode()
    return hmac.new(key, seed.encode(), hashlib.sha256).hexdigest()


def user_participant_key(user) -> str:
    # A deleted account has no seed: its (rare) late events count as a fresh anonymous person.
    return participant_key(user.pseudonym_seed or secrets.token_hex(16))


def language_group(code: str | None) -> str:
    code = (code or "").split("_", 1)[0].lower()
    return code if code in LANGUAGE_GROUPS else "other"


def record_event(kind: str, *, user=None, key: str | None = None, area_id: int | None = None,
                 process=None, channel: str = "web", language: str | None = None,
                 age_band: str | None = None, occurred_at=None,
                 interface_language: str | None = None) -> ParticipationEvent:
    """Write one event. Give `user` (an account) or `key` (e.g. an anonymous school-code answer).

    Area, age band and language default to the user's home area, age this year and language.
    `interface_language` defaults to the language of the page in use (the request's), for the
    channels residents use the site through (web, school code); paper and assisted: none.
    `process` is any object with an id whose class names the process type (Idea, BudgetRound...).
    """
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown participation event kind {kind!r}")
    if channel not in CHANNELS:
        raise ValueError(f"unknown participation channel {channel!r}")
    if user is None and key is None:
        raise ValueError("record_event needs a user or a participant key")
    when = occurred_at or utcnow()
    if interface_language is None and channel in INTERFACE_CHANNELS:
        interface_language = current_interface()
    if user is not None:
        key = user_participant_key(user)
        area_id = area_id if area_id is not None else user.home_area_id
        language = language or user.preferred_language
        if age_band is None and user.birth_year:
            age_band = age_band_for(when.year - user.birth_year)
    event = ParticipationEvent(
        occurred_at=when,
        participant_key=key,
        kind=kind,
        process_type=type(process).__name__ if process is not None else None,
        process_id=getattr(process, "id", None),
        area_id=area_id,
        age_band=age_band,
        language_group=language_group(language),
        channel=channel,
        interface_language=interface_language,
    )
    db.session.add(event)
    db.session.flush()
    return event
