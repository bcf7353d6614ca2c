"""Keyed hashes standing for a person's identity (name and date of birth on a document).

`identity_key` is the same in every round: it is kept on a staff verification of an account.
`round_person_key` derives the voter-roll key of one round from it, so an in-person voter
without an account and an account verified with the same document meet on the same key.
Both use the ballot key (kept outside the database), so the hashes cannot be reversed by
trying names against the database alone.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date


def _hmac(message: str) -> str:
    from .voting import ballot_key  # voting imports eligibility, which imports this module

    return hmac.new(ballot_key(), message.encode(), hashlib.sha256).hexdigest()


def identity_key(full_name: str, birth_date: date) -> str:
    name = " ".join((full_name or "").casefold().split())
    return _hmac(f"identity|{name}|{birth_date.isoformat()}")


def round_person_key(round_id: int, identity: str) -> str:
    return _hmac(f"person|{round_id}|{identity}")
