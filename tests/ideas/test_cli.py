"""`participation ideas reindex` and `participation ideas purge-uploads`."""

from __future__ import annotations

import io
import os
import time

import sqlalchemy as sa

from participation.extensions import db
from participation.ideas import images, search
from tests.ideas.builders import image_bytes, make_idea


def _found(app, word) -> int:
    with app.test_request_context():
        return search.search_ideas(word).page.total


def test_reindex(app, runner, resident):
    make_idea(app, resident.id, title="Rebuilt index")
    with app.app_context():
        dialect = db.engine.dialect.name
        if dialect == "sqlite":
            db.session.execute(sa.text("DELETE FROM fts_idea"))
        else:
            db.session.execute(sa.text("DELETE FROM fts_idea_document"))
        db.session.commit()
    assert _found(app, "rebuilt") == 0
    result = runner.invoke(args=["ideas", "reindex"])
    assert result.exit_code == 0, result.output
    assert _found(app, "rebuilt") == 1


def test_purge_uploads_removes_only_old_pending_images(app, runner):
    with app.test_request_context():
        _old_token, old = images.store_pending(io.BytesIO(image_bytes()), 1)
        _new_token, new = images.store_pending(io.BytesIO(image_bytes()), 1)
        old_path, new_path = images.pending_path(old), images.pending_path(new)
    two_days_ago = time.time() - 48 * 3600
    os.utime(old_path, (two_days_ago, two_days_ago))
    result = runner.invoke(args=["ideas", "purge-uploads"])
    assert result.exit_code == 0, result.output
    assert not old_path.exists() and new_path.exists()
