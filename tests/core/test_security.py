"""Security defaults: headers, cookies, CSRF on every form, request size, redirects."""

from __future__ import annotations

import pytest
from flask import Response

from participation.core.security import SECURITY_HEADERS, add_security_headers, safe_next
from tests.routes import placeholder_url


def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_each_security_header_is_sent_once_and_a_view_keeps_its_own(app, client):
    page = client.get("/")
    for name, value in SECURITY_HEADERS.items():
        assert page.headers.getlist(name) == [value], name
    assert page.headers.getlist("Cache-Control") == ["no-store"]
    with app.test_request_context("/", base_url="https://localhost"):
        response = Response("x", headers={"Cache-Control": "public, max-age=60",
                                          "X-Frame-Options": "SAMEORIGIN"})
        add_security_headers(response)
    assert response.headers.getlist("Cache-Control") == ["public, max-age=60"]
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("Strict-Transport-Security") == ["max-age=31536000"]
    assert response.headers.getlist("X-Content-Type-Options") == ["nosniff"]


def test_security_headers_on_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_hsts_and_secure_cookie_over_https(client, factory):
    person = factory.user()
    response = client.post(
        "/login", data={"email": person.email, "password": person.password},
        base_url="https://localhost",
    )
    assert response.status_code == 302
    assert "Strict-Transport-Security" in response.headers
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_over_http_is_httponly_samesite(client, factory):
    person = factory.user()
    response = client.post("/login", data={"email": person.email, "password": person.password})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_no_inline_scripts_or_styles_in_pages(client):
    for path in ("/", "/register", "/login", "/accessibility", "/privacy"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "<script type" not in html
        assert " style=" not in html and "<style" not in html


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            yield rule


def test_every_form_post_needs_a_csrf_token(app, client, csrf_enabled):
    rules = list(_post_rules(app))
    assert len(rules) >= 8
    problems = []
    for rule in rules:
        url = placeholder_url(app, rule)
        response = client.post(url, data={"anything": "1"})
        if response.status_code != 400:
            problems.append((url, response.status_code))
    assert problems == []


def test_missing_csrf_token_shows_translated_explanation(client, csrf_enabled):
    response = client.post("/login", data={"email": "a@example.org", "password": "x"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)


def test_valid_csrf_token_is_accepted(client, factory, csrf_enabled):
    person = factory.user()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={
        "email": person.email, "password": person.password, "csrf_token": token})
    assert response.status_code == 302


def test_oversize_request_body_is_refused_politely(app, client):
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/register", data={"display_name": too_big},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 413
    assert "The upload is too large" in response.get_data(as_text=True)


@pytest.mark.parametrize("target, expected", [
    ("/profile", "/profile"),
    ("/ideas?area=1", "/ideas?area=1"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("", "/"),
    (None, "/"),
])
def test_safe_next_only_allows_local_paths(target, expected):
    assert safe_next(target, "/") == expected


def test_login_redirect_ignores_external_next(client, factory):
    person = factory.user()
    response = client.post("/login?next=https://evil.example/",
                           data={"email": person.email, "password": person.password})
    assert response.headers["Location"] == "/"
