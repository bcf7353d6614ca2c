"""Closing a round's vote: open the envelopes, shuffle, write anonymous ballots, destroy the rest.

Why each step (docs/threat-model.md has the whole threat model):

- The ballots are written here, never by a cast, all in this one transaction: on PostgreSQL
  every `ballot` and `ballot_choice` row then carries the closing's transaction id in
  `xmin`, so joining system columns with the voter roll, participation events or audit rows
  names nobody. The rows are inserted in a random order (SystemRandom) with random ids, so
  neither SQLite's rowid nor PostgreSQL's physical order follows the order of casting.
- Every envelope of the round is destroyed. PostgreSQL keeps deleted and updated row versions
  in the table's file until VACUUM, so the ballot tables are emptied with TRUNCATE (which
  gives them a new, empty file and drops the old one with every dead version at commit) and
  the rows that must stay (other rounds' ballots and the envelopes of rounds still voting)
  are written back. SQLite deletes with `secure_delete` on, which overwrites the deleted
  cells and freed pages with zeros; after the commit the file is also VACUUMed.
- The round's voter-roll rows are rewritten in the same transaction, so their live versions
  carry the closing's transaction id too rather than the cast's.
- The round's key file is overwritten and removed only after the commit succeeded (a rolled
  back closing must still be able to open the envelopes). From then on no backup, however
  old, can open an envelope of this round, and the lookup hashes in it are unkeyed noise.
"""

from __future__ import annotations

import logging
import random
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...core import audit
from ...core.dialect import session_dialect
from ...extensions import db
from ..rounds.models import BudgetRound
from . import ballot_keys
from .models import Ballot, BallotChoice, BallotEnvelope, VoterRollEntry

log = logging.getLogger(__name__)
ERASE_KEY = "pb_erase_ballot_keys"
_shuffle = random.SystemRandom().shuffle


def close_round(budget_round: BudgetRound, actor, closed_at) -> bool:
    """Close voting of the round for good; False if it was closed already (nothing done)."""
    # A conditional update, so two requests closing at once record one closing between them.
    # It comes first: on PostgreSQL it waits for casts that share-locked the row (voting.
    # refuse_if_closed) and makes later casts wait, then refuse.
    first_time = db.session.execute(
        sa.update(BudgetRound).where(BudgetRound.id == budget_round.id,
                                     BudgetRound.voting_closed_at.is_(None))
        .values(voting_closed_at=closed_at)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(budget_round, ["voting_closed_at"])
    if not first_time:
        return False
    postgresql = session_dialect() == "postgresql"
    if postgresql:
        db.session.execute(sa.text(
            "LOCK TABLE ballot_envelope, ballot, ballot_choice IN ACCESS EXCLUSIVE MODE"))
    else:
        db.session.execute(sa.text("PRAGMA secure_delete = ON"))
    ballots, choices = _opened_ballots(budget_round)
    if postgresql:
        _rewrite_postgresql(budget_round, ballots, choices)
    else:
        db.session.execute(sa.delete(BallotEnvelope).where(
            BallotEnvelope.round_id == budget_round.id))
        _insert(ballots, choices)
    # New row versions for the round's roll, written by this transaction.
    db.session.execute(sa.update(VoterRollEntry).where(
        VoterRollEntry.round_id == budget_round.id)
        .values(slot=VoterRollEntry.slot).execution_options(synchronize_session=False))
    db.session.flush()
    db.session.info.setdefault(ERASE_KEY, set()).add(budget_round.id)
    audit.record(actor, "pb.voting.close", "budget_round", budget_round.id,
                 after={"automatic": actor is None, "ballots": len(ballots)})
    return True


def _opened_ballots(budget_round: BudgetRound) -> tuple[list[dict], list[dict]]:
    """The round's envelopes opened into ballot and choice rows, in a random order."""
    envelopes = db.session.scalars(sa.select(BallotEnvelope).where(
        BallotEnvelope.round_id == budget_round.id)).all()
    if not envelopes:
        return [], []
    keys = ballot_keys.load(budget_round.id)
    if keys is None:
        raise RuntimeError(f"the ballot key of round {budget_round.id} is missing: its "
                           f"{len(envelopes)} envelopes cannot be opened")
    opened = [(envelope, ballot_keys.open_envelope(keys, envelope)) for envelope in envelopes]
    _shuffle(opened)
    ballots, choices = [], []
    for envelope, content in opened:
        ballot_id = secrets.token_hex(16)
        ballots.append({"id": ballot_id, "round_id": envelope.round_id,
                        "budget_id": envelope.budget_id, "receipt_code": content["receipt"],
                        "channel": envelope.channel, "sheet_number": None})
        choices.extend({"ballot_id": ballot_id, "proposal_id": pid, "points": points}
                       for pid, points in sorted(content["choices"].items()))
    for envelope in envelopes:
        db.session.expunge(envelope)
    return ballots, choices


def _insert(ballots: list[dict], choices: list[dict]) -> None:
    for start in range(0, len(ballots), 5000):
        db.session.execute(sa.insert(Ballot), ballots[start:start + 5000])
    for start in range(0, len(choices), 5000):
        db.session.execute(sa.insert(BallotChoice), choices[start:start + 5000])


def _rows(table, where=None) -> list[dict]:
    statement = sa.select(table)
    if where is not None:
        statement = statement.where(where)
    return [dict(row._mapping) for row in db.session.execute(statement)]


def _rewrite_postgresql(budget_round: BudgetRound, ballots: list[dict],
                        choices: list[dict]) -> None:
    """TRUNCATE the ballot tables (old file and dead versions gone) and write back what stays."""
    kept_ballots = _rows(Ballot.__table__)
    kept_choices = _rows(BallotChoice.__table__)
    kept_envelopes = _rows(BallotEnvelope.__table__,
                           BallotEnvelope.__table__.c.round_id != budget_round.id)
    db.session.execute(sa.text("TRUNCATE ballot_choice, ballot, ballot_envelope"))
    _shuffle(kept_envelopes)
    for start in range(0, len(kept_envelopes), 2000):
        db.session.execute(sa.insert(BallotEnvelope), kept_envelopes[start:start + 2000])
    _insert(kept_ballots + ballots, kept_choices + choices)


def sweep_keys() -> list[int]:
    """Erase key files left behind by rounds that are closed (or gone) and hold no envelope:
    a process stopped between a closing's commit and its erasure. Ids of rounds swept."""
    swept = []
    for path in sorted(ballot_keys.key_dir().glob("round-*.key")):
        try:
            round_id = int(path.stem.removeprefix("round-"))
        except ValueError:
            continue
        budget_round = db.session.get(BudgetRound, round_id)
        envelopes = db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)
                                      .where(BallotEnvelope.round_id == round_id))
        if envelopes == 0 and (budget_round is None
                               or budget_round.voting_closed_at is not None):
            ballot_keys.erase(round_id)
            swept.append(round_id)
    return swept


@sa.event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """Erase the keys of rounds closed by the transaction just committed (never before)."""
    rounds = session.info.pop(ERASE_KEY, None)
    if not rounds:
        return
    for round_id in rounds:
        ballot_keys.erase(round_id)
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        _vacuum_sqlite(bind)


@sa.event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(ERASE_KEY, None)


def _vacuum_sqlite(bind) -> None:
    """Rebuild the file so no page of the closed round's envelopes survives (secure_delete
    has already zeroed them; this also compacts the free pages away). Best effort: another
    connection's open transaction makes VACUUM wait and then give up."""
    engine = getattr(bind, "engine", bind)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")
    except sa.exc.OperationalError as error:
        log.warning("VACUUM after closing a vote did not run: %s", error)
