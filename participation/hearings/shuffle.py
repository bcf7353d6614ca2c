"""Rewriting a closed hearing's anonymous rows in shuffled order.

A response is written in the same transaction as its respondent record (and its participation
event), one after the other. While the rows sit where they were written, an insider with the
database could pair them up: SQLite keeps a hidden rowid in insertion order for tables whose
key is not an integer (and for `hearing_text_answer`, whose integer key is random, the pages
still fill in order), and PostgreSQL stamps every row with the id of the transaction that wrote
it (xmin), shared by the respondent record and the response.

So when a hearing closes, its responses, answers and free-text answers are read, deleted and
inserted again in an order drawn from the operating system's randomness, all in the closing
transaction: afterwards every row carries that one transaction's id and a position that says
nothing about who answered when. Keys stay the same (they are random already), so moderation
decisions about a free-text answer still find it. PostgreSQL keeps the old row versions as dead
tuples until VACUUM; the scheduled `hearings.close_ended` task (and `participation hearings
close-ended`) runs VACUUM on these tables. SQLite deletes with `secure_delete` on, which
overwrites the old cells with zeros at once.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from ..core.dialect import session_dialect
from ..extensions import db

_random = secrets.SystemRandom()
SHUFFLED_TABLES = ("hearing_text_answer", "hearing_answer", "hearing_response")


def _rows(table: sa.Table, where) -> list[dict]:
    return [dict(row._mapping) for row in db.session.execute(sa.select(table).where(where))]


def shuffle_responses(hearing_id: int) -> int:
    """Rewrite the hearing's anonymous rows in random order; returns the number of responses."""
    tables = db.metadata.tables
    responses, answers, texts = (tables["hearing_response"], tables["hearing_answer"],
                                 tables["hearing_text_answer"])
    response_ids = sa.select(responses.c.id).where(responses.c.hearing_id == hearing_id)
    kept = {
        "hearing_response": _rows(responses, responses.c.hearing_id == hearing_id),
        "hearing_answer": _rows(answers, answers.c.response_id.in_(response_ids)),
        "hearing_text_answer": _rows(texts, texts.c.hearing_id == hearing_id),
    }
    if session_dialect() == "sqlite":
        # Zero the deleted cells: otherwise the old rows stay readable in the file's pages, in
        # the order they were written (as ballots are closed: budgeting/voting/closing.py).
        db.session.execute(sa.text("PRAGMA secure_delete = ON"))
    # Children first out, parents first back in.
    db.session.execute(sa.delete(answers).where(answers.c.response_id.in_(response_ids)))
    db.session.execute(sa.delete(texts).where(texts.c.hearing_id == hearing_id))
    db.session.execute(sa.delete(responses).where(responses.c.hearing_id == hearing_id))
    for name in ("hearing_response", "hearing_answer", "hearing_text_answer"):
        rows = kept[name]
        _random.shuffle(rows)
        for row in rows:  # one statement a row, so the order written is the shuffled order
            db.session.execute(sa.insert(tables[name]).values(**row))
    db.session.flush()
    db.session.expire_all()
    return len(kept["hearing_response"])


def vacuum(connection) -> None:
    """Drop dead row versions on PostgreSQL (outside any transaction); nothing on SQLite."""
    if connection.dialect.name != "postgresql":
        return
    autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
    for name in SHUFFLED_TABLES:
        autocommit.execute(sa.text(f"VACUUM {name}"))
