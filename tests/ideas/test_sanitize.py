"""Resident text: light formatting kept, script, javascript: links and on* attributes never."""

from __future__ import annotations

from html.parser import HTMLParser

from participation.core.sanitize import render_light_text, sanitize_html
from tests.ideas.builders import make_idea


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def assert_harmless(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag not in {"script", "img", "iframe", "style", "object"}, html
        assert not [name for name in attrs if name.startswith("on")], html
        assert not (attrs.get("href") or "").strip().lower().startswith("javascript:"), html


def test_paragraphs_lists_and_links():
    html = render_light_text(
        "First paragraph\nsame paragraph\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "See https://www.espoo.fi/fi?a=1&b=2."
    )
    assert html.startswith("<p>First paragraph<br>same paragraph</p>")
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert "<ol><li>first</li><li>second</li></ol>" in html
    assert '<a href="https://www.espoo.fi/fi?a=1&amp;b=2" rel="nofollow noopener noreferrer ugc">' \
        in html
    assert html.endswith("</a>.</p>")


def test_typed_html_is_shown_as_text_not_run():
    text = ('<script>alert(1)</script> <img src=x onerror="alert(2)"> '
            '<a href="javascript:alert(3)" onclick="x()">click</a> javascript:alert(4)')
    html = render_light_text(text)
    assert_harmless(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert [tag for tag, _attrs in elements(html)] == ["p"]


def test_sanitiser_removes_dangerous_markup():
    html = sanitize_html(
        '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a>'
        '<a href="https://example.org" onmouseover="x()">ok</a><img src=x onerror=alert(1)>'
        '<iframe src="https://evil.example"></iframe></p>'
    )
    assert_harmless(html)
    assert "alert(1)" not in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer ugc">ok</a>' in html


def test_only_http_addresses_become_links():
    html = render_light_text("javascript:alert(1) data:text/html,x ftp://x.org mailto:a@b.fi")
    assert "<a" not in html


def test_idea_page_shows_the_text_escaped(app, client, factory):
    author = factory.user()
    idea_id = make_idea(
        app, author.id, title='<script>alert("title")</script>',
        description='Look <img src=x onerror="alert(1)"> and <a href="javascript:alert(2)">this'
                    '</a>\n\n<script>alert("body")</script>',
    )
    response = client.get(f"/ideas/{idea_id}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<script>alert("title")</script>' not in body
    assert '<script>alert("body")</script>' not in body
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in body
    assert "&lt;script&gt;alert(\"body\")&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=" in body
    for tag, attrs in elements(body):
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript:"), (tag, attrs)
        if tag == "script":
            assert (attrs.get("src") or "").startswith("/static/js/"), attrs
