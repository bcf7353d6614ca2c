"""A tiny structural checker for the JSON Schema subset openapi.py uses.

Types (one or a list), required keys, closed objects, properties, items, enum, anyOf, $ref to
#/components/schemas, and the date-time and uri formats. Returns problems; [] when it fits.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

TYPES = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        prefix = "#/components/schemas/"
        assert schema["$ref"].startswith(prefix), schema["$ref"]
        schema = document["components"]["schemas"][schema["$ref"][len(prefix):]]
    return schema


def _format_problem(value, fmt: str | None) -> str | None:
    if not isinstance(value, str) or fmt is None:
        return None
    if fmt == "date-time":
        if not value.endswith("Z"):
            return f"{value!r} is not a UTC time ending in Z"
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return f"{value!r} is not ISO 8601"
    if fmt == "uri" and not urlsplit(value).scheme:
        return f"{value!r} is not an absolute URL"
    return None


def check(value, schema: dict, document: dict, path: str = "$") -> list[str]:
    schema = _resolve(schema, document)
    if "anyOf" in schema:
        attempts = [check(value, option, document, path) for option in schema["anyOf"]]
        if all(attempts):
            return [f"{path}: matches no anyOf option ({attempts[0][0]})"]
        return []
    problems = []
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(TYPES[kind](value) for kind in kinds):
            return [f"{path}: {type(value).__name__} is not {'/'.join(kinds)}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} not in {schema['enum']}")
    problem = _format_problem(value, schema.get("format"))
    if problem:
        problems.append(f"{path}: {problem}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{path}: missing {name!r}")
        for name, item in value.items():
            if name in properties:
                problems += check(item, properties[name], document, f"{path}.{name}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{path}: undeclared key {name!r}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += check(item, schema["items"], document, f"{path}[{index}]")
    return problems


def response_schema(document: dict, path: str, status: int) -> dict:
    responses = document["paths"][path]["get"]["responses"]
    return responses[str(status)]["content"]["application/json"]["schema"]
