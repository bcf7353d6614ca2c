"""Casting and changing secret ballots: the double envelope.

A cast writes two things in one transaction: the voter-roll entry (who voted, never what) and a
`ballot_envelope` holding the choices and the receipt code sealed to the round's public key
(ballot_keys.py). The envelope names nobody; while voting is open the voter's own envelope is
found again, to show or replace it, through `lookup = HMAC(round secret, round|budget|user)`,
whose secret sits beside the private key outside the database. So while voting is open,
linking a person to their choices needs both the database and the key file. Closing
(closing.py) opens every envelope, writes the anonymous ballots in random order in one
transaction, destroys every envelope row and version, and erases the round's keys: after that
no copy of the database, old or new, links a ballot to anyone. The database allows one roll
entry and one envelope per voter per budget.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ...core.dialect import database_key, session_dialect
from ...core.exceptions import ServiceError
from ...core.sentinels import NOT_READ
from ...core.types import utcnow
from ...extensions import db
from ...indicators.services import record_event
from ..rounds.models import Budget, BudgetRound, RoundPhase
from ..rounds.permissions import allowed_in_round
from . import ballot_keys
from .ballot_keys import open_envelope
from .ballots import check_choices
from .eligibility import (
    budget_refusal,
    eligibility_refusal,
    roll_entry_query,
    valid_checks,
    voter_roll_entry,
)
from .end_watch import WATCH
from .models import BallotEnvelope, VoterRollEntry

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely


def lookup_hash(keys: ballot_keys.RoundKeys, budget: Budget, user_id: int) -> str:
    return keys.lookup(f"{budget.round_id}|{budget.id}|{user_id}")


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_receipt(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}" if len(raw) == 12 else raw


def current_envelope(budget: Budget, user) -> BallotEnvelope | None:
    """This voter's envelope while voting is open (afterwards nobody can find it, by design)."""
    keys = ballot_keys.load(budget.round_id)
    if keys is None:
        return None
    return db.session.scalar(_envelope_query(), {"budget_id": budget.id,
                                                 "lookup": lookup_hash(keys, budget, user.id)})


@cache
def _envelope_query() -> sa.Select:
    return sa.select(BallotEnvelope).where(BallotEnvelope.budget_id == sa.bindparam("budget_id"),
                                           BallotEnvelope.lookup == sa.bindparam("lookup"))


def current_choices(budget: Budget, user) -> dict[int, int]:
    """The choices on this voter's cast ballot while voting is open ({} if none)."""
    envelope = current_envelope(budget, user)
    if envelope is None:
        return {}
    return open_envelope(ballot_keys.load(budget.round_id), envelope)["choices"]


@dataclass(frozen=True)
class CastResult:
    receipt_code: str
    replaced: bool


def voting_not_open() -> ServiceError:
    """The one refusal for a round whose vote is not open (yet or any more)."""
    return ServiceError(_("Voting is not open in this round. Check the round's page for when "
                          "voting takes place."))


def check_can_vote(budget_round: BudgetRound, budget: Budget, user,
                   now: datetime | None = None, *,
                   entry: VoterRollEntry | None | object = NOT_READ) -> VoterRollEntry | None:
    """Raise ServiceError saying why this person cannot vote in this budget now; else their
    roll entry in it (None: not voted yet). `entry`: that entry, if the caller has read it."""
    if not (allowed_in_round(user, "vote", budget_round, now)
            and budget_round.voting_is_open(now)):
        raise voting_not_open()
    if entry is NOT_READ:
        entry = voter_roll_entry(budget, user)
    checks = valid_checks(user)  # read once for both
    refusal = eligibility_refusal(budget_round, user, now, checks) \
        or budget_refusal(budget_round, budget, user, checks, entry=entry)
    if refusal is not None:
        raise ServiceError(refusal.message)
    return entry


def insert_roll_entry(values: dict) -> VoterRollEntry | None:
    """Insert a voter-roll row unless a unique rule already holds one: the new row, returned
    by the insert itself (no second read), or None on a conflict (the same person's cast from
    another tab, or another area's budget, at the same moment)."""
    insert = pg_insert if session_dialect() == "postgresql" else sqlite_insert
    return db.session.scalar(insert(VoterRollEntry).values(**values).on_conflict_do_nothing()
                             .returning(VoterRollEntry))


