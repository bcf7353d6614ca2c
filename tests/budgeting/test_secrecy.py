"""Ballot secrecy: nothing in the ballot tables leads to a person; hashes die at closing."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting import voting
from participation.budgeting.models import Ballot, BallotDraft, Budget, BudgetRound
from participation.core.exceptions import ServiceError
from participation.core.models import AuditEntry
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_voting import _cast

BALLOT_TABLES = ("ballot", "ballot_choice")


@pytest.mark.parametrize("table", BALLOT_TABLES)
def test_ballot_tables_have_no_user_reference_in_the_database(app, table):
    with app.app_context():
        inspector = sa.inspect(db.engine)
        columns = {column["name"] for column in inspector.get_columns(table)}
        foreign = inspector.get_foreign_keys(table)
    assert not any("user" in name for name in columns), columns
    assert {fk["referred_table"] for fk in foreign} <= {"budget_round", "budget", "ballot",
                                                        "proposal"}
    assert not any(name in columns for name in ("created_at", "cast_at", "updated_at"))


def test_ballot_ids_are_random_not_sequential(app, pb, factory):
    ref = pb.round()
    for _ in range(5):
        _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
    with app.app_context():
        ids = db.session.scalars(sa.select(Ballot.id)).all()
    assert len(set(ids)) == 5 and all(len(i) == 32 for i in ids)
    assert not all(i.isdigit() for i in ids)


def test_voter_hash_is_a_keyed_hash_with_the_key_outside_the_database(app, pb, factory):
    ref = pb.round()
    voter = pb.voters(1)[0]
    _cast(app, ref, voter, {ref.proposals["city"][0]: 1})
    with app.app_context():
        stored = db.session.scalar(sa.select(Ballot.voter_hash))
        key_file = Path(app.instance_path) / "ballot_key"
        key = app.config.get("BALLOT_KEY") or key_file.read_text().strip()
        expected = hmac.new(key.encode(), f"{ref.id}|{ref.budget()}|{voter.id}".encode(),
                            hashlib.sha256).hexdigest()
        assert stored == expected
        plain = hashlib.sha256(f"{ref.id}|{ref.budget()}|{voter.id}".encode()).hexdigest()
        assert stored != plain
        dump = "\n".join(str(row) for table in db.metadata.sorted_tables
                         for row in db.session.execute(sa.select(table)).all())
        assert key not in dump


def test_configured_ballot_key_overrides_the_instance_file(app, pb, factory):
    ref = pb.round()
    voter = pb.voters(1)[0]
    app.config["BALLOT_KEY"] = "override-key"
    try:
        _cast(app, ref, voter, {ref.proposals["city"][0]: 1})
        with app.app_context():
            stored = db.session.scalar(sa.select(Ballot.voter_hash))
        assert stored == hmac.new(b"override-key", f"{ref.id}|{ref.budget()}|{voter.id}"
                                  .encode(), hashlib.sha256).hexdigest()
    finally:
        app.config.pop("BALLOT_KEY")


def _close(app, ref):
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        first = voting.close_voting(budget_round, None)
        db.session.commit()
        return first


def three_ballots_and_a_draft(app, pb):
    """A voting round where three people voted and one of them has a draft open."""
    ref = pb.round()
    voters = pb.voters(3)
    for voter in voters:
        _cast(app, ref, voter, {ref.proposals["city"][0]: 1})
    with app.app_context():
        db.session.add(BallotDraft(round_id=ref.id, budget_id=ref.budget(),
                                   user_id=voters[0].id, choices={"1": 1}))
        db.session.commit()
    return ref, voters


def test_closing_erases_every_hash_and_draft(app, pb, factory):
    ref, voters = three_ballots_and_a_draft(app, pb)
    with en(app), pytest.raises(ServiceError):
        voting.close_voting(db.session.get(BudgetRound, ref.id), None)  # still open
    pb.move_to(ref.id, "results")
    assert _close(app, ref) is True
    with app.app_context():
        hashes = db.session.scalars(sa.select(Ballot.voter_hash)).all()
        assert hashes == [None, None, None]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotDraft)) == 0
        assert db.session.scalar(sa.select(AuditEntry.action)
                                 .where(AuditEntry.action == "pb.voting.close")) is not None
        # Nobody, not even with the key, finds a voter's ballot any more.
        budget = db.session.get(Budget, ref.budget())
        assert voting.current_ballot(budget, db.session.get(User, voters[0].id)) is None
    assert _close(app, ref) is False


def test_cli_closes_voting(app, pb, factory, runner):
    ref = pb.round()
    _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
    refused = runner.invoke(args=["pb", "close-voting", str(ref.id)])
    assert refused.exit_code != 0
    pb.move_to(ref.id, "results")
    result = runner.invoke(args=["pb", "close-voting", str(ref.id)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(Ballot.voter_hash)) is None
    assert runner.invoke(args=["pb", "close-voting", "999999"]).exit_code != 0


def test_publishing_results_closes_voting_first(app, pb, factory):
    from participation.budgeting.results import publish_results

    ref = pb.round()
    _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
    with en(app), pytest.raises(ServiceError):
        publish_results(db.session.get(BudgetRound, ref.id), None)
    pb.move_to(ref.id, "results")
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        publish_results(budget_round, None)
        db.session.commit()
        assert budget_round.voting_closed_at is not None
        assert db.session.scalar(sa.select(Ballot.voter_hash)) is None


def test_personal_data_export_has_no_ballot_choices(app, client, pb, factory, auth):
    ref = pb.round()
    voter = factory.user()
    _cast(app, ref, voter, {ref.proposals["city"][2]: 1})
    auth.login(voter.email)
    data = client.get("/profile/my-data.json").get_json()
    section = data["participatory_budgeting"]
    assert section["voted"][0]["budget_id"] == ref.budget()
    assert set(section["voted"][0]) == {"round_id", "budget_id", "channel", "voted_at"}
    assert section["ballot_drafts"] == []
