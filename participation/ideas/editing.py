"""The author's own changes to an idea: editing (with a kept history) and withdrawing.

An idea can be edited until the city answers it or makes it a budgeting proposal (see
permissions.edit_refusal); each edit keeps the replaced version (text and place) in
`idea_revision` and is screened by moderation like new text. Withdrawing keeps the idea
readable, with the author's reason, and closes it to new supports and comments. Functions
flush and never commit.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..core.content_language import normalise_content_language
from ..core.exceptions import ServiceError
from ..core.sanitize import render_light_text
from ..core.types import utcnow
from ..extensions import db
from ..moderation.services import screen_new_content
from .models import Idea, IdeaRevision
from .permissions import edit_refusal, withdraw_refusal
from .places import Place
from .services import IdeaDraft, _check_text

WITHDRAWAL_REASON_MAX = 1000


def edit_idea(user, idea: Idea, title: str, description: str, language: str, *,
              place_address: str | None = None, place_lat: str | None = None,
              place_lon: str | None = None) -> bool:
    """Save the author's new text (and place); True if moderation now holds the idea for a look.

    The place is given as typed (empty fields clear it; all three None keep it as it is) and
    checked as at submission. Raises ServiceError (with its field) when the edit is not
    allowed or something is wrong. Saving the same again changes nothing and keeps no version."""
    refusal = edit_refusal(user, idea)
    if refusal:
        raise ServiceError(refusal)
    draft = IdeaDraft(title=title, description=description, theme_id=idea.theme_id,
                      language=language, place_address=place_address or "",
                      place_lat=place_lat or "", place_lon=place_lon or "").cleaned()
    _check_text(draft)
    if normalise_content_language(draft.language) != draft.language:
        raise ServiceError(_("Choose the language from the list."), "language")
    keep_place = place_address is None and place_lat is None and place_lon is None
    place = _place_of(idea) if keep_place else draft.place
    if (draft.title, draft.description, draft.language, place) == (
            idea.title, idea.description_text, idea.language, _place_of(idea)):
        return False
    db.session.add(IdeaRevision(
        idea_id=idea.id, title=idea.title, description_text=idea.description_text,
        description_html=idea.description_html, language=idea.language,
        place_address=idea.place_address or "", place_lat=idea.place_lat,
        place_lon=idea.place_lon, written_at=idea.edited_at or idea.created_at,
    ))
    idea.title = draft.title
    idea.description_text = draft.description
    idea.description_html = render_light_text(draft.description)
    idea.language = draft.language
    idea.place_address, idea.place_lat, idea.place_lon = place.address, place.lat, place.lon
    idea.edited_at = utcnow()
    db.session.flush()
    # A published idea must not become abuse by editing: the edit is screened like new text.
    return screen_new_content(idea, user)


def _place_of(idea: Idea) -> Place:
    return Place(idea.place_address or "", idea.place_lat, idea.place_lon)


def withdraw_idea(user, idea: Idea, reason: str) -> None:
    """The author withdraws the idea, saying why (shown with it)."""
    refusal = withdraw_refusal(user, idea)
    if refusal:
        raise ServiceError(refusal)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Tell the readers why you withdraw the idea."), "reason")
    if len(reason) > WITHDRAWAL_REASON_MAX:
        raise ServiceError(_("Use at most %(max)d characters.", max=WITHDRAWAL_REASON_MAX),
                           "reason")
    idea.withdrawn_at = utcnow()
    idea.withdrawal_reason = reason
    db.session.flush()


def revisions(idea: Idea) -> list[IdeaRevision]:
    """The idea's earlier versions, newest first."""
    return list(db.session.scalars(
        sa.select(IdeaRevision).where(IdeaRevision.idea_id == idea.id)
        .order_by(IdeaRevision.replaced_at.desc(), IdeaRevision.id.desc())))


def forget_revisions(idea: Idea) -> None:
    """Drop the earlier versions (a moderator edited personal data out of the idea)."""
    db.session.execute(sa.delete(IdeaRevision).where(IdeaRevision.idea_id == idea.id))
