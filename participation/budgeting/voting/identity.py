"""Keyed hashes standing for a person's identity (name and date of birth on a document).

`identity_key` is the same in every round: it is kept on a staff verification of an account.
`round_person_key` derives the voter-roll key of one round from it, so an in-person voter
without an account and an account verified with the same document meet on the same key.
Both use the identity key (kept outside the database), so the hashes cannot be reversed by
trying names against the database alone. It must outlive rounds, so it is never a ballot key:
ballots use per-round keys that are erased at closing (ballot_keys.py). For existing
installations it is still read from the old `BALLOT_KEY` setting or instance/ballot_key file.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from pathlib import Path

from flask import current_app

from ...config import instance_secret


def identity_secret() -> bytes:
    configured = current_app.config.get("IDENTITY_KEY") or current_app.config.get("BALLOT_KEY")
    if configured:
        return configured.encode() if isinstance(configured, str) else configured
    return instance_secret(Path(current_app.instance_path), "ballot_key").encode()


def _hmac(message: str) -> str:
    return hmac.new(identity_secret(), message.encode(), hashlib.sha256).hexdigest()


def identity_key(full_name: str, birth_date: date) -> str:
    name = " ".join((full_name or "").casefold().split())
    return _hmac(f"identity|{name}|{birth_date.isoformat()}")


def round_person_key(round_id: int, identity: str) -> str:
    return _hmac(f"person|{round_id}|{identity}")
