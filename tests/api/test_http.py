"""HTTP around the API: CORS on /api/ only, security and cache headers, JSON errors in the
request's language, the rate limit."""

from __future__ import annotations

import pytest

from participation.core.security import SECURITY_HEADERS
from tests.api.conftest import get_json
from tests.ideas.builders import make_idea

API_URLS = ("/api/v1/", "/api/v1/openapi.json", "/api/v1/areas", "/api/v1/ideas",
            "/api/v1/budgeting/rounds")


@pytest.fixture
def low_limit(app):
    usual = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = "3 per minute"
    yield
    app.config["API_RATE_LIMIT"] = usual


@pytest.mark.parametrize("url", API_URLS)
def test_cors_security_and_cache_headers(client, url):
    response = client.get(url, headers={"Origin": "https://data.example"})
    assert response.status_code == 200 and response.is_json
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=60"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_errors_carry_cors_and_are_not_cached(client):
    response = client.get("/api/v1/ideas/999999")
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_preflight_allows_get_from_any_origin(client):
    response = client.options("/api/v1/ideas", headers={
        "Origin": "https://data.example", "Access-Control-Request-Method": "GET"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "POST" not in response.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("url", ["/", "/ideas", "/no-such-page"])
def test_no_cors_outside_the_api(client, url):
    response = client.get(url, headers={"Origin": "https://data.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert not response.is_json


def test_site_404_page_is_still_html(client):
    response = client.get("/ideas/999999", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize("language, message", [
    ("en", "There is nothing at this address in the API."),
    ("fi", None), ("sv", None),
])
def test_json_errors_follow_the_request_language(client, language, message):
    body = get_json(client, "/api/v1/nothing", status=404,
                    headers={"Accept-Language": language})
    assert body["error"]["code"] == "not_found"
    if message:
        assert body["error"]["message"] == message
    assert body["error"]["message"]


def test_writes_are_refused_with_json(client):
    response = client.post("/api/v1/ideas", data={"title": "x"})
    assert response.status_code == 405 and response.is_json
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" not in response.headers.get("Allow", "")


def test_rate_limit_answers_429_json(client, low_limit):
    statuses = [client.get(url).status_code for url in API_URLS[:3]]
    assert statuses == [200, 200, 200]
    response = client.get("/api/v1/ideas", headers={"Accept-Language": "en"})
    assert response.status_code == 429 and response.is_json
    body = response.get_json()
    assert body["error"]["code"] == "rate_limited"
    assert body["error"]["message"] == ("You have made many requests in a short time. Wait a "
                                        "moment and try again.")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in response.headers
    assert client.get("/").status_code == 200  # the API's budget is its own


def test_signed_in_people_get_what_visitors_get(app, client, people, ideas, auth):
    """Why public caching is safe: nothing in an answer depends on who asks."""
    make_idea(app, people.author.id, title="Held idea", moderation_state="pending")
    urls = ("/api/v1/ideas", f"/api/v1/ideas/{ideas['benches']}", "/api/v1/areas")
    anonymous = [client.get(url).get_data() for url in urls]
    auth.login(people.moderator.email)
    response = client.get(urls[0])
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert [client.get(url).get_data() for url in urls] == anonymous
    assert b"Held idea" not in anonymous[0]
