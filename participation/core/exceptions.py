"""Errors raised by services: a translated message, and the form field it belongs to if any."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
