"""The budgeting blueprint with every route: public pages, the ballot, results, and staff pages.

The views are split by audience (web/*.py); importing this module registers them all, and the
hooks that other packages call (idea processes, account deletion).
"""

from __future__ import annotations

from ..rounds import idea_processes  # noqa: F401  (registers the idea process hooks)
from ..voting import privacy_hooks  # noqa: F401  (registers the account-deletion hooks)
from . import (  # noqa: F401  (each module adds its routes to bp)
    ballot,
    manage,
    paper,
    public,
    results,
    staff_proposals,
)
from .blueprint import bp

__all__ = ["bp"]
