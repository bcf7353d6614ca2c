"""The schema comes from the migrations, and the migrations match the models exactly."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Migrate  # noqa: F401  (the app's migrate extension configures Alembic)

from participation.extensions import db

# Full-text search objects (SQLite FTS5 tables, PostgreSQL GIN indexes) exist in migrations only.
FULL_TEXT_PREFIX = "fts_"


def _is_full_text_object(difference) -> bool:
    target = difference[1] if isinstance(difference, tuple) and len(difference) > 1 else None
    return str(getattr(target, "name", "") or "").startswith(FULL_TEXT_PREFIX)


def test_no_drift_between_migrations_and_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert [d for d in differences if not _is_full_text_object(d)] == []


def test_database_is_at_the_single_head_revision(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
    assert len(heads) == 1, f"migrations have several heads: {heads}"
    assert set(current) == set(heads)


def test_reference_data_comes_from_the_data_migration(app):
    with app.app_context():
        areas = db.session.execute(sa.text("SELECT code, name_sv FROM area ORDER BY code")).all()
        districts = db.session.scalar(sa.text("SELECT COUNT(*) FROM district"))
    assert [code for code, _ in areas] == [1, 2, 3, 4, 5, 6, 7]
    assert areas[0][1] == "Stor-Alberga"
    assert districts == 52


def test_migration_files_are_date_prefixed(app):
    from participation import ROOT

    names = [p.name for p in (ROOT / "migrations" / "versions").glob("*.py")]
    assert names and all(name[:8].isdigit() and name[8] == "_" for name in names)
