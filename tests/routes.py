"""Building a URL for any route with placeholder arguments (for tests that walk every route)."""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import FloatConverter, IntegerConverter


def placeholder_url(app, rule) -> str:
    args = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            args[name] = 999999
        elif isinstance(converter, FloatConverter):
            args[name] = 1.5
        else:
            args[name] = "x"
    with app.test_request_context():
        return url_for(rule.endpoint, **args)


def routes(app, methods=("GET", "POST")):
    """(rule, method) for every route except static files."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & set(methods)):
            yield rule, method
