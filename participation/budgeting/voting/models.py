"""Voting tables: verification, the voter roll, sealed envelopes and anonymous ballots.

Secrecy is a property of the schema and of when rows are written (see docs/threat-model.md):
while voting is open a cast writes the voter-roll entry and a `ballot_envelope`, whose choices
are sealed to the round's public key (ballot_keys.py); the private key lives outside the
database. `ballot` and `ballot_choice` are written only when voting closes, all in one
transaction, in random order, from the opened envelopes (closing.py); they hold no user
reference, no time and nothing written by a cast. Drafts live in the voter's session cookie.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.types import UTCDateTime, utcnow
from ...extensions import db

if TYPE_CHECKING:
    from ..rounds.models import Budget


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


class BallotEnvelope(db.Model):
    """A cast ballot while voting is open: the choices and receipt code sealed to the round's
    public key. `lookup` (a keyed hash of budget and account under the round's own erasable
    secret) finds the voter's envelope to replace it; paper sheets have none. Every envelope of
    a round is opened and destroyed when its voting closes."""

    __tablename__ = "ballot_envelope"
    __table_args__ = (
        sa.UniqueConstraint("budget_id", "lookup"),  # one envelope per voter per budget
        sa.UniqueConstraint("round_id", "sheet_number"),  # each paper sheet once per round
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_round.id", ondelete="CASCADE"), index=True)
    budget_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget.id", ondelete="CASCADE"), index=True)
    lookup: Mapped[str | None] = mapped_column(sa.String(64))
    channel: Mapped[str] = mapped_column(sa.String(20), default="web")
    sheet_number: Mapped[int | None]
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)


class Ballot(db.Model):
    """An anonymous ballot, written only when voting closes (closing.py): no user column, no
    timestamp, a random id, rows inserted in random order."""

    __tablename__ = "ballot"
    __table_args__ = (sa.UniqueConstraint("round_id", "sheet_number"),)

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_round.id", ondelete="CASCADE"), index=True)
    budget_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget.id", ondelete="CASCADE"), index=True)
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
