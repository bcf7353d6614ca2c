"""`participation ideas ...`: keep the search index and uploaded images in order."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..extensions import db
from . import images

ideas_group = AppGroup("ideas", help="Ideas: search index and uploaded images.")


@ideas_group.command("reindex")
def reindex() -> None:
    """Rebuild the full-text index from the idea table (after loads that bypassed triggers)."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        from ..ideas.search import SQLITE_TAGS

        db.session.execute(sa.text("DELETE FROM fts_idea"))
        db.session.execute(sa.text(
            "INSERT INTO fts_idea (rowid, title, description_text, tags) SELECT id, "
            "fts_stems(language, title), fts_stems(language, description_text), "
            f"{SQLITE_TAGS} FROM idea"))
        db.session.execute(sa.text(
            "INSERT OR IGNORE INTO fts_idea_term (term) SELECT value FROM idea, "
            "json_each(fts_terms(language, title, description_text))"))
    elif dialect == "postgresql":
        db.session.execute(sa.text("DELETE FROM fts_idea_document"))
        db.session.execute(sa.text(
            "INSERT INTO fts_idea_document (idea_id, document) SELECT id, "
            "fts_document(language, title, description_text) FROM idea"))
    else:
        click.echo(f"{dialect}: no full-text index to rebuild.")
        return
    db.session.commit()
    count = db.session.scalar(sa.text("SELECT COUNT(*) FROM idea"))
    click.echo(f"Search index rebuilt for {count} ideas.")


@ideas_group.command("purge-uploads")
@click.option("--hours", type=int, default=24, show_default=True,
              help="Remove unpublished uploads older than this.")
def purge_uploads(hours: int) -> None:
    """Delete images uploaded for a preview but never published."""
    removed = images.purge_stale_pending(max_age=hours * 3600)
    click.echo(f"Removed {removed} unpublished uploads.")
