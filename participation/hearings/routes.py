"""The hearings blueprint, with every view module loaded onto it."""

from . import privacy, views_feedback, views_manage  # noqa: F401  (routes, privacy hooks)
from .views import bp

__all__ = ["bp"]
