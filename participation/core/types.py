"""Column types and time helpers: UTC stored, Europe/Helsinki shown."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.types import DateTime, TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes in UTC on every database (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def render_migration_item(type_, obj, autogen_context):
    """Migrations spell our column types in plain SQLAlchemy, so they never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    """Full-text search objects (fts_*) are written by hand; autogenerate leaves them alone."""
    return not (type_ in ("table", "index") and reflected and compare_to is None
                and (name or "").startswith("fts_"))
