"""The lazy close asks the database only when a vote may have ended since the process last
looked (voting/end_watch.py), and still closes every vote at its end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from participation.budgeting.rounds.models import BudgetRound, RoundPhase
from participation.budgeting.voting.end_watch import EndWatch
from participation.core.types import utcnow
from participation.extensions import db
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.clock import Clock
from tests.statements import counted

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
OPEN_VOTES = "SELECT budget_round.id, round_phase.ends_at"  # voting/casting.py



def test_the_watch_looks_again_at_the_next_end_after_a_change_and_after_its_time():
    clock = Clock(0.0)
    watch = EndWatch(clock)
    assert not watch.quiet("a", NOW, 10)  # never looked
    watch.looked("a", watch.changes(), NOW + timedelta(minutes=5))
    assert watch.quiet("a", NOW, 10)
    assert not watch.quiet("b", NOW, 10)  # another database: its own look
    assert not watch.quiet("a", NOW + timedelta(minutes=5), 10)  # the earliest vote has ended
    assert not watch.quiet("a", NOW, 0)  # 0: look on every request
    clock.now = 10.0
    assert not watch.quiet("a", NOW, 10)  # another process may have moved an end
    watch.looked("a", watch.changes(), None)  # no open vote at all
    assert watch.quiet("a", NOW + timedelta(days=400), 10)
    before = watch.changes()
    watch.changed()  # this process committed a change to a phase
    assert not watch.quiet("a", NOW, 10)
    watch.looked("a", before, None)  # a look that began before the change does not count
    assert not watch.quiet("a", NOW, 10)


def _looks(app, client, path="/budgeting/"):
    with counted(app) as statements:
        assert client.get(path).status_code == 200
    return sum(OPEN_VOTES in statement for statement in statements)


def test_a_page_looks_only_when_a_vote_may_have_ended(app, client, pb):
    ref = pb.round()
    assert _looks(app, client) == 1  # a round was added: look
    assert _looks(app, client) == 0  # nothing can have ended since
    pb.move_to(ref.id, "results")  # this process moved the phases: look, and close
    assert _looks(app, client) == 1
    with app.app_context():
        budget_round = db.session.get(BudgetRound, ref.id)
        assert budget_round.voting_closed_at == budget_round.phase("voting").ends_at


def test_a_change_made_elsewhere_is_seen_within_the_check_time(app, client, pb, monkeypatch):
    ref = pb.round()
    _looks(app, client)
    with app.app_context(), db.engine.begin() as connection:  # as another process would
        connection.execute(sa.update(RoundPhase).where(
            RoundPhase.round_id == ref.id, RoundPhase.kind == "voting").values(
            ends_at=utcnow() - timedelta(minutes=1)))
    assert _looks(app, client) == 0  # not yet: within VOTE_END_CHECK_SECONDS
    monkeypatch.setitem(app.config, "VOTE_END_CHECK_SECONDS", 0)
    assert _looks(app, client) == 1
    with app.app_context():
        assert db.session.get(BudgetRound, ref.id).voting_closed_at is not None
