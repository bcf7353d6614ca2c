"""Builders for idea tests: themes back after each clean-up, ideas made through the services,
images made with Pillow."""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image

from participation.extensions import db
from participation.ideas import comments, services, themes
from participation.ideas.models import Idea, IdeaComment, Theme


def ensure_themes(app) -> None:
    """The themes the migration seeds (the test clean-up empties the table after each test)."""
    with app.app_context():
        if themes.ensure_default_themes():
            db.session.commit()


def theme_id(app, slug: str = "parks-nature") -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Theme.id).where(Theme.slug == slug))


def make_idea(app, author_id: int, *, title: str = "Benches for the park",
              description: str = "More benches near the playground, please.",
              theme: str = "parks-nature", area_code: int | None = 1, language: str = "en",
              moderation_state: str | None = None, status: str | None = None) -> int:
    """An idea submitted through the service; returns its id."""
    from participation.accounts.models import User
    from participation.core.models import Area

    with app.test_request_context():
        author = db.session.get(User, author_id)
        area_id = db.session.scalar(sa.select(Area.id).where(Area.code == area_code)) \
            if area_code else None
        draft = services.IdeaDraft(
            title=title, description=description,
            theme_id=db.session.scalar(sa.select(Theme.id).where(Theme.slug == theme)),
            area_id=area_id, language=language,
        )
        idea = services.submit_idea(author, draft)
        if moderation_state:
            idea.moderation_state = moderation_state
        if status:
            idea.status = status
        db.session.commit()
        return idea.id


def make_comment(app, author_id: int, idea_id: int, body: str = "Good idea!",
                 parent_id: int | None = None, language: str = "en") -> int:
    from participation.accounts.models import User

    with app.test_request_context():
        parent = db.session.get(IdeaComment, parent_id) if parent_id else None
        comment = comments.add_comment(db.session.get(User, author_id),
                                       db.session.get(Idea, idea_id), body,
                                       language=language, parent=parent)
        db.session.commit()
        return comment.id


def get_idea(app, idea_id: int) -> dict:
    """The idea's columns as a dict (safe to use after the session is gone)."""
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        return {column.name: getattr(idea, column.name) for column in Idea.__table__.columns}


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 30, 30), *, exif: bool = False,
                mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, color)
    output = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCameraMaker"  # Make
        data[0x0131] = "SecretSoftware"  # Software
        options["exif"] = data.tobytes()
    image.save(output, format=fmt, **options)
    return output.getvalue()
