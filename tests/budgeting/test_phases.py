"""Phases cannot contradict each other: no overlap, results after voting, edits to the minute,
and a running vote ended now by staff (page with a confirmation) or the CLI (prompt or --yes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.rounds import setup as rounds
from participation.budgeting.rounds.models import BudgetRound, RoundPhase
from participation.budgeting.voting.ending import end_voting_now
from participation.budgeting.voting.models import Ballot, BallotEnvelope
from participation.core.exceptions import ServiceError
from participation.core.models import AuditEntry
from participation.core.types import utcnow
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_voting import _cast

START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _empty_round(app, pb) -> int:
    ref = pb.round(state="before", publish=False)
    with app.app_context():
        budget_round = db.session.get(BudgetRound, ref.id)
        budget_round.phases.clear()
        db.session.commit()
    return ref.id


def _set(app, round_id, kind, start, end):
    with en(app):
        budget_round = db.session.get(BudgetRound, round_id)
        try:
            rounds.set_phase(budget_round, kind, start, end, None)
        except ServiceError:
            db.session.rollback()
            raise
        db.session.commit()


def test_phases_cannot_overlap_but_may_touch(app, pb):
    round_id = _empty_round(app, pb)
    _set(app, round_id, "proposals", START, START + 10 * DAY)
    with pytest.raises(ServiceError) as refused:
        _set(app, round_id, "review", START + 9 * DAY, START + 12 * DAY)
    assert "overlaps" in refused.value.message
    _set(app, round_id, "review", START + 10 * DAY, START + 12 * DAY)  # touching is fine
    _set(app, round_id, "voting", START + 12 * DAY, START + 20 * DAY)
    with pytest.raises(ServiceError):  # moving the review's end into voting
        _set(app, round_id, "review", START + 10 * DAY, START + 13 * DAY)


def test_results_cannot_start_before_voting_ends(app, pb):
    round_id = _empty_round(app, pb)
    _set(app, round_id, "voting", START, START + 7 * DAY)
    with pytest.raises(ServiceError) as refused:
        _set(app, round_id, "results", START + 6 * DAY, START + 30 * DAY)
    assert refused.value.message == "The results phase cannot start before voting ends."
    assert refused.value.field == "starts_at"
    _set(app, round_id, "results", START + 7 * DAY, START + 30 * DAY)
    with pytest.raises(ServiceError) as longer:  # voting stretched over the results
        _set(app, round_id, "voting", START, START + 8 * DAY)
    assert longer.value.field == "ends_at"


def test_stored_seconds_never_block_an_edit(app, client, pb, factory, auth):
    ref = pb.round(state="voting")  # voting opened a day ago, at a time with seconds
    with app.app_context():
        voting = db.session.get(BudgetRound, ref.id).phase("voting")
        stored_start = voting.starts_at
        assert stored_start.second or stored_start.microsecond
        local = rounds.utc_to_helsinki(stored_start)
        results = db.session.get(BudgetRound, ref.id).phase("results")
        results_start = rounds.utc_to_helsinki(results.starts_at)
    auth.login(factory.user(roles=("staff",), language="en").email)
    # The form shows minutes only; sending back the same start with a later end must pass.
    new_end = results_start.replace(tzinfo=None, second=0, microsecond=0)
    response = client.post(f"/budgeting/manage/{ref.id}/phases", data={
        "kind": "voting", "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": new_end.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302, response.text
    with app.app_context():
        voting = db.session.get(BudgetRound, ref.id).phase("voting")
        assert voting.starts_at == stored_start  # unchanged, seconds and all
        assert voting.ends_at.second == 0
    moved = client.post(f"/budgeting/manage/{ref.id}/phases", data={
        "kind": "voting", "starts_at": (local + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": new_end.strftime("%Y-%m-%dT%H:%M")})
    assert moved.status_code == 422 and "only its end can still be moved" in moved.text


def _counts() -> tuple[int, int]:
    """(sealed envelopes, opened anonymous ballots)."""
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (BallotEnvelope, Ballot))


def test_end_voting_now_cuts_the_phase_and_closes(app, pb, factory):
    ref = pb.round(state="voting")
    _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        now = utcnow()
        end_voting_now(budget_round, db.session.get(User, pb.staff.id), now)
        db.session.commit()
        assert budget_round.voting_closed_at == now
        assert budget_round.phase("voting").ends_at == now
        assert not budget_round.voting_is_open()
        assert _counts() == (0, 1)  # the envelope opened into an anonymous ballot
        actions = set(db.session.scalars(sa.select(AuditEntry.action)))
        assert {"pb.voting.end_now", "pb.voting.close"} <= actions
        with pytest.raises(ServiceError):  # nothing left to end
            end_voting_now(budget_round, None)


def test_staff_end_voting_with_a_confirmation_page(app, client, pb, factory, auth):
    ref = pb.round(state="voting")
    resident = factory.user(language="en")
    auth.login(resident.email)
    assert client.get(f"/budgeting/manage/{ref.id}/end-voting").status_code == 403
    auth.logout()
    auth.login(factory.user(roles=("staff",), language="en").email)
    manage = client.get(f"/budgeting/manage/{ref.id}")
    assert f"/budgeting/manage/{ref.id}/end-voting" in manage.text
    page = client.get(f"/budgeting/manage/{ref.id}/end-voting")
    assert page.status_code == 200 and "Yes, end voting now" in page.text
    with app.app_context():  # the GET only asks
        assert db.session.get(BudgetRound, ref.id).voting_closed_at is None
    done = client.post(f"/budgeting/manage/{ref.id}/end-voting")
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(BudgetRound, ref.id).voting_closed_at is not None
        entry = db.session.scalar(sa.select(AuditEntry)
                                  .where(AuditEntry.action == "pb.voting.end_now"))
        assert entry.actor_id is not None
    again = client.get(f"/budgeting/manage/{ref.id}/end-voting")
    assert again.status_code == 302  # nothing to confirm any more


def test_cli_asks_before_ending_a_running_vote(app, pb, runner):
    ref = pb.round(state="voting")
    _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
    declined = runner.invoke(args=["pb", "close-voting", str(ref.id)], input="n\n")
    assert declined.exit_code != 0 and "still open" in declined.output
    with app.app_context():
        assert _counts() == (1, 0)  # still sealed: voting goes on
    agreed = runner.invoke(args=["pb", "close-voting", str(ref.id)], input="y\n")
    assert agreed.exit_code == 0, agreed.output
    with app.app_context():
        assert _counts() == (0, 1)
        assert db.session.scalar(sa.select(AuditEntry.action)
                                 .where(AuditEntry.action == "pb.voting.end_now"))


def test_cli_yes_ends_without_asking(app, pb, runner):
    ref = pb.round(state="voting")
    result = runner.invoke(args=["pb", "close-voting", str(ref.id), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        budget_round = db.session.get(BudgetRound, ref.id)
        assert budget_round.voting_closed_at is not None
        phase = db.session.scalar(sa.select(RoundPhase).filter_by(round_id=ref.id,
                                                                  kind="voting"))
        assert phase.ends_at <= utcnow()
