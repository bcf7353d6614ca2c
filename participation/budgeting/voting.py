"""Casting, changing and closing secret ballots.

The ballot row never names its voter. While voting is open the voter's current ballot is found
through `voter_hash = HMAC(ballot key, round|budget|user)`; the key is kept in instance/, not in
the database, and closing the vote erases every hash, after which nobody can link a ballot to a
person. The voter roll records that someone voted, and a database constraint allows one roll
entry (and one hashed ballot) per voter per budget.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..config import instance_secret
from ..core import audit
from ..core.exceptions import ServiceError
from ..core.types import utcnow
from ..extensions import db
from ..indicators.services import record_event
from .ballots import check_choices
from .eligibility import budget_refusal, eligibility_refusal
from .models import (
    Ballot,
    BallotChoice,
    BallotDraft,
    Budget,
    BudgetRound,
    RoundPhase,
    VoterRollEntry,
)
from .permissions import allowed_in_round

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely


def ballot_key() -> bytes:
    configured = current_app.config.get("BALLOT_KEY")
    if configured:
        return configured.encode() if isinstance(configured, str) else configured
    return instance_secret(Path(current_app.instance_path), "ballot_key").encode()


def voter_hash(budget: Budget, user_id: int) -> str:
    message = f"{budget.round_id}|{budget.id}|{user_id}".encode()
    return hmac.new(ballot_key(), message, hashlib.sha256).hexdigest()


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_receipt(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}" if len(raw) == 12 else raw


def current_ballot(budget: Budget, user) -> Ballot | None:
    """This voter's ballot, while voting is open (afterwards nobody can find it, by design)."""
    return db.session.scalar(sa.select(Ballot).filter_by(
        budget_id=budget.id, voter_hash=voter_hash(budget, user.id)))


def ballot_choices(ballot: Ballot | None) -> dict[int, int]:
    return {} if ballot is None else {c.proposal_id: c.points for c in ballot.choices}


@dataclass(frozen=True)
class CastResult:
    receipt_code: str
    replaced: bool


def check_can_vote(budget_round: BudgetRound, budget: Budget, user,
                   now: datetime | None = None) -> None:
    """Raise ServiceError saying why this person cannot vote in this budget now."""
    if not (allowed_in_round(user, "vote", budget_round, now)
            and budget_round.voting_is_open(now)):
        raise ServiceError(_("Voting is not open in this round. Check the round's page for "
                             "when voting takes place."))
    refusal = eligibility_refusal(budget_round, user, now) \
        or budget_refusal(budget_round, budget, user)
    if refusal is not None:
        raise ServiceError(refusal.message)


