"""Links that leave the site come from BASE_URL, never from the Host or X-Forwarded-Host header
(a reset asked for with a forged Host must not mail the token to the forger's server)."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default as default_policy

from participation import create_app


def _links(outbox) -> list[str]:
    found = []
    for path in sorted(outbox.glob("*.eml")):
        body = message_from_bytes(path.read_bytes(), policy=default_policy).get_content()
        found += re.findall(r"https?://\S+", body)
    return found


def test_reset_link_ignores_a_forged_host(client, factory, outbox):
    person = factory.user()
    client.post("/password/forgot", buffered=True, data={"email": person.email},
                headers={"Host": "evil.example"})
    [link] = _links(outbox)
    assert link.startswith("http://127.0.0.1:5000/password/reset/")


def test_reset_link_ignores_forwarded_host_behind_a_proxy(app, factory, outbox, database_url):
    person = factory.user()
    proxied = create_app({**{k: app.config[k] for k in (
        "SECRET_KEY", "PSEUDONYM_KEY", "PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB",
        "OUTBOX_DIR")}, "TESTING": True, "INSTANCE_PATH": app.instance_path,
        "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
        "TRUST_PROXY": True, "BASE_URL": "https://osallistu.espoo.fi"})
    response = proxied.test_client().post(
        "/password/forgot", buffered=True, data={"email": person.email},
        headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"})
    assert response.status_code == 200
    [link] = _links(outbox)
    assert link.startswith("https://osallistu.espoo.fi/password/reset/")


def test_every_external_link_uses_the_base_url(app):
    from participation.core.links import external_url

    app.config["BASE_URL"] = "https://example.espoo.fi/osallistu/"
    try:
        with app.test_request_context("/", headers={"Host": "evil.example"}):
            assert external_url("ideas.detail", idea_id=5) \
                == "https://example.espoo.fi/osallistu/ideas/5"
        with app.app_context():  # outside a request too (command line, job queue)
            assert external_url("core.home") == "https://example.espoo.fi/osallistu/"
    finally:
        app.config["BASE_URL"] = "http://127.0.0.1:5000"


def test_api_links_ignore_the_host_header(client):
    body = client.get("/api/v1/", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "http://127.0.0.1:5000/api/v1/areas" in body and "evil.example" not in body


def test_language_links_carry_the_page_they_came_from(client):
    page = client.get("/ideas?q=puisto&sort=newest")
    assert "next=/ideas?q%3Dpuisto%26sort%3Dnewest" in page.get_data(as_text=True).replace(
        "&amp;", "&")


def test_a_huge_query_string_is_not_copied_into_every_link(client):
    """A 400 kB query once took seconds per page: each language link re-encoded it."""
    page = client.get("/ideas", query_string={"q": "x" * 5000, "sort": "y" * 400_000})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    menu = html.split('class="language-menu"', 1)[1].split("</nav>", 1)[0]
    assert "next=/ideas\"" in menu and "xxxxxxxxxx" not in menu
    assert len(html) < 100_000


def test_login_redirect_keeps_a_short_return_path_and_drops_a_huge_one(client):
    short = client.get("/profile?tab=1")
    assert short.status_code == 302 and "next=/profile?tab%3D1" in short.headers["Location"]
    huge = client.get("/profile", query_string={"x": "y" * 5000})
    assert huge.status_code == 302 and huge.headers["Location"].endswith("next=/profile")
