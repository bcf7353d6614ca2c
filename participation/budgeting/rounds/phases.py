"""The phases of a round by name: what each kind is called on every page and in the API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import PHASE_KINDS

__all__ = ["PHASE_KINDS", "PHASE_LABELS"]

PHASE_LABELS = {
    "proposals": _l("Proposals"),
    "review": _l("Review"),
    "voting": _l("Voting"),
    "results": _l("Results"),
    "implementation": _l("Implementation"),
}
