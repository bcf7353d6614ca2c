"""Hooks through which each domain adds to a person's data export and account deletion.

A domain registers `exporter(user) -> JSON-able data` and `anonymiser(user) -> None` once at
import time; accounts.services calls them all, so a new domain cannot be forgotten by accident.
"""

from __future__ import annotations

from collections.abc import Callable

_exporters: dict[str, Callable] = {}
_anonymisers: dict[str, Callable] = {}


def register_exporter(section: str, exporter: Callable) -> None:
    _exporters[section] = exporter


def register_anonymiser(name: str, anonymiser: Callable) -> None:
    _anonymisers[name] = anonymiser


def exporters() -> dict[str, Callable]:
    return dict(_exporters)


def anonymisers() -> dict[str, Callable]:
    return dict(_anonymisers)
