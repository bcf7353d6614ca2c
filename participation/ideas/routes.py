"""The ideas package's blueprints, with every view module loaded onto them."""

from . import (  # noqa: F401  (each module adds its routes to a blueprint)
    edit_views,
    interactions,
    my_views,
    privacy,
    staff_views,
    submit_views,
)
from .notification_views import bp as notifications_bp
from .theme_admin import bp as themes_bp
from .views import bp as ideas_bp

__all__ = ["ideas_bp", "notifications_bp", "themes_bp"]
