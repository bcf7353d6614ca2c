"""A round as its ballot page reads it, kept per process while the database says it holds.

Fifty thousand voters open the same round's ballot page in a few days. What the page shows
of the round (its settings, phases, budgets and their areas, each budget's proposal cards)
changes a handful of times a day; reading it again on every page cost three of the page's
five statements. So each process keeps the round it read, with the `data_version` it was
read at. The database's triggers move that version on at every change of the round, its
phases, budgets or proposals, or an area, whoever writes (migration 99fe59179f4f). The page
reads the version in a statement it sends anyway (with the voter's roll entry,
voting/eligibility.version_and_roll_entry) and uses the kept round only if the version is
the same; otherwise it reads the round again. So nothing is ever out of date and no other
process has to be told.

The kept objects are read in a session of their own and detached from it: shared by the
process's threads, read only, never added to a request's session. What a ballot page needs
of them is loaded before they are kept (a lazy load on them would fail): the round, its
phases, its budgets with their areas and round, the round's area. A page that writes reads
the round in its own session as before (voting/casting.py locks and reads it fresh).
ROUND_SNAPSHOT_ENTRIES = 0 turns the cache off (every page reads the round).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from ...core.lru import LruCache, app_cache
from ...extensions import db
from .models import Budget, BudgetRound

EXTENSION = "round_snapshots"


@dataclass
class Snapshot:
    """A round (detached, see above) as read at `version`, and the proposal cards of its
    budgets (budget id -> ballot rows) as pages have asked for them."""

    version: int
    budget_round: BudgetRound
    rows: dict[int, list[sa.Row]] = field(default_factory=dict)

    def budget(self, budget_id: int) -> Budget | None:
        return next((b for b in self.budget_round.budgets if b.id == budget_id), None)

    def rows_of(self, budget: Budget, read) -> list[sa.Row]:
        """The budget's ballot rows, read by `read(budget)` the first time a page asks.
        Read after the version was: never older than it (a change in between moved the
        version on, so the next page reads the whole round again)."""
        rows = self.rows.get(budget.id)
        if rows is None:
            rows = self.rows[budget.id] = read(budget)  # (threads: the last one's stays)
        return rows


@cache
def _round_query() -> sa.Select:
    return (sa.select(BudgetRound).where(BudgetRound.id == sa.bindparam("round_id"))
            .options(joinedload(BudgetRound.area), selectinload(BudgetRound.phases),
                     selectinload(BudgetRound.budgets).joinedload(Budget.area)))


def read_round(round_id: int) -> Snapshot | None:
    """The round with everything its ballot page reads of it, detached, and its version."""
    with Session(db.engine) as session:
        budget_round = session.scalar(_round_query(), {"round_id": round_id})
        if budget_round is None:
            return None
        for child in (*budget_round.phases, *budget_round.budgets):
            child.round  # noqa: B018  (the identity map's: no statement; loaded before detaching)
        session.expunge_all()
    return Snapshot(budget_round.data_version, budget_round)


def _cache() -> LruCache[Snapshot] | None:
    return app_cache(EXTENSION, lambda app: int(app.config.get("ROUND_SNAPSHOT_ENTRIES") or 0))


def snapshot(round_id: int, version: int) -> Snapshot | None:
    """The round as the database holds it at `version` (read just now by the caller): the
    process's copy if it is of that version, else read again (None: no such round)."""
    kept = _cache()
    found = kept.get(round_id) if kept is not None else None
    if found is not None and found.version == version:
        return found
    found = read_round(round_id)
    if found is not None and kept is not None:
        kept.put(round_id, found)
    return found
