"""Public pages and error pages, in every language."""

from __future__ import annotations

import pytest
from flask import abort

from participation import create_app
from tests.i18n_helpers import translated

LANGUAGES = ("fi", "sv", "en")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["/", "/accessibility", "/privacy", "/login", "/register",
                                  "/password/forgot"])
def test_public_pages_render(client, path, language):
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{language}" dir="ltr">' in html
    assert html.count("<h1") == 1
    assert 'href="#main"' in html and '<main id="main"' in html


def test_home_page_lists_the_seven_areas_in_the_readers_language(client):
    html = client.get("/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    for name in ("Stor-Alberga", "Stor-Hagalund", "Gamla Esbo", "Norra Esbo"):
        assert name in html


def test_accessibility_statement_has_feedback_link(app, client):
    html = client.get("/accessibility").get_data(as_text=True)
    assert f'href="mailto:{app.config["ACCESSIBILITY_FEEDBACK_EMAIL"]}"' in html
    assert "saavutettavuusvaatimukset.fi" in html


def test_health_check(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


@pytest.fixture(scope="module")
def failing_app(tmp_path_factory, database_url):
    """A separate app with routes that fail on purpose."""
    app = create_app({
        "TESTING": False, "INSTANCE_PATH": tmp_path_factory.mktemp("failing"),
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x",
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
    })
    from participation.core.permissions import public
    from participation.extensions import limiter

    @app.route("/boom")
    @public
    def boom():
        raise RuntimeError("on purpose")

    @app.route("/forbidden")
    @public
    def forbidden():
        abort(403)

    @app.route("/bad")
    @public
    def bad():
        abort(400)

    @app.route("/limited")
    @limiter.limit("1 per minute")
    @public
    def limited():
        return "ok"

    return app


@pytest.mark.parametrize("language", LANGUAGES)
def test_500_page_is_translated(failing_app, language):
    english = "Something went wrong on our side"
    title = translated(failing_app, english, language)
    assert (title == english) == (language == "en")
    response = failing_app.test_client().get("/boom", headers={"Accept-Language": language})
    assert response.status_code == 500
    assert title in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path, code, english", [
    ("/forbidden", 403, "You do not have access to this page"),
    ("/bad", 400, "The request could not be understood"),
    ("/nothing-here", 404, "Page not found"),
])
def test_error_pages(failing_app, path, code, english):
    client = failing_app.test_client()
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == code
    assert english in response.get_data(as_text=True)
    finnish = client.get(path, headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert english not in finnish


def test_429_page_when_rate_limited(failing_app):
    client = failing_app.test_client()
    assert client.get("/limited").status_code == 200
    response = client.get("/limited", headers={"Accept-Language": "en"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers
