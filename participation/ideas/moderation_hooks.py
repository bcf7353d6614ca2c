"""Ideas and their comments as moderated content (see participation.moderation.registry)."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..core.sanitize import render_light_text
from ..moderation.registry import ModeratedType, register
from .models import Idea, IdeaComment


def _redact_idea(idea: Idea, text: str) -> None:
    idea.description_text = text
    idea.description_html = render_light_text(text)


def _redact_comment(comment: IdeaComment, text: str) -> None:
    comment.body = text


def _recount_comment(comment: IdeaComment, old: str, new: str) -> None:
    from .services import recount

    recount([comment.idea_id])


def _lock_comments(idea: Idea, locked: bool) -> None:
    idea.comments_locked = locked


def register_moderated_types(app) -> None:
    from ..moderation import notify
    from ..moderation.services import public_reason
    from .notifications import register_kind

    register_kind(notify.KIND, notify.notification_text, notify.notification_link)
    app.jinja_env.globals["moderation_reason"] = public_reason

    register(ModeratedType(
        key="idea", model=Idea, label=_l("Idea"),
        title=lambda idea: idea.title, text=lambda idea: idea.description_text,
        author_id=lambda idea: idea.author_id, area_id=lambda idea: idea.area_id,
        language=lambda idea: idea.language,
        url=lambda idea: url_for("ideas.detail", idea_id=idea.id),
        redact=_redact_idea, lock_comments=_lock_comments,
        comments_locked=lambda idea: idea.comments_locked,
    ))
    register(ModeratedType(
        key="idea_comment", model=IdeaComment, label=_l("Comment on an idea"),
        title=lambda comment: "", text=lambda comment: comment.body,
        author_id=lambda comment: comment.author_id,
        area_id=lambda comment: comment.idea.area_id if comment.idea else None,
        language=lambda comment: comment.language,
        url=lambda comment: url_for("ideas.detail", idea_id=comment.idea_id,
                                    _anchor=f"comment-{comment.id}"),
        redact=_redact_comment, on_state_change=_recount_comment,
    ))
