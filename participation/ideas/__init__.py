"""Ideas: residents propose, find, support and discuss ideas; the city answers each one.

Modules: models (tables), statuses (status labels and answer templates), sanitising via
core.sanitize, images (upload checks and storage), services / comments / status_service /
notifications (rules), search (list and full-text search), permissions (object rules),
privacy (export and anonymisation hooks), forms, and the views in views / interactions /
staff / notification_views / theme_admin, all on blueprints collected in routes.
"""
