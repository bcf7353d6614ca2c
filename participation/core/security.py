"""Security defaults: response headers, cookies marked Secure behind HTTPS, safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request
from flask.sessions import SecureCookieSessionInterface

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


_SECURE_ONLY = {"Strict-Transport-Security": "max-age=31536000"}
# Pages can hold personal data: never keep them in shared caches.
_NOT_STATIC = {"Cache-Control": "no-store"}


def add_security_headers(response):
    """Each header unless the view set its own (one pass over the response's headers)."""
    wanted = dict(SECURITY_HEADERS)
    if request.is_secure:
        wanted.update(_SECURE_ONLY)
    if request.endpoint != "static":
        wanted.update(_NOT_STATIC)
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}
    headers.extend([(name, value) for name, value in wanted.items()
                    if name.lower() not in present])
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Session cookie: HttpOnly and SameSite always, Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def cookie_secure(app) -> bool:
    return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def safe_next(target: str | None, default: str) -> str:
    """Only redirect to paths on this site (no open redirects)."""
    if not target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return default  # CR/LF would split the Location header; no control character is a path
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target