@cache
def _locked_roll_entry_query() -> sa.Select:
    return roll_entry_query().with_for_update().execution_options(populate_existing=True)


def locked_roll_entry(budget: Budget, user) -> VoterRollEntry | None:
    """The person's roll entry in this budget, row-locked on PostgreSQL until the transaction
    ends (the same voter's casts from two tabs take turns); SQLite's write lock, taken by
    refuse_if_closed, already serialises every cast (and it has no FOR UPDATE)."""
    return db.session.scalar(_locked_roll_entry_query(), {
        "round_id": budget.round_id, "budget_id": budget.id, "user_id": user.id})


def claim_roll_entry(budget: Budget, user, channel: str, registered_by=None, *,
                     entry: VoterRollEntry | None | object = NOT_READ) -> tuple:
    """(locked voter-roll entry or None if the person's area slot is taken, newly created?).
    `entry`: the locked_roll_entry the caller read already in this transaction."""
    if entry is NOT_READ:
        entry = locked_roll_entry(budget, user)
    if entry is not None:
        return entry, False
    created = insert_roll_entry({
        "round_id": budget.round_id, "budget_id": budget.id, "user_id": user.id,
        "slot": budget.slot, "channel": channel, "voted_at": utcnow(),
        "registered_by_id": getattr(registered_by, "id", None)})
    if created is not None:
        return created, True
    return locked_roll_entry(budget, user), False


@dataclass(frozen=True)
class SealedBallot:
    envelope_id: str
    receipt_code: str


@cache
def _envelope_insert() -> sa.Insert:
    return BallotEnvelope.__table__.insert()


@cache
def _envelope_delete() -> sa.Delete:
    table = BallotEnvelope.__table__
    return table.delete().where(table.c.budget_id == sa.bindparam("budget_id"),
                                table.c.lookup == sa.bindparam("lookup"))


def store_ballot(budget: Budget, choices: dict[int, int], *, channel: str,
                 lookup: str | None = None, sheet_number: int | None = None,
                 keys: ballot_keys.RoundKeys | None = None) -> SealedBallot:
    """Seal the choices and a new receipt code to the round's key and store the envelope.

    The receipt code exists in clear only inside the envelope (and on the voter's screen), so
    a copy of the database taken while voting is open cannot tie a published receipt to the
    roll entry written in the same transaction once the round's key is erased."""
    keys = keys or ballot_keys.load_or_create(budget.round_id)
    receipt = new_receipt_code()
    content = {"choices": {str(pid): points for pid, points in sorted(choices.items())},
               "receipt": receipt}
    envelope_id = secrets.token_hex(16)
    db.session.execute(_envelope_insert(), {
        "id": envelope_id, "round_id": budget.round_id, "budget_id": budget.id,
        "lookup": lookup, "channel": channel, "sheet_number": sheet_number,
        "sealed": keys.seal(json.dumps(content).encode())})
    return SealedBallot(envelope_id, receipt)


@cache
def _closing_check(postgresql: bool):
    round_id = sa.bindparam("round_id")
    if postgresql:
        return (sa.select(BudgetRound.voting_closed_at).where(BudgetRound.id == round_id)
                .with_for_update(read=True))
    table = BudgetRound.__table__
    return (table.update().where(table.c.id == round_id)
            .values(voting_closed_at=table.c.voting_closed_at)
            .returning(table.c.voting_closed_at))


def refuse_if_closed(budget_round: BudgetRound) -> None:
    """Inside a cast's transaction, before it touches the ballot tables: stop if voting has
    been closed meanwhile. On PostgreSQL the row is share-locked, so a closing (which updates
    it first) waits for casts already past this point, and later casts wait for the closing
    and then see it; an envelope can never land in a round whose keys are gone. SQLite's
    driver starts the transaction only at the first write, so the check is a no-op write that
    returns the column: one statement takes the database's write lock and reads inside it."""
    closed_at = db.session.execute(_closing_check(session_dialect() == "postgresql"),
                                   {"round_id": budget_round.id}).scalar()
    if closed_at is not None:
        raise voting_not_open()


