"""Voting tables: verification, the voter roll, anonymous ballots and ballot drafts.

Secrecy is a property of the schema: `ballot` and `ballot_choice` hold no user reference and no
time. The voter roll says who voted; a ballot is found again only through `voter_hash` (a keyed
hash whose key lives outside the database), and that hash is erased when voting closes.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.types import UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from .models import Budget


class VoterVerification(db.Model):
    """A person's identity checked beyond self-declaration (in person by staff, or a provider)."""

    __tablename__ = "voter_verification"
    __table_args__ = (sa.UniqueConstraint("user_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(sa.String(30))
    method: Mapped[str] = mapped_column(sa.String(60))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))
    # Keyed hash of the document's name and birth date (identity.py); never the name itself.
    identity_key: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    birth_year: Mapped[int | None]  # the account's, as checked: a later change voids the check
    home_area_id: Mapped[int | None]


class VoterRollEntry(db.Model):
    """That a person voted in a budget, how and when; never what they chose."""

    __tablename__ = "voter_roll_entry"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "budget_id", "user_id"),
        # One area budget per person per round (slot "area"), plus the city-wide ("city").
        sa.UniqueConstraint("round_id", "user_id", "slot"),
        # The same two rules for people without an account who voted in person.
        sa.UniqueConstraint("round_id", "budget_id", "person_key"),
        sa.UniqueConstraint("round_id", "person_key", "slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_round.id", ondelete="CASCADE"), index=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budget.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    # In-person voters without an account: a keyed hash of name and date of birth.
    person_key: Mapped[str | None] = mapped_column(sa.String(64))
    slot: Mapped[str] = mapped_column(sa.String(10))
    channel: Mapped[str] = mapped_column(sa.String(20), default="web")
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    registered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))

    budget: Mapped[Budget] = relationship()


class Ballot(db.Model):
    """An anonymous ballot. No user column, no timestamp; a random id so order reveals nothing."""

    __tablename__ = "ballot"
    __table_args__ = (
        sa.UniqueConstraint("budget_id", "voter_hash"),  # NULLs (after closing) never collide
        sa.UniqueConstraint("round_id", "sheet_number"),
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_round.id", ondelete="CASCADE"), index=True)
    budget_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget.id", ondelete="CASCADE"), index=True)
    voter_hash: Mapped[str | None] = mapped_column(sa.String(64))
    receipt_code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    channel: Mapped[str] = mapped_column(sa.String(20), default="web")
    sheet_number: Mapped[int | None]

    choices: Mapped[list[BallotChoice]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", passive_deletes=True)


class BallotChoice(db.Model):
    """One proposal chosen on a ballot, with its points (1 on approval ballots)."""

    __tablename__ = "ballot_choice"
    __table_args__ = (sa.CheckConstraint("points > 0", name="points_positive"),)

    ballot_id: Mapped[str] = mapped_column(
        sa.ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True)
    # No cascade: a proposal someone voted for can never be deleted from under the ballot.
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id"), primary_key=True, index=True)
    points: Mapped[int] = mapped_column(default=1)

    ballot: Mapped[Ballot] = relationship(back_populates="choices")


class BallotDraft(db.Model):
    """A ballot being filled in (not a ballot: it may name its user). Deleted on cast/close."""

    __tablename__ = "ballot_draft"
    __table_args__ = (sa.UniqueConstraint("budget_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_round.id", ondelete="CASCADE"), index=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budget.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    choices: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {"proposal id": points}
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
