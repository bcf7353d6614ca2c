"""When a process next has to look for ended votes (the lazy close on budgeting requests).

Every budgeting request used to ask the database whether some round's voting phase had ended
without being closed. Nearly always nothing had, so each process now remembers, from its
last look, when the earliest open vote ends, and looks again only when:

- that moment has passed (a vote is closed by the first request after its end, as before);
- this process committed a change to a round or a phase (a new round, moved dates, an early
  end): `_touched` below marks such a transaction, and its commit makes the next request look;
- VOTE_END_CHECK_SECONDS have passed (another app server, the job worker or a shell changed
  the dates: seen within that time; 0 looks on every request).

Nothing of the vote's secrecy waits for it: a cast re-checks that voting is open under a lock
(casting.refuse_if_closed), and the scheduled job closes ended rounds whether or not anyone
visits. Each process keeps its own watch (app servers stay stateless).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..rounds.models import BudgetRound, RoundPhase

TOUCHED = "pb_vote_dates_touched"  # Session.info: this transaction may have moved an end


class EndWatch:
    """Per database: the earliest end among open votes as of the last look, and when that
    look was (one process may serve several apps: the tests do)."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._changes = 0  # committed changes to phases or rounds in this process, any database
        self._seen: dict[object, tuple[int, float, datetime | None]] = {}  # changes, when, end

    def quiet(self, database: object, now: datetime, seconds: float) -> bool:
        """True while nothing can have ended in `database`: no need to look."""
        seen = self._seen.get(database)
        if seen is None or seconds <= 0:
            return False
        changes, looked_at, next_end = seen
        return (changes == self._changes and self.clock() < looked_at + seconds
                and (next_end is None or now < next_end))

    def looked(self, database: object, changes: int, next_end: datetime | None) -> None:
        """Record a look that began when `changes` (see `changes()`) was current."""
        with self._lock:
            self._seen[database] = (changes, self.clock(), next_end)

    def changes(self) -> int:
        return self._changes

    def changed(self) -> None:
        with self._lock:
            self._changes += 1


WATCH = EndWatch()


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    """A phase added, changed or removed, or a round added or removed. A round's own
    changes do not count: closing only takes a vote off the list (and SQLite's casts take
    their write lock with an UPDATE of the round)."""
    if any(isinstance(obj, RoundPhase) for obj in (*session.new, *session.dirty,
                                                   *session.deleted)) \
            or any(isinstance(obj, BudgetRound) for obj in (*session.new, *session.deleted)):
        session.info[TOUCHED] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if state.is_select:
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in (None, RoundPhase.__tablename__):
        state.session.info[TOUCHED] = True  # raw SQL, or an insert, update or delete of phases


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(TOUCHED, False):
        WATCH.changed()


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(TOUCHED, None)
