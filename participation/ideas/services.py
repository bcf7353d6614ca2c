"""Idea rules: submitting, supporting and following. Functions flush and never commit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..core.content_language import normalise_content_language
from ..core.exceptions import ServiceError
from ..core.models import Area, District
from ..core.sanitize import render_light_text
from ..extensions import db
from ..indicators.services import record_event
from ..moderation import registry
from ..moderation.screening import first_of_new_account
from ..moderation.services import screen_new_content
from . import images, places
from .models import (
    ALT_MAX,
    DESCRIPTION_MAX,
    PENDING,
    PUBLISHED,
    TITLE_MAX,
    Idea,
    IdeaComment,
    IdeaFollow,
    IdeaSupport,
    Theme,
)
from .permissions import support_refusal

FIRST_IDEA_OF_NEW_ACCOUNT = "new_account_first_idea"  # a hold reason (moderation/reasons.py)


@dataclass
class IdeaDraft:
    """What a resident typed into the idea form (validated by check_draft)."""

    title: str
    description: str
    theme_id: int | None
    area_id: int | None = None
    district_id: int | None = None
    language: str = "fi"
    image_alt: str = ""
    # The optional place as typed (places.parse_place checks it).
    place_address: str = ""
    place_lat: str = ""
    place_lon: str = ""

    def cleaned(self) -> IdeaDraft:
        return IdeaDraft(
            title=" ".join((self.title or "").split()),
            description=(self.description or "").replace("\r\n", "\n").strip(),
            theme_id=self.theme_id, area_id=self.area_id, district_id=self.district_id,
            language=self.language, image_alt=" ".join((self.image_alt or "").split()),
            place_address=" ".join((self.place_address or "").split()),
            place_lat=(self.place_lat or "").strip(), place_lon=(self.place_lon or "").strip(),
        )

    @property
    def place(self) -> places.Place:
        return places.parse_place(self.place_address, self.place_lat, self.place_lon)


def premoderation_enabled() -> bool:
    """The IDEAS_PREMODERATION setting (PARTICIPATION_IDEAS_PREMODERATION=true in the env)."""
    return bool(current_app.config["IDEAS_PREMODERATION"])


def waits_for_moderator(author) -> bool:
    """Whether the author's next idea waits for a moderator whatever it says: pre-moderation,
    or the first idea of a new account (told on the preview)."""
    return premoderation_enabled() or first_of_new_account(registry.get("idea"), author)


def _check_text(draft: IdeaDraft) -> None:
    if not draft.title:
        raise ServiceError(_("Give your idea a title."), "title")
    if len(draft.title) > TITLE_MAX:
        raise ServiceError(_("Use at most %(max)d characters in the title.", max=TITLE_MAX),
                           "title")
    if not draft.description:
        raise ServiceError(_("Describe your idea."), "description")
    if len(draft.description) > DESCRIPTION_MAX:
        raise ServiceError(
            _("Use at most %(max)d characters in the description.", max=DESCRIPTION_MAX),
            "description",
        )


def _check_place(draft: IdeaDraft) -> None:
    theme = db.session.get(Theme, draft.theme_id) if draft.theme_id else None
    if theme is None or not theme.active:
        raise ServiceError(_("Choose a theme from the list."), "theme")
    if draft.area_id is not None and db.session.get(Area, draft.area_id) is None:
        raise ServiceError(_("Choose an area from the list."), "area")
    if draft.district_id is not None:
        district = db.session.get(District, draft.district_id)
        if district is None:
            raise ServiceError(_("Choose a district from the list."), "district")
        if draft.area_id is None:
            raise ServiceError(_("Choose the area the district is in, or leave the district "
                                 "empty for a city-wide idea."), "district")
        if district.area_id != draft.area_id:
            raise ServiceError(_("The district %(district)s is not in the area you chose.",
                                 district=district.name), "district")
    if normalise_content_language(draft.language) != draft.language:
        raise ServiceError(_("Choose the language from the list."), "language")


def check_draft(draft: IdeaDraft, *, has_image: bool) -> None:
    """Raise ServiceError (with its field) for the first thing wrong with the draft."""
    _check_text(draft)
    _check_place(draft)
    places.parse_place(draft.place_address, draft.place_lat, draft.place_lon)
    check_image_description(draft, has_image=has_image)


def check_image_description(draft: IdeaDraft, *, has_image: bool) -> None:
    """An image needs a description; checked with the form's own errors too, so it is never
    reported only on the next submit."""
    if has_image and not draft.image_alt:
        raise ServiceError(_("Describe the image for people who cannot see it."), "image_alt")
    if len(draft.image_alt) > ALT_MAX:
        raise ServiceError(
            _("Use at most %(max)d characters in the image description.", max=ALT_MAX),
            "image_alt",
        )


def submit_idea(author, draft: IdeaDraft, image: images.StoredImage | None = None, *,
                publish_key: str | None = None) -> Idea:
    """Publish a checked draft (or leave it pending under pre-moderation)."""
    draft = draft.cleaned()
    check_draft(draft, has_image=image is not None)
    place = draft.place
    idea = Idea(
        title=draft.title,
        description_text=draft.description,
        description_html=render_light_text(draft.description),
        language=draft.language,
        area_id=draft.area_id,
        district_id=draft.district_id,
        theme_id=draft.theme_id,
        author_id=author.id,
        image_alt=draft.image_alt if image else "",
        publish_key=publish_key or None,
        place_address=place.address, place_lat=place.lat, place_lon=place.lon,
        moderation_state=PENDING if premoderation_enabled() else PUBLISHED,
    )
    db.session.add(idea)
    db.session.flush()  # a repeated publish key fails here, before the image is moved
    if image is not None:
        stored = images.publish_pending(image)
        idea.image_file, idea.image_width, idea.image_height = (
            stored.file_name, stored.width, stored.height
        )
        db.session.flush()
    # Words, spam, links from new accounts, or a new account's first idea: held for a look.
    screen_new_content(idea, author, hold_first_as=FIRST_IDEA_OF_NEW_ACCOUNT)
    record_event("idea_submitted", user=author, process=idea)
    return idea


def idea_published_with(author, publish_key: str | None) -> Idea | None:
    """The idea `author` already published from the form with this one-time key."""
    if not publish_key:
        return None
    return db.session.scalar(sa.select(Idea).where(Idea.author_id == author.id,
                                                   Idea.publish_key == publish_key))


def publish_idea(author, draft: IdeaDraft, image: images.StoredImage | None = None, *,
                 publish_key: str | None = None) -> tuple[Idea, bool]:
    """Submit once per form: (idea, True) when made now, (the earlier idea, False) when the
    same form was published already (a double click, a reload, two requests at once)."""
    existing = idea_published_with(author, publish_key)
    if existing is not None:
        return existing, False
    try:
        with db.session.begin_nested():
            return submit_idea(author, draft, image, publish_key=publish_key), True
    except IntegrityError:
        existing = idea_published_with(author, publish_key)
        if existing is None:
            raise
        return existing, False


def _change_supports(idea: Idea, delta: int) -> None:
    db.session.execute(
        sa.update(Idea).where(Idea.id == idea.id)
        .values(support_count=Idea.support_count + delta)
        .execution_options(synchronize_session="evaluate")
    )


def has_supported(user, idea: Idea) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(IdeaSupport)
        .where(IdeaSupport.idea_id == idea.id, IdeaSupport.user_id == user.id)
    ) > 0


def support_idea(user, idea: Idea) -> bool:
    """Add the user's support; False if they had already supported the idea."""
    if has_supported(user, idea):
        return False
    refusal = support_refusal(idea)
    if refusal:
        raise ServiceError(refusal)
    try:
        with db.session.begin_nested():
            db.session.add(IdeaSupport(idea_id=idea.id, user_id=user.id))
    except IntegrityError:  # the same person clicked twice at once: one support counts
        return False
    _change_supports(idea, +1)
    record_event("idea_supported", user=user, process=idea)
    return True


