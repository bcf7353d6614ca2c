"""Configuration: defaults here, overrides from environment variables prefixed PARTICIPATION_."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "PARTICIPATION_"
MB = 1024 * 1024


def default_config(instance_path: Path) -> dict:
    """Settings a fresh installation runs with; every key can be overridden from the environment."""
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_path / 'participation.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # A pooled connection idle this long is pinged before use (core/connections.py);
        # one used again sooner is not (no extra round trip per request).
        "DATABASE_PING_AFTER_IDLE_SECONDS": 10,
        "MAX_CONTENT_LENGTH": 16 * MB,  # above the 5 MB image limit: the form says "too large"
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_NAME": "osallistu_session",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 8,
        "WTF_CSRF_TIME_LIMIT": 60 * 60 * 8,
        "BABEL_DEFAULT_LOCALE": "fi",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Helsinki",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "TRUST_PROXY": False,
        "MAIL_SERVER": "",
        "MAIL_PORT": 587,
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "MAIL_USE_TLS": True,
        "MAIL_SENDER": "Osallistu Espoo <no-reply@osallistu.espoo.fi>",
        "OUTBOX_DIR": str(instance_path / "outbox"),
        # The site's public address: every link in mail, receipts and the API starts with it
        # (never the request's Host header). The default is where `make run` serves the site.
        "BASE_URL": "http://127.0.0.1:5000",
        "PASSWORD_RESET_MAX_AGE": 60 * 60,
        "ACCESSIBILITY_FEEDBACK_EMAIL": "saavutettavuus@osallistu.espoo.fi",
        "PRIVACY_CONTACT_EMAIL": "tietosuoja@osallistu.espoo.fi",
        "MINIMUM_REGISTRATION_AGE": 13,
        # True: new ideas wait for a moderator (pre-moderation); False: published at once.
        "IDEAS_PREMODERATION": False,
        # What a resident whose idea is held for moderation is told to expect: a decision
        # within this many working days (Monday to Friday).
        "MODERATION_DECISION_WORKING_DAYS": 2,
        # A resident's account younger than this many days has its first idea read by a
        # moderator before it is shown (until one of its ideas is published); 0: no such hold.
        "MODERATION_NEW_ACCOUNT_DAYS": 30,
        # The city's map service; {language} is fi, sv or en. Ideas' places link to it.
        "CITY_MAP_URL": "https://kartat.espoo.fi/IMS/{language}/Map",
        # The read-only API's budget per visitor, shared by all its endpoints.
        "API_RATE_LIMIT": "300 per minute",
        # Content flagged by this many different residents is hidden until reviewed.
        "MODERATION_FLAG_THRESHOLD": 3,
        # argon2id cost (RFC 9106 second recommended option: 3 passes, 64 MiB).
        "PASSWORD_HASH_TIME_COST": 3,
        "PASSWORD_HASH_MEMORY_KIB": 65536,
        # Each budgeting round's ballot keys (erased when its voting closes): keep this folder
        # out of database backups (docs/threat-model.md).
        "BALLOT_KEY_DIR": str(instance_path / "ballot-keys"),
        # A budget's individual ballots are published only from this many ballots up.
        "PB_PUBLISH_BALLOTS_MIN": 10,
        # The ballot and review pages are padded to a multiple of this many bytes, so their
        # size in an access log does not tell the choices.
        "PB_PAGE_SIZE_BUCKET": 64 * 1024,
        # Job queue: auto = RQ when JOBS_REDIS_URL is set, else a thread in each app process.
        "JOBS_BACKEND": "auto",
        "JOBS_REDIS_URL": "",
        "JOBS_QUEUE": "participation",
        "JOBS_RETRY_DELAYS": [10, 60, 300],  # seconds before the 2nd, 3rd and 4th attempt
        "MAIL_CLAIM_SECONDS": 300,  # a delivery not finished by then is tried again
        # Files every app server must see (uploads/, edited moderation word lists): a shared
        # mount when several app servers run; instance/ by default.
        "SHARED_DIR": str(instance_path),
        # Anonymous pages answered from each app process's memory for this many seconds (0:
        # off); participation/core/pagecache.py. A process's own writes renew it at once.
        "PAGE_CACHE_SECONDS": 10,
        "PAGE_CACHE_MAX_ENTRIES": 500,
        "PAGE_CACHE_MAX_BYTES": 16 * MB,
        # Markup that is the same for everyone (the page frame, a ballot's proposal cards),
        # rendered once per process and kept for its content: core/fragments.py (0: off).
        "FRAGMENT_CACHE_ENTRIES": 5000,
        # Rounds whose ballot-page data each process keeps while the database's version of
        # the round stays the same: budgeting/rounds/snapshots.py (0: off).
        "ROUND_SNAPSHOT_ENTRIES": 64,
        # Seconds a process may go without looking for ended votes when none ends sooner;
        # its own changes to phases make it look at once (budgeting/voting/end_watch.py).
        "VOTE_END_CHECK_SECONDS": 10,
    }


def _coerce(raw: str, current):
    """Read an environment value as the type of the default it replaces."""
    if isinstance(current, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, dict | list):
        return json.loads(raw)
    return raw


def from_environment(config: dict, environ: dict | None = None) -> dict:
    """Apply PARTICIPATION_* variables over `config` (PARTICIPATION_DATABASE_URL names the DB)."""
    environ = os.environ if environ is None else environ
    result = dict(config)
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        key = name[len(ENV_PREFIX):]
        if key == "DATABASE_URL":
            key = "SQLALCHEMY_DATABASE_URI"
        result[key] = _coerce(raw, result.get(key, ""))
    return result


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def private_folder(path: Path) -> Path:
    """A folder only the service's own user can enter (instance/, the outbox): 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)  # an installation from before this rule
    return path


def private_file(path: Path) -> Path:
    """A file only the service's own user can read (the SQLite database): created 0600."""
    private_folder(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path


def instance_secret(instance_path: Path, name: str, nbytes: int = 32) -> str:
    """A secret generated once and kept in instance/ (never in the repository)."""
    path = instance_path / name
    if path.exists():
        return path.read_text().strip()
    private_folder(instance_path)
    value = secrets.token_hex(nbytes)
    # O_EXCL: two workers starting at once must not write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value
