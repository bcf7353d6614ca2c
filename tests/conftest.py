"""Fixtures: one migrated database per test run (SQLite or PostgreSQL), cleaned after each test.

PARTICIPATION_TEST_DB=sqlite (default) or postgresql; TEST_DATABASE_URL names the PostgreSQL
server, where each run creates and drops a database of its own so runs never see each other.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from participation import create_app
from participation.extensions import db, limiter
from participation.ideas import search
from tests.factories import Factory

DB_KIND = os.environ.get("PARTICIPATION_TEST_DB", "sqlite")
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
REFERENCE_TABLES = ("area", "district", "population_figure", "theme")
SHARED = Path(__file__).resolve().parents[2] / "shared"


def _postgres_database():
    import psycopg

    base_url = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG_URL)
    name = f"participation_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(base_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.exit(f"PostgreSQL is not reachable at {base_url}: {error}", returncode=3)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(base_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False), base_url, name


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if DB_KIND == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'participation.db'}"
        return
    if DB_KIND != "postgresql":
        pytest.exit(f"PARTICIPATION_TEST_DB must be sqlite or postgresql, not {DB_KIND!r}", 4)
    import psycopg

    url, base_url, name = _postgres_database()
    yield url
    with psycopg.connect(base_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app({
        "TESTING": True,
        "INSTANCE_PATH": instance,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "PSEUDONYM_KEY": "test-pseudonym-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        # Cheaper argon2id so the suite stays fast; production keeps the defaults.
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 1024,
        # Every account a test makes is new: the first-idea hold would hold every test's
        # idea. The tests of that rule turn it on (tests/ideas/test_first_idea_hold.py).
        "MODERATION_NEW_ACCOUNT_DAYS": 0,
        # Off: a test sees each page rendered (tests/core/test_page_cache.py turns it on).
        "PAGE_CACHE_SECONDS": 0,
    })
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(revision="heads")
        app.extensions["reference_rows"] = {
            name: [dict(row._mapping) for row in db.session.execute(
                sa.select(db.metadata.tables[name]))]
            for name in REFERENCE_TABLES
        }
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def reset_database(app) -> None:
    """Empty every table, then put the migrated reference data back."""
    # A thread the test left running (mail sent after a response, a live server's request)
    # may still hold a table that TRUNCATE wants: PostgreSQL then ends one side of the
    # deadlock, and if that is ours, the other side finishes and the retry goes through.
    for attempt in range(5):
        try:
            _empty_tables(app)
            return
        except sa.exc.DBAPIError as error:
            if attempt == 4 or type(error.orig).__name__ != "DeadlockDetected":
                raise
            time.sleep(0.2 * (attempt + 1))


def _empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as connection:
            _empty_filled_tables(connection, tables)
            for name in REFERENCE_TABLES:
                rows = app.extensions["reference_rows"][name]
                if rows:
                    connection.execute(db.metadata.tables[name].insert(), rows)


# Tables whose dead row versions a test inspects (the insider test reads every version in the
# file with pageinspect): these are truncated, which drops the old file; the rest are deleted
# from, which costs a fraction of a TRUNCATE of some seventy tables after every test.
TRUNCATED_TABLES = frozenset({"ballot", "ballot_choice", "ballot_envelope", "voter_roll_entry",
                              "participation_event", "audit_entry"})


def _empty_filled_tables(connection, tables) -> None:
    quote = connection.dialect.identifier_preparer.quote
    probe = " UNION ALL ".join(
        f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM {quote(table.name)})"
        for table in tables)
    filled = set(connection.execute(sa.text(probe)).scalars())
    truncated = filled & TRUNCATED_TABLES if connection.dialect.name == "postgresql" else set()
    if truncated:
        names = ", ".join(quote(name) for name in sorted(truncated))
        connection.execute(sa.text(f"TRUNCATE {names} CASCADE"))
    for table in tables:  # children before parents
        if table.name in filled - truncated:
            connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _clean_state(request):
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        reset_database(app)
        limiter.reset()
        search.forget_statistics()
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(app):
    return Factory(app)


@pytest.fixture
def csrf_enabled(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def outbox(app):
    """The email outbox folder, emptied before the test."""
    folder = Path(app.config["OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for message in folder.glob("*.eml"):
        message.unlink()
    return folder


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = "", follow_redirects: bool = False):
        from tests.factories import DEFAULT_PASSWORD

        return self.client.post(
            "/login",
            data={"email": email, "password": password or DEFAULT_PASSWORD},
            follow_redirects=follow_redirects,
        )

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


# The PostgreSQL pass runs what can behave differently on PostgreSQL: every test that opens
# the database. Tests that never do (tally rules, parsers, formats, catalogues) and the
# browser tests (which drive the same views through Chromium; the views themselves are
# tested on both databases) run once. Alone, the SQLite pass runs them all; when `make test`
# runs the two passes side by side (PARTICIPATION_TEST_SPLIT=1), the tests that never open a
# database move to the PostgreSQL pass, so that both passes end at about the same time.
# PARTICIPATION_TEST_ALL=1 runs everything on PostgreSQL too.
DATABASE_FIXTURES = frozenset({"app", "database_url"})


def test_kind(item) -> str:
    """"browser", "database" (opens one) or "plain" (never does)."""
    if item.get_closest_marker("browser") is not None or "/browser/" in f"/{item.nodeid}":
        return "browser"
    return "database" if DATABASE_FIXTURES & set(item.fixturenames) else "plain"


def runs_in_this_pass(item) -> bool:
    kind = test_kind(item)
    split = os.environ.get("PARTICIPATION_TEST_SPLIT") == "1"
    if DB_KIND == "postgresql":
        return os.environ.get("PARTICIPATION_TEST_ALL") == "1" or kind == "database" or (
            split and kind == "plain")
    return not (split and kind == "plain")


def pytest_collection_modifyitems(config, items):
    kept = [item for item in items if runs_in_this_pass(item)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if not runs_in_this_pass(i)])
        items[:] = kept
