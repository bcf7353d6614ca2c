"""Find every form the site shows, per role, by walking the URL map over the demo data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from tests.core.test_robustness import _urls
from tests.routes import routes

TEXT_TYPES = {"text", "email", "search", "url", "tel", "number", "date", "datetime-local",
              "month", "time", ""}


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, password, hidden, checkbox, radio, select, file, submit
    values: list[str] = field(default_factory=list)  # options / the checkbox or button value


@dataclass
class Form:
    action: str
    page: str
    fields: dict[str, Field] = field(default_factory=dict)
    enctype: str = ""

    @property
    def key(self) -> tuple:
        """The same form for another object (theme 2 after theme 1) is the same form."""
        return re.sub(r"/\d+", "/N", urlsplit(self.action).path), tuple(sorted(self.fields))

    def text_fields(self) -> list[str]:
        return [name for name, f in self.fields.items() if f.kind in ("text", "textarea")]


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: Field | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if attributes.get("method", "get").lower() == "post":
                self.current = Form(urljoin(self.page, attributes.get("action") or self.page),
                                    self.page, enctype=attributes.get("enctype", ""))
            return
        if self.current is None or not attributes.get("name"):
            return
        name = attributes["name"]
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            kind = "text" if kind in TEXT_TYPES else kind
            known = self.current.fields.setdefault(name, Field(name, kind))
            if attributes.get("value"):
                known.values.append(attributes["value"])
        elif tag == "textarea":
            self.current.fields.setdefault(name, Field(name, "textarea"))
        elif tag == "select":
            self.select = self.current.fields.setdefault(name, Field(name, "select"))
        elif tag == "option" and self.select is not None:
            self.select.values.append(attributes.get("value", ""))
        elif tag == "button":
            known = self.current.fields.setdefault(name, Field(name, "submit"))
            known.values.append(attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None
        elif tag == "select":
            self.select = None


def forms_on(page_url: str, html: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def discover(app, client) -> list[Form]:
    """Every post form on every page this client can open (the first demo object of each)."""
    found: dict[tuple, Form] = {}
    for rule, _method in routes(app, ("GET",)):
        if rule.endpoint.startswith(("api.", "static")) or rule.endpoint == "accounts.logout":
            continue
        for url in list(_urls(app, rule))[:1]:
            answer = client.get(url)
            if answer.status_code != 200 or "html" not in answer.content_type:
                continue
            for form in forms_on("http://localhost" + url, answer.get_data(as_text=True)):
                found.setdefault(form.key, form)
    return list(found.values())
