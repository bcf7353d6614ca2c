"""What hearings add to a person's data export and do on account deletion.

Responses are not in the export: nothing links them to a person (that is the point). The
export says which hearings the person answered, and any answers saved but not yet sent.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..core.privacy import register_anonymiser, register_exporter
from ..extensions import db
from .answering import user_owner
from .models import AnswerDraft, Hearing, Respondent


def export_hearings(user) -> dict:
    answered = db.session.execute(
        sa.select(Hearing.id, Hearing.title_fi).join(Respondent, Respondent.hearing_id ==
                                                     Hearing.id)
        .where(Respondent.user_id == user.id).order_by(Hearing.id)).all()
    drafts = db.session.scalars(sa.select(AnswerDraft).where(
        AnswerDraft.owner_key == user_owner(user))).all()
    return {
        "answered": [{"hearing_id": row.id, "title": row.title_fi} for row in answered],
        "saved_answers": [{"hearing_id": draft.hearing_id, "answers": draft.answers}
                          for draft in drafts],
    }


def anonymise_hearings(user) -> None:
    db.session.execute(sa.delete(AnswerDraft).where(AnswerDraft.owner_key == user_owner(user)))
    # The record keeps that someone answered (the count of respondents) but no longer who.
    db.session.execute(sa.update(Respondent).where(Respondent.user_id == user.id)
                       .values(user_id=None))


register_exporter("youth_hearings", export_hearings)
register_anonymiser("youth_hearings", anonymise_hearings)
