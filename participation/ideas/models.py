"""Ideas and what residents do with them: themes, supports, follows, comments, statuses.

Full-text search objects (the SQLite FTS5 table `fts_idea` with its triggers, the PostgreSQL
table `fts_idea_document` with its trigger and GIN index `fts_idea_tsv`) live in the
migrations only, named `fts_*` so the drift test skips them. A batch migration that rebuilds
the `idea` table on SQLite drops the triggers: re-create them (see the ideas migration) and run
`participation ideas reindex`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.types import UTCDateTime, utcnow
from ..extensions import db
from ..i18n import localized

STATUSES = (
    "submitted",
    "under_review",
    "merged",
    "budgeting_proposal",
    "answered",
    "rejected",
    "implemented",
)
# Ideas in these statuses take no new comments or supports.
CLOSED_STATUSES = frozenset({"merged", "rejected", "implemented"})
MODERATION_STATES = ("published", "pending", "hidden")
PUBLISHED = "published"
PENDING = "pending"

TITLE_MAX = 120
DESCRIPTION_MAX = 5000
ALT_MAX = 250
COMMENT_MAX = 2000
REASON_MAX = 4000
PLACE_ADDRESS_MAX = 200

# Every filter (and no filter) × every sort of the list page has an index: see search.py.
LIST_FILTER_COLUMNS = ("area_id", "theme_id", "status", "language")
LIST_SORT_COLUMNS = {
    "newest": ("created_at", "id"),
    "supported": ("support_count", "id"),
    "discussed": ("comment_count", "id"),
}


def _list_indexes() -> list[sa.Index]:
    indexes = []
    for sort, columns in LIST_SORT_COLUMNS.items():
        indexes.append(sa.Index(f"ix_idea_list_{sort}", "moderation_state", *columns))
        for column in LIST_FILTER_COLUMNS:
            name = column.removesuffix("_id")
            indexes.append(
                sa.Index(f"ix_idea_{name}_{sort}", "moderation_state", column, *columns)
            )
    return indexes


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Theme(db.Model):
    """A theme an idea belongs to (parks and nature, culture...); admins edit the list."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name_fi: Mapped[str] = mapped_column(sa.String(80))
    name_sv: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"


