"""User accounts and their roles."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Area
from ..core.types import UTCDateTime, utcnow
from ..extensions import db

# The granted roles the user loader read with the account (accounts/loading.py): a plain
# attribute, not a column. User.roles prefers the grants themselves once they are loaded.
LOADED_ROLES = "_signed_in_roles"


def new_pseudonym_seed() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    """A person using the service. Every account is a resident; other roles are granted."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")
    birth_year: Mapped[int | None]
    home_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"), index=True)
    preferred_language: Mapped[str] = mapped_column(sa.String(16), default="fi")
    email_notifications: Mapped[bool] = mapped_column(default=False)
    privacy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Seed of the pseudonymous participant key; erased on deletion so statistics stay unlinkable.
    pseudonym_seed: Mapped[str | None] = mapped_column(sa.String(64), default=new_pseudonym_seed)
    # Part of the login every session cookie carries: raising it ends all the person's sessions
    # (logout, password change or reset, a ban), on every app server, since it is in the database.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # When the person followed the link mailed to the address (None: not yet checked).
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    home_area: Mapped[Area | None] = relationship()
    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin",
        foreign_keys="RoleGrant.user_id",
    )

    def get_id(self) -> str:
        """The login a session cookie carries: the id and the session version ("12.3")."""
        return f"{self.id}.{self.session_version or 0}"

    def end_sessions(self) -> None:
        """Make every session cookie issued so far fail (this one too, until logged in again)."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    @property
    def roles(self) -> set[str]:
        state = self.__dict__
        if "role_grants" not in state and LOADED_ROLES in state:
            return {"resident", *state[LOADED_ROLES]}
        return {"resident"} | {grant.role for grant in self.role_grants}

    def has_role(self, role: str) -> bool:
        roles = self.roles
        return role in roles or "admin" in roles

    def has_any_role(self, *roles: str) -> bool:
        return any(self.has_role(role) for role in roles)

    def age_in(self, year: int) -> int | None:
        return None if self.birth_year is None else year - self.birth_year

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class RoleGrant(db.Model):
    """A role beyond resident held by a user."""

    __tablename__ = "role_grant"
    __table_args__ = (sa.UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(32))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    user: Mapped[User] = relationship(back_populates="role_grants", foreign_keys=[user_id])