def insert_roll_entry(values: dict) -> bool:
    """Insert a voter-roll row unless a unique rule already holds one; True if inserted."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (insert(VoterRollEntry.__table__).values(**values).on_conflict_do_nothing()
                 .returning(VoterRollEntry.__table__.c.id))
    return db.session.execute(statement).first() is not None


def claim_roll_entry(budget: Budget, user, channel: str, registered_by=None) -> tuple:
    """(locked voter-roll entry or None if the person's area slot is taken, newly created?)."""
    created = insert_roll_entry({
        "round_id": budget.round_id, "budget_id": budget.id, "user_id": user.id,
        "slot": budget.slot, "channel": channel, "voted_at": utcnow(),
        "registered_by_id": getattr(registered_by, "id", None),
    })
    entry = db.session.scalar(
        sa.select(VoterRollEntry).filter_by(round_id=budget.round_id, budget_id=budget.id,
                                            user_id=user.id)
        .with_for_update().execution_options(populate_existing=True))
    return entry, created


def store_ballot(budget: Budget, choices: dict[int, int], *, channel: str,
                 voter_hash_value: str | None = None, sheet_number: int | None = None) -> Ballot:
    ballot = Ballot(id=secrets.token_hex(16), round_id=budget.round_id, budget_id=budget.id,
                    voter_hash=voter_hash_value, receipt_code=new_receipt_code(),
                    channel=channel, sheet_number=sheet_number)
    ballot.choices = [BallotChoice(proposal_id=pid, points=points)
                      for pid, points in sorted(choices.items())]
    db.session.add(ballot)
    db.session.flush()
    return ballot


def _remove_ballot(ballot_id: str) -> None:
    db.session.execute(sa.delete(BallotChoice).where(BallotChoice.ballot_id == ballot_id))
    db.session.execute(sa.delete(Ballot).where(Ballot.id == ballot_id))


def cast_ballot(budget_round: BudgetRound, budget: Budget, user, choices: dict[int, int],
                now: datetime | None = None) -> CastResult:
    """Cast (or replace) this voter's online ballot. Refusals store nothing (roll back)."""
    check_can_vote(budget_round, budget, user, now)
    choices = check_choices(budget_round, budget, choices, final=True)
    entry, created = claim_roll_entry(budget, user, "web")
    if entry is None:  # another area budget claimed the slot at the same moment
        raise ServiceError(_("You can vote in one area's budget per round."))
    if entry.channel != "web":
        raise ServiceError(_("You have already voted in this budget at a service point, so "
                             "you cannot vote in it online as well."))
    hashed = voter_hash(budget, user.id)
    old = db.session.scalar(sa.select(Ballot.id).filter_by(budget_id=budget.id,
                                                           voter_hash=hashed))
    if old is not None:
        _remove_ballot(old)
    ballot = store_ballot(budget, choices, channel="web", voter_hash_value=hashed)
    db.session.execute(sa.delete(BallotDraft).filter_by(budget_id=budget.id, user_id=user.id))
    if created:
        record_event("ballot_cast", user=user, process=budget_round, channel="web")
    db.session.flush()
    return CastResult(ballot.receipt_code, replaced=old is not None)


def close_voting(budget_round: BudgetRound, actor, now: datetime | None = None) -> bool:
    """End voting for good: erase every voter hash and draft. False if already closed."""
    now = now or utcnow()
    voting = budget_round.phase("voting")
    if voting is not None and voting.ends_at > now and budget_round.voting_closed_at is None:
        raise ServiceError(_("Voting is still open. It can be closed once the voting phase "
                             "has ended."))
    return _erase_links(budget_round, actor, now)


def _erase_links(budget_round: BudgetRound, actor, closed_at: datetime) -> bool:
    # A conditional update, so two requests closing at once record one closing between them.
    first_time = db.session.execute(
        sa.update(BudgetRound).where(BudgetRound.id == budget_round.id,
                                     BudgetRound.voting_closed_at.is_(None))
        .values(voting_closed_at=closed_at)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.execute(sa.update(Ballot).where(Ballot.round_id == budget_round.id)
                       .values(voter_hash=None))
    db.session.execute(sa.delete(BallotDraft).where(BallotDraft.round_id == budget_round.id))
    db.session.flush()
    db.session.refresh(budget_round, ["voting_closed_at"])
    if first_time:
        audit.record(actor, "pb.voting.close", "budget_round", budget_round.id,
                     after={"automatic": actor is None})
    return first_time


def ensure_voting_closed(budget_round: BudgetRound, actor=None,
                         now: datetime | None = None) -> None:
    """Close voting if its phase has ended (results are only ever computed on a closed vote)."""
    if budget_round.voting_closed_at is None:
        close_voting(budget_round, actor, now)


def close_ended_votes(now: datetime | None = None) -> list[int]:
    """Close every round whose voting phase has ended (ids of those closed now).

    Called lazily on every budgeting request and by `participation pb close-ended` (cron), so
    the keyed hashes are gone as soon as the phase ends, whether or not staff press a button.
    """
    now = now or utcnow()
    ended = db.session.scalars(
        sa.select(BudgetRound).join(RoundPhase, RoundPhase.round_id == BudgetRound.id)
        .where(BudgetRound.voting_closed_at.is_(None), RoundPhase.kind == "voting",
               RoundPhase.ends_at <= now)).all()
    closed = []
    for budget_round in ended:
        if _erase_links(budget_round, None, budget_round.phase("voting").ends_at):
            closed.append(budget_round.id)
    return closed