class Idea(db.Model):
    """A resident's idea for an area (or the whole city when area is None)."""

    __tablename__ = "idea"
    __table_args__ = (
        sa.CheckConstraint(_in("status", STATUSES), name="status_known"),
        sa.CheckConstraint(_in("moderation_state", MODERATION_STATES), name="moderation_known"),
        sa.CheckConstraint("support_count >= 0 AND comment_count >= 0", name="counts_positive"),
        # One idea per idea form: a second "Publish" of the same form finds the first idea.
        sa.Index("ix_idea_author_publish_key", "author_id", "publish_key", unique=True),
        *_list_indexes(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    # The text as the resident wrote it (searched, exported) and its sanitised HTML (shown).
    description_text: Mapped[str] = mapped_column(sa.Text)
    description_html: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(16))
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"))
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("theme.id"))
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("district.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(32), default="submitted")
    public_answer: Mapped[str] = mapped_column(sa.Text, default="")
    public_answer_language: Mapped[str | None] = mapped_column(sa.String(16))
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("idea.id", ondelete="SET NULL"), index=True
    )
    budgeting_proposal_url: Mapped[str] = mapped_column(sa.String(500), default="")
    # Set by the budgeting package when it links the proposal (no foreign key on purpose).
    budgeting_proposal_id: Mapped[int | None]
    image_file: Mapped[str | None] = mapped_column(sa.String(100))
    image_alt: Mapped[str] = mapped_column(sa.String(ALT_MAX), default="")
    image_width: Mapped[int | None]
    image_height: Mapped[int | None]
    comments_locked: Mapped[bool] = mapped_column(default=False)
    # An optional place (see places.py): an address as typed and/or a WGS84 point in Espoo.
    place_address: Mapped[str] = mapped_column(sa.String(PLACE_ADDRESS_MAX), default="",
                                               server_default="")
    place_lat: Mapped[float | None] = mapped_column(sa.Float)
    place_lon: Mapped[float | None] = mapped_column(sa.Float)
    # The one-time key of the form the idea was published from (None for older ideas).
    publish_key: Mapped[str | None] = mapped_column(sa.String(64))
    moderation_state: Mapped[str] = mapped_column(sa.String(16), default=PUBLISHED)
    # The author's last edit, and their withdrawal with its reason (see editing.py).
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawal_reason: Mapped[str] = mapped_column(sa.Text, default="")
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    area = relationship("Area")
    theme: Mapped[Theme] = relationship()
    district = relationship("District")
    author = relationship("User", foreign_keys=[author_id])
    merged_into: Mapped[Idea | None] = relationship(
        remote_side=[id], foreign_keys=[merged_into_id], back_populates="merged_ideas"
    )
    merged_ideas: Mapped[list[Idea]] = relationship(
        foreign_keys=[merged_into_id], back_populates="merged_into", order_by="Idea.id"
    )
    status_changes: Mapped[list[IdeaStatusChange]] = relationship(
        back_populates="idea", order_by="IdeaStatusChange.created_at",
        foreign_keys="IdeaStatusChange.idea_id", cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_published(self) -> bool:
        return self.moderation_state == PUBLISHED

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def has_place(self) -> bool:
        return bool(self.place_address) or self.place_lat is not None

    @property
    def author_name(self) -> str | None:
        """The author's display name, or None when the account is gone (shown 'deleted user')."""
        if self.author is None or self.author.deleted_at is not None:
            return None
        return self.author.display_name

    def __repr__(self) -> str:
        return f"<Idea {self.id}>"


class IdeaRevision(db.Model):
    """An earlier version of an idea, kept when its author edits it (shown as its history)."""

    __tablename__ = "idea_revision"
    __table_args__ = (sa.Index("ix_idea_revision_idea_replaced", "idea_id", "replaced_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("idea.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    description_text: Mapped[str] = mapped_column(sa.Text)
    description_html: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(16))
    # The place this version gave (see Idea): kept because the author can edit it too.
    place_address: Mapped[str] = mapped_column(sa.String(PLACE_ADDRESS_MAX), default="",
                                               server_default="")
    place_lat: Mapped[float | None] = mapped_column(sa.Float)
    place_lon: Mapped[float | None] = mapped_column(sa.Float)
    # When this version was written (the idea's creation or an earlier edit), and replaced.
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def has_place(self) -> bool:
        return bool(self.place_address) or self.place_lat is not None


class IdeaStatusChange(db.Model):
    """One step of an idea's public timeline: the new status and the city's reason."""

    __tablename__ = "idea_status_change"
    __table_args__ = (sa.Index("ix_idea_status_change_idea_created", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("idea.id", ondelete="CASCADE"))
    from_status: Mapped[str] = mapped_column(sa.String(32))
    to_status: Mapped[str] = mapped_column(sa.String(32))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    reason_language: Mapped[str | None] = mapped_column(sa.String(16))
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("idea.id", ondelete="SET NULL")
    )
    budgeting_proposal_url: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="status_changes", foreign_keys=[idea_id])
    merged_into: Mapped[Idea | None] = relationship(foreign_keys=[merged_into_id])


class IdeaSupport(db.Model):
    """A resident supports an idea: at most once (a database rule), and can withdraw."""

    __tablename__ = "idea_support"
    __table_args__ = (sa.UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("idea.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    idea: Mapped[Idea] = relationship()


class IdeaFollow(db.Model):
    """A resident follows an idea to hear about its status and new comments."""

    __tablename__ = "idea_follow"
    __table_args__ = (sa.UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("idea.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    idea: Mapped[Idea] = relationship()


class IdeaComment(db.Model):
    """A comment on an idea, or a reply to a top-level comment (one level of threading)."""

    __tablename__ = "idea_comment"
    __table_args__ = (
        sa.CheckConstraint(_in("moderation_state", MODERATION_STATES), name="moderation_known"),
        sa.Index("ix_idea_comment_idea_created", "idea_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("idea.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("idea_comment.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(16))
    moderation_state: Mapped[str] = mapped_column(sa.String(16), default=PUBLISHED, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    idea: Mapped[Idea] = relationship()
    author = relationship("User", foreign_keys=[author_id])
    parent: Mapped[IdeaComment | None] = relationship(remote_side=[id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def counts(self) -> bool:
        """Whether the comment is in the idea's comment count (shown and not deleted)."""
        return self.moderation_state == PUBLISHED and self.deleted_at is None

    @property
    def author_name(self) -> str | None:
        if self.author is None or self.author.deleted_at is not None:
            return None
        return self.author.display_name


class Notification(db.Model):
    """Something a person should hear about; shown in-app and emailed to those who opted in.

    The text is rendered when shown, in the reader's language, from `kind` and `params`.
    """

    __tablename__ = "notification"
    __table_args__ = (
        sa.Index("ix_notification_user_read", "user_id", "read_at"),
        sa.Index("ix_notification_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    idea_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("idea.id", ondelete="CASCADE"), index=True
    )
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    idea: Mapped[Idea | None] = relationship()
