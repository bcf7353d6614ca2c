"""Each round's ballot keys, kept outside the database and erased when its voting closes.

A round's key file holds a Curve25519 private key (envelopes are sealed to its public key with
PyNaCl's SealedBox) and a 32-byte secret for the keyed hash that finds a voter's envelope to
replace it. While voting is open, linking a ballot to a person needs the database *and* this
file; once the round closes the file is overwritten and removed, so no copy of the database,
old or new, can be opened any more. Identity hashes (identity.py) use a key of their own.

The folder is `BALLOT_KEY_DIR` (env PARTICIPATION_BALLOT_KEY_DIR, default
instance/ballot-keys/): created 0700, files 0600. Keep it out of database backups.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from nacl.public import PrivateKey, SealedBox

from .models import BallotEnvelope

KEY_BYTES = 32


@dataclass(frozen=True)
class RoundKeys:
    private: PrivateKey
    lookup_secret: bytes

    def seal(self, plaintext: bytes) -> bytes:
        return SealedBox(self.private.public_key).encrypt(plaintext)

    def open(self, sealed: bytes) -> bytes:
        return SealedBox(self.private).decrypt(bytes(sealed))

    def lookup(self, message: str) -> str:
        return hmac.new(self.lookup_secret, message.encode(), hashlib.sha256).hexdigest()


def key_dir() -> Path:
    folder = Path(current_app.config.get("BALLOT_KEY_DIR")
                  or Path(current_app.instance_path) / "ballot-keys")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def key_path(round_id: int) -> Path:
    return key_dir() / f"round-{int(round_id)}.key"


def _parse(raw: bytes) -> RoundKeys:
    if len(raw) != 2 * KEY_BYTES:
        raise RuntimeError("a ballot key file is damaged")
    return RoundKeys(PrivateKey(raw[:KEY_BYTES]), raw[KEY_BYTES:])


def load(round_id: int) -> RoundKeys | None:
    """The round's keys, or None once they are erased (or were never made)."""
    try:
        return _parse(key_path(round_id).read_bytes())
    except FileNotFoundError:
        return None


def load_or_create(round_id: int) -> RoundKeys:
    """The round's keys, made on the first cast. Written to a private temporary file and
    linked into place, so two workers casting the first ballot at once agree on one key."""
    keys = load(round_id)
    if keys is not None:
        return keys
    path = key_path(round_id)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(bytes(PrivateKey.generate()) + secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)
    except FileExistsError:
        _shred(temporary)  # another worker made it first: use theirs, destroy ours
    except BaseException:
        _shred(temporary)
        raise
    else:
        temporary.unlink()  # a second name of the same file: never shred it
    return _parse(path.read_bytes())


def _shred(path: Path) -> None:
    """Overwrite a key file with zeros, then remove it (a best effort on copy-on-write or
    journalling file systems: see docs/threat-model.md)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    except FileNotFoundError:
        pass


def erase(round_id: int) -> None:
    """Destroy the round's keys for good: its envelopes can never be opened again."""
    _shred(key_path(round_id))


def open_envelope(keys: RoundKeys, envelope: BallotEnvelope) -> dict:
    """{"choices": {proposal id: points}, "receipt": code} of a sealed envelope."""
    content = json.loads(keys.open(envelope.sealed))
    return {"choices": {int(pid): int(points) for pid, points in content["choices"].items()},
            "receipt": content["receipt"]}
