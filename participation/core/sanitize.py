"""Sanitising resident text: light formatting kept, everything dangerous removed (nh3)."""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "em", "b", "i", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(text: str) -> str:
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )


def plain_text_to_html(text: str) -> str:
    """Paragraphs from blank lines, line breaks kept; the text itself is escaped first."""
    from markupsafe import escape

    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + str(escape(p)).replace("\n", "<br>") + "</p>" for p in paragraphs if p
    )


_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")


def _linkify(escaped: str) -> str:
    """Turn bare http(s) addresses in already escaped text into links."""

    def link(match: re.Match) -> str:
        url = match.group(0)
        tail = ""
        while url and url[-1] in _TRAILING:
            tail = url[-1] + tail
            url = url[:-1]
        # Escaped text ends an address at an entity such as &lt; or &quot;.
        for entity in ("&lt;", "&gt;", "&quot;", "&#39;", "&#34;"):
            if entity in url:
                url, rest = url.split(entity, 1)
                tail = entity + rest + tail
        return f'<a href="{url}">{url}</a>{tail}' if url else tail

    return _URL.sub(link, escaped)


def _inline(line: str) -> str:
    from markupsafe import escape

    return _linkify(str(escape(line.strip())))


def _render_block(lines: list[str]) -> str:
    """One blank-line separated block: a bulleted list, a numbered list or a paragraph."""
    html, run, run_tag = [], [], None

    def close_run():
        nonlocal run, run_tag
        if run:
            items = "".join(f"<li>{item}</li>" for item in run)
            html.append(f"<{run_tag}>{items}</{run_tag}>")
        run, run_tag = [], None

    paragraph: list[str] = []

    def close_paragraph():
        if paragraph:
            html.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    for line in lines:
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if bullet or numbered:
            close_paragraph()
            tag = "ul" if bullet else "ol"
            if run_tag not in (None, tag):
                close_run()
            run_tag = tag
            run.append(_inline((bullet or numbered).group(1)))
        else:
            close_run()
            paragraph.append(_inline(line))
    close_run()
    close_paragraph()
    return "".join(html)


def render_light_text(text: str) -> str:
    """Resident plain text to safe HTML: blank lines make paragraphs, `- item` or `1. item`
    lines make lists, http(s) addresses become links. The text is escaped first (so typed
    HTML shows as text) and the result still goes through nh3."""
    blocks, current = [], []
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return sanitize_html("".join(_render_block(block) for block in blocks))
