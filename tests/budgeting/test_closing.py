"""Voting ends at its phase's end: envelopes opened and keys erased without anyone pressing a
button, and
the what-if page only reads (closing is an explicit POST or the end time passing)."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.results.tally import compare_rules
from participation.budgeting.rounds.models import Budget, BudgetRound
from participation.budgeting.voting import ballot_keys
from participation.budgeting.voting import casting as voting
from participation.budgeting.voting.models import Ballot, BallotEnvelope
from participation.core.exceptions import ServiceError
from participation.core.models import AuditEntry
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_results import _vote_profile
from tests.budgeting.test_secrecy import three_ballots
from tests.budgeting.test_voting import _cast


def _state(app, round_id):
    """Everything a GET must not change: the round, envelopes, ballots, key and the audit log."""
    with app.app_context():
        return (db.session.get(BudgetRound, round_id).voting_closed_at,
                sorted(db.session.scalars(sa.select(BallotEnvelope.lookup)), key=str),
                db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)),
                ballot_keys.load(round_id) is not None,
                db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)))


def test_what_if_get_never_closes_voting(app, client, pb, factory, auth):
    ref, _receipts = _vote_profile(app, pb, factory)
    auth.login(factory.user(roles=("staff",), language="en").email)
    before = _state(app, ref.id)
    assert before[1][0] is not None and before[3]  # envelopes and key while voting is open
    response = client.get(f"/budgeting/manage/{ref.id}/what-if")
    assert response.status_code == 302
    assert _state(app, ref.id) == before
    assert "Compare rules" not in client.get(f"/budgeting/manage/{ref.id}").text


def test_compare_rules_reads_only(app, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory)
    pb.move_to(ref.id, "results")  # the phase has ended, nobody has closed it yet
    before = _state(app, ref.id)
    with en(app):
        try:
            compare_rules(db.session.get(BudgetRound, ref.id))
        except ServiceError:
            pass
        else:
            raise AssertionError("rules were compared on an unclosed vote")
        db.session.commit()
    assert _state(app, ref.id) == before


def test_what_if_after_closing_is_a_pure_read(app, client, pb, factory, auth):
    ref, _receipts = _vote_profile(app, pb, factory, scale=1)
    pb.move_to(ref.id, "results")
    auth.login(factory.user(roles=("staff",), language="en").email)
    client.get(f"/budgeting/manage/{ref.id}")  # the end time has passed: closed on the way
    closed = _state(app, ref.id)
    assert closed[0] is not None and closed[1] == [] and closed[2] == 10 and not closed[3]
    for _ in range(2):
        assert client.get(f"/budgeting/manage/{ref.id}/what-if").status_code == 200
    assert _state(app, ref.id) == closed


def test_hashes_are_erased_once_the_phase_ends_on_any_request(app, client, pb, factory):
    ref, voters = three_ballots(app, pb)
    pb.move_to(ref.id, "results")  # the voting phase ended yesterday
    assert client.get("/budgeting/").status_code == 200  # anyone, any budgeting page
    with app.app_context():
        budget_round = db.session.get(BudgetRound, ref.id)
        assert budget_round.voting_closed_at == budget_round.phase("voting").ends_at
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 3
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0
        assert ballot_keys.load(ref.id) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "pb.voting.close")) == 1
        budget = db.session.get(Budget, ref.budget())
        assert voting.current_envelope(budget, db.session.get(User, voters[0].id)) is None
    client.get("/budgeting/")
    with app.app_context():  # closing is recorded once
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "pb.voting.close")) == 1


def test_voters_cannot_change_ballots_after_the_end(app, client, pb, factory, auth):
    ref = pb.round()
    voter = factory.user()
    _cast(app, ref, voter, {ref.proposals["city"][0]: 1})
    pb.move_to(ref.id, "results")
    auth.login(voter.email)
    response = client.post(f"/budgeting/{ref.id}/vote/{ref.budget()}/cast",
                           data={"choice": f"{ref.proposals['city'][1]}:1"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0
        [ballot] = db.session.scalars(sa.select(Ballot)).all()
        assert [c.proposal_id for c in ballot.choices] == [ref.proposals["city"][0]]


def test_cron_command_closes_ended_rounds(app, pb, factory, runner):
    ended, still_open = pb.round(), pb.round()
    for ref in (ended, still_open):
        _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
    pb.move_to(ended.id, "results")
    result = runner.invoke(args=["pb", "close-ended"])
    assert result.exit_code == 0 and str(ended.id) in result.output
    with app.app_context():
        ballots = dict(db.session.execute(sa.select(Ballot.round_id, Ballot.id)).all())
        envelopes = dict(db.session.execute(sa.select(BallotEnvelope.round_id,
                                                      BallotEnvelope.id)).all())
        assert list(ballots) == [ended.id] and list(envelopes) == [still_open.id]
        assert ballot_keys.load(ended.id) is None and ballot_keys.load(still_open.id)
        assert db.session.get(BudgetRound, still_open.id).voting_closed_at is None


def test_cron_sweeps_a_key_left_behind_by_a_stopped_closing(app, pb, factory, runner):
    from participation.budgeting.voting.closing import ERASE_KEY

    ref, still_open = pb.round(), pb.round()
    for each in (ref, still_open):
        _cast(app, each, pb.voters(1)[0], {each.proposals["city"][0]: 1})
    pb.move_to(ref.id, "results")
    with en(app):  # the closing commits, but the process stops before erasing the key
        voting.close_voting(db.session.get(BudgetRound, ref.id), None)
        db.session.info.pop(ERASE_KEY)
        db.session.commit()
        assert ballot_keys.load(ref.id) is not None
    assert runner.invoke(args=["pb", "close-ended"]).exit_code == 0
    with app.app_context():
        assert ballot_keys.load(ref.id) is None
        assert ballot_keys.load(still_open.id) is not None
