"""Free-text hearing answers as moderated content: shown in results only once approved.

They have no author (answers are anonymous), so moderation can hide or approve them but never
ban or notify anyone about them.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..moderation.registry import ModeratedType, notifier, register
from .feedback import NOTIFICATION_KIND, notification_link, notification_text
from .models import TEXT_MAX, TextAnswer


def _redact(answer: TextAnswer, text: str) -> None:
    answer.text = text


def register_moderated_types(app) -> None:
    register(ModeratedType(
        key="hearing_answer", model=TextAnswer, label=_l("Answer in a youth hearing"),
        title=lambda answer: answer.question.text if answer.question else "",
        text=lambda answer: answer.text, author_id=lambda answer: None,
        area_id=lambda answer: None, language=lambda answer: answer.language,
        url=lambda answer: url_for("hearings.detail", hearing_id=answer.hearing_id),
        redact=_redact, text_max=TEXT_MAX,
        # A typed NULL: PostgreSQL refuses GROUP BY over an untyped constant.
        author_sql=lambda: sa.cast(sa.null(), sa.Integer),
        area_sql=lambda: sa.cast(sa.null(), sa.Integer),
        language_sql=lambda: TextAnswer.language,
    ))
    channel = notifier()
    if channel is not None:
        channel.register_kind(NOTIFICATION_KIND, notification_text, notification_link)
