"""Participatory budgeting tables: rounds, phases, budgets, proposals and results.

The voting tables (verification, voter roll, envelopes, ballots) are in voting/models.py.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.models import Area
from ...core.types import UTCDateTime, utcnow
from ...extensions import db
from ...i18n import localized

PHASE_KINDS = ("proposals", "review", "voting", "results", "implementation")
BALLOT_TYPES = ("approval", "k_approval", "cumulative")
VERIFICATION_LEVELS = ("self_declared", "staff_verified", "identity_provider")
PROPOSAL_STATUSES = (  # the moves between them: statuses.py
    "draft", "submitted", "in_review", "not_feasible", "on_ballot", "merged",
    "selected", "not_selected", "in_planning", "under_construction", "implemented", "cancelled",
)
KNOWN_STATUSES = ", ".join(f"'{status}'" for status in PROPOSAL_STATUSES)
VOTER_CHANNELS = ("web", "paper", "assisted")
BALLOT_CHANNELS = (*VOTER_CHANNELS, "import")
CITY_WIDE = "city"


class BudgetRound(db.Model):
    """One participatory budgeting round: texts per language, settings, rule, lifecycle."""

    __tablename__ = "budget_round"
    __table_args__ = (
        sa.CheckConstraint("min_age >= 0", name="min_age_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_fi: Mapped[str] = mapped_column(sa.String(200), default="")
    title_sv: Mapped[str] = mapped_column(sa.String(200), default="")
    title_en: Mapped[str] = mapped_column(sa.String(200), default="")
    description_fi: Mapped[str] = mapped_column(sa.Text, default="")
    description_sv: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    ballot_type: Mapped[str] = mapped_column(sa.String(20), default="approval")
    max_choices: Mapped[int | None]  # k for k-approval
    points_total: Mapped[int | None]  # N for cumulative ballots
    rule: Mapped[str] = mapped_column(sa.String(60), default="mes_cost_add1_until_over_budget")
    min_votes: Mapped[int | None]  # the greedy-threshold variant's minimum score
    min_age: Mapped[int] = mapped_column(default=12)
    max_age: Mapped[int | None]
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"))  # residents only of
    allow_other_area: Mapped[bool] = mapped_column(default=False)
    min_verification: Mapped[str] = mapped_column(sa.String(30), default="self_declared")
    is_simulation: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voting_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set (at random) and moved on by the database's triggers at every change of the round,
    # its phases, budgets or proposals, or an area (migration 99fe59179f4f): the ballot
    # pages' per-process copy of the round (rounds/snapshots.py) is used while it holds.
    data_version: Mapped[int] = mapped_column(sa.BigInteger, server_default=sa.text("0"),
                                              server_onupdate=sa.FetchedValue())

    area: Mapped[Area | None] = relationship()
    phases: Mapped[list[RoundPhase]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundPhase.starts_at")
    budgets: Mapped[list[Budget]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="Budget.position")

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    def phase(self, kind: str) -> RoundPhase | None:
        return next((phase for phase in self.phases if phase.kind == kind), None)

    def current_phase(self, now: datetime | None = None) -> RoundPhase | None:
        """The phase open at `now` (the latest-starting one if phases overlap)."""
        now = now or utcnow()
        open_now = [phase for phase in self.phases if phase.is_open(now)]
        return max(open_now, key=lambda phase: phase.starts_at) if open_now else None

    def voting_has_opened(self, now: datetime | None = None) -> bool:
        voting = self.phase("voting")
        return self.voting_closed_at is not None or (
            voting is not None and voting.starts_at <= (now or utcnow()))

    def voting_is_open(self, now: datetime | None = None) -> bool:
        voting = self.phase("voting")
        return (self.voting_closed_at is None and voting is not None
                and voting.is_open(now or utcnow()))

    @property
    def city_budget(self) -> Budget | None:
        return next((budget for budget in self.budgets if budget.area_id is None), None)

    @property
    def area_budgets(self) -> list[Budget]:
        return [budget for budget in self.budgets if budget.area_id is not None]

    def __repr__(self) -> str:
        return f"<BudgetRound {self.id}>"


class RoundPhase(db.Model):
    """A phase of a round as data: what kind, from when until when (stored UTC)."""

    __tablename__ = "round_phase"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "kind"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_round.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    round: Mapped[BudgetRound] = relationship(back_populates="phases")

    def is_open(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


class Budget(db.Model):
    """Money for one major area, or for the whole city (area_id NULL), in integer euros."""

    __tablename__ = "budget"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "scope_key"),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_round.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"))
    # "city" or "area:<id>": makes "one budget per area and one city-wide" a DB constraint.
    scope_key: Mapped[str] = mapped_column(sa.String(20))
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[BudgetRound] = relationship(back_populates="budgets")
    area: Mapped[Area | None] = relationship()

    @property
    def is_city_wide(self) -> bool:
        return self.area_id is None

    @property
    def slot(self) -> str:
        """The voter-roll slot: a person votes once city-wide and in one area budget."""
        return "city" if self.area_id is None else "area"

    @property
    def name(self) -> str:
        from flask_babel import gettext as _

        return self.area.name if self.area is not None else _("Whole city")


class Proposal(db.Model):
    """A proposal for one budget: official texts per language, a cost, a status."""

    __tablename__ = "proposal"
    __table_args__ = (
        sa.CheckConstraint("cost > 0", name="cost_positive"),
        sa.CheckConstraint(f"status IN ({KNOWN_STATUSES})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_round.id", ondelete="CASCADE"), index=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budget.id"), index=True)
    title_fi: Mapped[str] = mapped_column(sa.String(200), default="")
    title_sv: Mapped[str] = mapped_column(sa.String(200), default="")
    title_en: Mapped[str] = mapped_column(sa.String(200), default="")
    description_fi: Mapped[str] = mapped_column(sa.Text, default="")
    description_sv: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(16), default="fi")  # written in
    cost: Mapped[int] = mapped_column(sa.BigInteger)
    status: Mapped[str] = mapped_column(sa.String(30), default="in_review", index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))
    feasibility_reason_fi: Mapped[str] = mapped_column(sa.Text, default="")
    feasibility_reason_sv: Mapped[str] = mapped_column(sa.Text, default="")
    feasibility_reason_en: Mapped[str] = mapped_column(sa.Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="SET NULL"))
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_reason_fi: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    status_reason_sv: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    status_reason_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    source_key: Mapped[str | None] = mapped_column(sa.String(60))  # Pabulib project id
    # published / pending / hidden (participation.moderation; see budgeting/moderation_hooks)
    moderation_state: Mapped[str] = mapped_column(sa.String(16), default="published",
                                                  server_default="published", index=True)

    round: Mapped[BudgetRound] = relationship()
    budget: Mapped[Budget] = relationship()
    merged_into: Mapped[Proposal | None] = relationship(remote_side=[id])
    updates: Mapped[list[ProposalUpdate]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan",
        order_by="ProposalUpdate.happened_on.desc()")

    @property
    def title(self) -> str:
        if self.moderation_state == "hidden":
            return hidden_text(self, "title")
        return localized(self, "title")

    @property
    def description(self) -> str:
        if self.moderation_state == "hidden":
            return hidden_text(self, "description")
        return localized(self, "description")

    @property
    def feasibility_reason(self) -> str:
        return localized(self, "feasibility_reason")

    @property
    def status_reason(self) -> str:
        """The public reason a selected proposal was cancelled."""
        return localized(self, "status_reason")


class ProposalUpdate(db.Model):
    """A dated progress report on a proposal being carried out."""

    __tablename__ = "proposal_update"
    __table_args__ = (
        sa.CheckConstraint("percent_done BETWEEN 0 AND 100", name="percent_in_range"),
        sa.CheckConstraint("cost_to_date >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date] = mapped_column(sa.Date)
    percent_done: Mapped[int | None]
    milestone: Mapped[str | None] = mapped_column(sa.String(30))  # tracking.MILESTONES
    planned_finish: Mapped[date | None] = mapped_column(sa.Date)
    actual_finish: Mapped[date | None] = mapped_column(sa.Date)
    cost_to_date: Mapped[int | None] = mapped_column(sa.BigInteger)  # euros spent so far
    text_fi: Mapped[str] = mapped_column(sa.Text, default="")
    text_sv: Mapped[str] = mapped_column(sa.Text, default="")
    text_en: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal] = relationship(back_populates="updates")
    photos: Mapped[list[ProposalPhoto]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="ProposalPhoto.id")

    @property
    def text(self) -> str:
        return localized(self, "text")


class ProposalPhoto(db.Model):
    """A re-encoded photo attached to a progress update (file kept in instance/uploads)."""

    __tablename__ = "proposal_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal_update.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(80), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    alt_fi: Mapped[str] = mapped_column(sa.String(300), default="")
    alt_sv: Mapped[str] = mapped_column(sa.String(300), default="")
    alt_en: Mapped[str] = mapped_column(sa.String(300), default="")

    update: Mapped[ProposalUpdate] = relationship(back_populates="photos")

    @property
    def alt(self) -> str:
        return localized(self, "alt")


class BudgetResult(db.Model):
    """A budget's computed tally with the round's rule, kept as published."""

    __tablename__ = "budget_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget.id", ondelete="CASCADE"), unique=True)
    rule: Mapped[str] = mapped_column(sa.String(60))
    selected: Mapped[list] = mapped_column(sa.JSON, default=list)  # proposal ids
    total_cost: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    ballots: Mapped[int] = mapped_column(default=0)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # per proposal: votes, why
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    budget: Mapped[Budget] = relationship()


class ProposalComment(db.Model):
    """A resident's comment on a proposal, moderated like idea comments (moderation_hooks)."""

    __tablename__ = "proposal_comment"
    __table_args__ = (sa.Index("ix_proposal_comment_proposal_created", "proposal_id",
                               "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(16))
    moderation_state: Mapped[str] = mapped_column(sa.String(16), default="published",
                                                  server_default="published", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship()
    author = relationship("User", foreign_keys=[author_id])

    @property
    def author_name(self) -> str | None:
        if self.author is None or self.author.deleted_at is not None:
            return None
        return self.author.display_name


class ProposalFollow(db.Model):
    """A resident follows a proposal, or a whole round, to hear how the winners get built."""

    __tablename__ = "proposal_follow"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "proposal_id"),
        sa.UniqueConstraint("user_id", "round_id"),
        sa.CheckConstraint("(proposal_id IS NULL) <> (round_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                         index=True)
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("budget_round.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProposalIdea(db.Model):
    """A proposal made from an idea (an idea may feed several proposals, and vice versa)."""

    __tablename__ = "proposal_idea"

    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)
    idea_id: Mapped[int] = mapped_column(
        sa.ForeignKey("idea.id", ondelete="CASCADE"), primary_key=True, index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)



def hidden_text(proposal: Proposal, name: str) -> str:
    """What the public sees in place of a hidden proposal's title or description (hiding:
    moderation_hooks.py)."""
    from flask_babel import gettext as _

    if name == "title":
        return _("Proposal removed by a moderator")
    from ...moderation.services import public_reason

    return str(public_reason("proposal", proposal.id))

__all__ = [
    "Budget", "BudgetResult", "BudgetRound", "Proposal", "ProposalComment", "ProposalFollow",
    "ProposalIdea", "ProposalPhoto", "ProposalUpdate", "RoundPhase",
]
