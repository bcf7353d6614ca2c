"""The hearings blueprint, with every view module loaded onto it."""

from . import views_feedback, views_manage  # noqa: F401  (each module adds its routes)
from .views import bp

__all__ = ["bp"]
