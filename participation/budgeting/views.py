"""The budgeting blueprint: public pages, the ballot, results, and staff pages.

The views are split by audience into views_*.py; importing this module registers them all.
"""

from __future__ import annotations

from . import (  # noqa: F401  (each module adds its routes to bp)
    idea_processes,
    privacy_hooks,
    views_ballot,
    views_manage,
    views_paper,
    views_public,
    views_results,
    views_staff_proposals,
)
from .blueprint import bp

__all__ = ["bp"]
