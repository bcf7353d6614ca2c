"""Addresses that leave the site (mail, printed receipts, the API): always from BASE_URL.

Never from the request's Host or X-Forwarded-Host header: whoever sends a request chooses
those, so a password reset asked for with `Host: evil.example` would otherwise mail the owner
a link to the attacker's server, carrying the token. `PARTICIPATION_BASE_URL` names the site's
public address (default: where `make run` serves it).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request

# The longest return address carried in a link (the language menu, the login redirect): a
# longer query string is no page anyone bookmarked, and encoding it into every link made one
# 450 kB query cost seconds of rendering (tests/core/test_links.py).
RETURN_PATH_LIMIT = 1024


def external_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` on the configured public site."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def city_map_url(lat: float | None, lon: float | None, language: str = "fi") -> str:
    """The city's map service (CITY_MAP_URL, kartat.espoo.fi) centred on a WGS84 point, or its
    start page without one. Its URL takes ETRS-GK25 northing,easting as `cp`."""
    from .geo import to_gk25

    base = current_app.config["CITY_MAP_URL"].format(
        language=language if language in ("fi", "sv", "en") else "fi")
    if lat is None or lon is None:
        return base
    northing, easting = to_gk25(lat, lon)
    return f"{base}?cp={round(northing)},{round(easting)}"


def return_path() -> str:
    """This request's path and query, to come back to after another page (language menu,
    login). A query longer than RETURN_PATH_LIMIT is dropped: the path alone comes back."""
    if not request:
        return "/"
    full = request.full_path.rstrip("?")
    return full if len(full) <= RETURN_PATH_LIMIT else request.path