def cast_ballot(budget_round: BudgetRound, budget: Budget, user, choices: dict[int, int],
                now: datetime | None = None) -> CastResult:
    """Cast (or replace) this voter's online ballot. Refusals store nothing (roll back).

    In this order: the closing check (it locks), the voter's roll entry (locked), the checks,
    and only then the writes; a re-cast reads the roll entry once, a first cast inserts it."""
    refuse_if_closed(budget_round)
    entry = locked_roll_entry(budget, user)
    check_can_vote(budget_round, budget, user, now, entry=entry)
    choices = check_choices(budget_round, budget, choices, final=True)
    entry, created = claim_roll_entry(budget, user, "web", entry=entry)
    if entry is None:  # another area budget claimed the slot at the same moment
        raise ServiceError(_("You can vote in one area's budget per round."))
    if entry.channel != "web":
        raise ServiceError(_("You have already voted in this budget at a service point, so "
                             "you cannot vote in it online as well."))
    keys = ballot_keys.load_or_create(budget.round_id)
    hashed = lookup_hash(keys, budget, user.id)
    removed = 0 if created else db.session.execute(
        _envelope_delete(), {"budget_id": budget.id, "lookup": hashed}).rowcount
    sealed = store_ballot(budget, choices, channel="web", lookup=hashed, keys=keys)
    if created:
        record_event("ballot_cast", user=user, process=budget_round, channel="web")
    return CastResult(sealed.receipt_code, replaced=bool(removed))


def close_voting(budget_round: BudgetRound, actor, now: datetime | None = None) -> bool:
    """End voting for good: open, shuffle and publish-ready the ballots, destroy every
    envelope and erase the round's keys (closing.py). False if already closed."""
    from .closing import close_round

    now = now or utcnow()
    voting = budget_round.phase("voting")
    if voting is not None and voting.ends_at > now and budget_round.voting_closed_at is None:
        raise ServiceError(_("Voting is still open. It can be closed once the voting phase "
                             "has ended."))
    return close_round(budget_round, actor, now)


def ensure_voting_closed(budget_round: BudgetRound, actor=None,
                         now: datetime | None = None) -> None:
    """Close voting if its phase has ended (results are only ever computed on a closed vote)."""
    if budget_round.voting_closed_at is None:
        close_voting(budget_round, actor, now)


def close_ended_votes(now: datetime | None = None, *, lazily: bool = False) -> list[int]:
    """Close every round whose voting phase has ended (ids of those closed now).

    Called by `participation pb close-ended` and the scheduled job, and `lazily` on every
    budgeting request, so the envelopes and keys are gone as soon as the phase ends, whether
    or not staff press a button. A lazy call does not ask the database while this process's
    watch says that nothing can have ended since its last look (end_watch.py).
    """
    from .closing import close_round

    now = now or utcnow()
    seconds = current_app.config["VOTE_END_CHECK_SECONDS"] if lazily else 0
    database = database_key()
    if WATCH.quiet(database, now, seconds):
        return []
    changes = WATCH.changes()
    ends: dict[int, datetime] = {}  # round -> the end of its (earliest) voting phase
    for round_id, ends_at in db.session.execute(_open_votes_query()):
        ends[round_id] = min(ends_at, ends.get(round_id, ends_at))
    closed = []
    for round_id in sorted(round_id for round_id, end in ends.items() if end <= now):
        budget_round = db.session.get(BudgetRound, round_id)
        if close_round(budget_round, None, budget_round.phase("voting").ends_at):
            closed.append(budget_round.id)
    WATCH.looked(database, changes, min((end for end in ends.values() if end > now),
                                        default=None))
    return closed


@cache
def _open_votes_query() -> sa.Select:
    """Built once: it runs on budgeting requests (and SQLAlchemy keeps the cache key of a
    statement object, so a statement built once costs a fraction of a new one per request).
    A Core select of (round id, voting phase's end) for every round whose vote is not
    closed: a handful of rows, and the round is loaded only to close it."""
    rounds, phases = BudgetRound.__table__, RoundPhase.__table__
    return (sa.select(rounds.c.id, phases.c.ends_at)
            .join(phases, phases.c.round_id == rounds.c.id)
            .where(rounds.c.voting_closed_at.is_(None), phases.c.kind == "voting"))
