"""Addresses that leave the site (mail, printed receipts, the API): always from BASE_URL.

Never from the request's Host or X-Forwarded-Host header: whoever sends a request chooses
those, so a password reset asked for with `Host: evil.example` would otherwise mail the owner
a link to the attacker's server, carrying the token. `PARTICIPATION_BASE_URL` names the site's
public address (default: where `make run` serves it).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` on the configured public site."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
