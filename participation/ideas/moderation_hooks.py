"""Ideas and their comments as moderated content (see participation.moderation.registry).

Ideas also hold the site's notification table, so they give moderation its notifier.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..core.sanitize import render_light_text
from ..extensions import db
from ..moderation.registry import ModeratedType, Notifier, register, register_notifier
from .models import COMMENT_MAX, DESCRIPTION_MAX, TITLE_MAX, Idea, IdeaComment, Notification


def _redact_idea(idea: Idea, text: str) -> None:
    from .editing import forget_revisions

    forget_revisions(idea)  # earlier versions may hold what was edited out
    idea.description_text = text
    idea.description_html = render_light_text(text)


def _redact_idea_title(idea: Idea, title: str) -> None:
    from .editing import forget_revisions

    forget_revisions(idea)
    idea.title = title


def _redact_comment(comment: IdeaComment, text: str) -> None:
    comment.body = text


def _recount_comment(comment: IdeaComment, old: str, new: str) -> None:
    from .services import recount

    recount([comment.idea_id])


def _lock_comments(idea: Idea, locked: bool) -> None:
    idea.comments_locked = locked


def _add_notification(user_id: int, kind: str, params: dict) -> None:
    db.session.add(Notification(user_id=user_id, kind=kind, params=params))


def _comment_area():
    return sa.select(Idea.area_id).where(Idea.id == IdeaComment.idea_id).scalar_subquery()


def register_moderated_types(app) -> None:
    from .notifications import register_kind

    register_notifier(Notifier(add=_add_notification, register_kind=register_kind))
    register(ModeratedType(
        key="idea", model=Idea, label=_l("Idea"),
        title=lambda idea: idea.title, text=lambda idea: idea.description_text,
        author_id=lambda idea: idea.author_id, area_id=lambda idea: idea.area_id,
        language=lambda idea: idea.language,
        url=lambda idea: url_for("ideas.detail", idea_id=idea.id),
        redact=_redact_idea, redact_title=_redact_idea_title, title_max=TITLE_MAX,
        text_max=DESCRIPTION_MAX, lock_comments=_lock_comments,
        comments_locked=lambda idea: idea.comments_locked,
        author_sql=lambda: Idea.author_id, area_sql=lambda: Idea.area_id,
        language_sql=lambda: Idea.language,
    ))
    register(ModeratedType(
        key="idea_comment", model=IdeaComment, label=_l("Comment on an idea"),
        title=lambda comment: "", text=lambda comment: comment.body,
        author_id=lambda comment: comment.author_id,
        area_id=lambda comment: comment.idea.area_id if comment.idea else None,
        language=lambda comment: comment.language,
        url=lambda comment: url_for("ideas.detail", idea_id=comment.idea_id,
                                    _anchor=f"comment-{comment.id}"),
        redact=_redact_comment, text_max=COMMENT_MAX, on_state_change=_recount_comment,
        author_sql=lambda: IdeaComment.author_id, area_sql=_comment_area,
        language_sql=lambda: IdeaComment.language,
    ))
