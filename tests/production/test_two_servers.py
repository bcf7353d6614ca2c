"""Two gunicorn app servers on one database and one Redis: a visitor signs in through one and
goes on through the other, and both count the same rate limits."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import DEFAULT_PASSWORD

from .servers import Browser, Server

REDIS = "redis://127.0.0.1:6379/0"


def _forget_limits(prefix: str) -> None:
    from redis import Redis

    connection = Redis.from_url(REDIS)
    keys = list(connection.scan_iter(f"*{prefix}*"))
    if keys:
        connection.delete(*keys)


@pytest.fixture(scope="module")
def two_servers(app, database_url, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("two-servers")
    prefix = f"participation-test-{uuid.uuid4().hex[:12]}"
    env = {
        "PARTICIPATION_RATELIMIT_STORAGE_URI": REDIS,
        "PARTICIPATION_RATELIMIT_KEY_PREFIX": prefix,
        "PARTICIPATION_SHARED_DIR": str(tmp_path / "shared"),
    }
    servers = [Server(database_url, tmp_path / name, env) for name in ("a", "b")]
    try:
        for server in servers:
            server.spawn()  # both start at once
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()
        _forget_limits(prefix)


@pytest.fixture
def fresh_limits(two_servers):
    _forget_limits(two_servers[0].env["PARTICIPATION_RATELIMIT_KEY_PREFIX"])


def test_sign_in_on_one_server_and_go_on_through_the_other(two_servers, factory):
    first, second = two_servers
    person = factory.user(display_name="Aino Kahden-Palvelimen")
    visitor = Browser()
    token = visitor.csrf(first.base + "/login")
    status, _page, url = visitor.request(
        first.base + "/login", {"csrf_token": token, "email": person.email,
                                "password": DEFAULT_PASSWORD})
    assert status == 200 and not url.endswith("/login"), "signing in through the first failed"
    status, page, url = visitor.request(second.base + "/profile")
    assert status == 200 and url.endswith("/profile")
    assert "Aino Kahden-Palvelimen" in page  # the second server knows who this is
    # A form from one server is accepted by the other (CSRF tokens are not per server).
    token = visitor.csrf(first.base + "/profile")
    status, _page, _url = visitor.request(second.base + "/logout", {"csrf_token": token})
    assert status == 200
    status, _page, url = visitor.request(first.base + "/profile")
    assert url.split("?")[0].endswith("/login")  # signed out everywhere


def test_rate_limits_are_shared_between_servers(two_servers, fresh_limits):
    first, second = two_servers
    visitor = Browser()
    statuses = []
    for attempt in range(12):  # /login allows 10 posts a minute per visitor
        server = (first, second)[attempt % 2]
        token = visitor.csrf(server.base + "/login")
        status, _page, _url = visitor.request(
            server.base + "/login", {"csrf_token": token, "email": "nobody@example.org",
                                     "password": "wrong password"})
        statuses.append(status)
    assert 429 not in statuses[:10]
    assert statuses[10:] == [429, 429], statuses