def withdraw_support(user, idea: Idea) -> bool:
    """Remove the user's support; False if there was none."""
    result = db.session.execute(
        sa.delete(IdeaSupport).where(IdeaSupport.idea_id == idea.id,
                                     IdeaSupport.user_id == user.id)
    )
    if not result.rowcount:
        return False
    _change_supports(idea, -1)
    return True


def is_following(user, idea: Idea) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(IdeaFollow)
        .where(IdeaFollow.idea_id == idea.id, IdeaFollow.user_id == user.id)
    ) > 0


def follow_idea(user, idea: Idea) -> bool:
    if is_following(user, idea):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(IdeaFollow(idea_id=idea.id, user_id=user.id))
    except IntegrityError:
        return False
    return True


def unfollow_idea(user, idea: Idea) -> bool:
    result = db.session.execute(
        sa.delete(IdeaFollow).where(IdeaFollow.idea_id == idea.id, IdeaFollow.user_id == user.id)
    )
    return bool(result.rowcount)


def recount(idea_ids) -> None:
    """Recompute the denormalised counters of these ideas (after moderation or deletions)."""
    ids = list(idea_ids)
    if not ids:
        return
    supports = (sa.select(sa.func.count()).select_from(IdeaSupport)
                .where(IdeaSupport.idea_id == Idea.id).scalar_subquery())
    comments = (sa.select(sa.func.count()).select_from(IdeaComment)
                .where(IdeaComment.idea_id == Idea.id,
                       IdeaComment.moderation_state == PUBLISHED,
                       IdeaComment.deleted_at.is_(None))
                .scalar_subquery())
    db.session.execute(
        sa.update(Idea).where(Idea.id.in_(ids))
        .values(support_count=supports, comment_count=comments)
        .execution_options(synchronize_session=False)
    )
    for idea in db.session.identity_map.values():
        if isinstance(idea, Idea) and idea.id in ids:
            db.session.expire(idea, ["support_count", "comment_count"])
