"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 256
EXTENSION_KEY = "password_hasher"


def init_password_hashing(app) -> None:
    """argon2id with the app's cost settings (tests use cheaper ones to stay fast)."""
    hasher = PasswordHasher(
        time_cost=app.config["PASSWORD_HASH_TIME_COST"],
        memory_cost=app.config["PASSWORD_HASH_MEMORY_KIB"],
    )
    # Verifying against a dummy keeps a failed login as slow whether or not the email exists.
    app.extensions[EXTENSION_KEY] = (hasher, hasher.hash("not-a-real-password-only-for-timing"))


def _hasher() -> tuple[PasswordHasher, str]:
    return current_app.extensions[EXTENSION_KEY]


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def burn_verification_time(password: str) -> None:
    verify_password("", password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher()[0].check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    text = files("participation.data").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, *, email: str = "", display_name: str = "") -> str | None:
    """Why `password` is too weak, as a translated sentence, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(count)d characters in your password.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(count)d characters in your password.", count=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        return _("This password is too easy to guess. Try a few unrelated words together.")
    local_part = email.split("@", 1)[0].lower()
    for personal in (local_part, display_name.lower()):
        if len(personal) >= 4 and personal in lowered:
            return _("Do not use your name or email address in your password.")
    return None
