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
    """Rebuild the SQLite full-text index from the idea table (PostgreSQL needs nothing)."""
    dialect = db.engine.dialect.name
    if dialect != "sqlite":
        click.echo(f"{dialect}: the search index is an expression index, always up to date.")
        return
    db.session.execute(sa.text("INSERT INTO fts_idea(fts_idea) VALUES ('rebuild')"))
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
