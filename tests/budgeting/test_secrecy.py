"""Ballot secrecy: sealed envelopes under per-round keys while open; closing erases the keys."""

from __future__ import annotations

import hashlib
import hmac
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.rounds.models import Budget, BudgetRound
from participation.budgeting.voting import casting as voting
from participation.budgeting.voting.models import Ballot, BallotEnvelope
from participation.core.exceptions import ServiceError
from participation.core.models import AuditEntry
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture, sealed_ballots  # noqa: F401  (pb)
from tests.budgeting.test_voting import _cast

BALLOT_TABLES = ("ballot", "ballot_choice", "ballot_envelope")


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
    pb.move_to(ref.id, "results")
    _close(app, ref)
    with app.app_context():
        ids = db.session.scalars(sa.select(Ballot.id)).all()
    assert len(set(ids)) == 5 and all(len(i) == 32 for i in ids)
    assert not all(i.isdigit() for i in ids)


def test_envelopes_are_sealed_to_a_round_key_kept_outside_the_database(app, pb, factory):
    ref = pb.round()
    voter = pb.voters(1)[0]
    chosen = ref.proposals["city"][0]
    result = _cast(app, ref, voter, {chosen: 1})
    with app.app_context():
        envelope = db.session.scalar(sa.select(BallotEnvelope))
        folder = Path(app.config["BALLOT_KEY_DIR"])
        key_file = folder / f"round-{ref.id}.key"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        raw = key_file.read_bytes()
        # The lookup hash is keyed with the round's secret from the key file.
        expected = hmac.new(raw[32:], f"{ref.id}|{ref.budget()}|{voter.id}".encode(),
                            hashlib.sha256).hexdigest()
        assert envelope.lookup == expected
        # Neither the receipt nor the choices are readable in the database.
        sealed = bytes(envelope.sealed)
        assert result.receipt_code.encode() not in sealed
        assert b"choices" not in sealed and b"receipt" not in sealed  # (random bytes else)
        dump = "\n".join(str(row) for table in db.metadata.sorted_tables
                         for row in db.session.execute(sa.select(table)).all())
        assert raw.hex() not in dump and result.receipt_code not in dump


def test_each_round_has_its_own_keys_apart_from_the_identity_key(app, pb, factory):
    """Finding 3: one ballot key shared by every round and the identity hashes, never erased."""
    from participation.budgeting.voting import ballot_keys
    from participation.budgeting.voting.identity import identity_secret

    first, second = pb.round(), pb.round()
    for ref in (first, second):
        _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
    with app.app_context():
        one, two = ballot_keys.load(first.id), ballot_keys.load(second.id)
        assert bytes(one.private) != bytes(two.private)
        assert one.lookup_secret != two.lookup_secret
        assert identity_secret() not in (one.lookup_secret, two.lookup_secret)
        lookups = set(db.session.scalars(sa.select(BallotEnvelope.lookup)))
        assert len(lookups) == 2


def test_configured_key_folder_and_identity_key_are_used(app, pb, factory, tmp_path):
    from datetime import date

    from participation.budgeting.voting.identity import identity_key

    ref = pb.round()
    folder = tmp_path / "keys"
    default = app.config["BALLOT_KEY_DIR"]
    app.config["BALLOT_KEY_DIR"] = str(folder)
    try:
        _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][0]: 1})
        assert (folder / f"round-{ref.id}.key").exists()
        with app.app_context():
            before = identity_key("Ella Esimerkki", date(1990, 5, 1))
            app.config["IDENTITY_KEY"] = "another-identity-key"
            assert identity_key("Ella Esimerkki", date(1990, 5, 1)) != before
    finally:
        app.config["BALLOT_KEY_DIR"] = default
        app.config.pop("IDENTITY_KEY", None)


def _close(app, ref):
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        first = voting.close_voting(budget_round, None)
        db.session.commit()
        return first


def three_ballots(app, pb):
    """A voting round where three people voted (one of them twice)."""
    ref = pb.round()
    voters = pb.voters(3)
    for voter in voters:
        _cast(app, ref, voter, {ref.proposals["city"][0]: 1})
    _cast(app, ref, voters[0], {ref.proposals["city"][1]: 1})
    return ref, voters


def test_closing_opens_every_envelope_and_erases_the_round_key(app, pb, factory):
    from participation.budgeting.voting import ballot_keys

    ref, voters = three_ballots(app, pb)
    other = pb.round()  # still voting: its envelopes and key survive the closing
    _cast(app, other, voters[1], {other.proposals["city"][2]: 1})
    receipts = sorted(ballot["receipt"] for ballot in sealed_ballots(app, ref.id))
    with en(app), pytest.raises(ServiceError):
        voting.close_voting(db.session.get(BudgetRound, ref.id), None)  # still open
    pb.move_to(ref.id, "results")
    assert _close(app, ref) is True
    with app.app_context():
        assert not (Path(app.config["BALLOT_KEY_DIR"]) / f"round-{ref.id}.key").exists()
        assert ballot_keys.load(ref.id) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)
                                 .where(BallotEnvelope.round_id == ref.id)) == 0
        ballots = db.session.scalars(sa.select(Ballot).where(Ballot.round_id == ref.id)).all()
        assert sorted(ballot.receipt_code for ballot in ballots) == receipts
        assert sorted(c.proposal_id for b in ballots for c in b.choices) == sorted(
            [ref.proposals["city"][1], ref.proposals["city"][0], ref.proposals["city"][0]])
        assert db.session.scalar(sa.select(AuditEntry.action)
                                 .where(AuditEntry.action == "pb.voting.close")) is not None
        # Nobody, not even with the key folder, finds a voter's ballot any more.
        budget = db.session.get(Budget, ref.budget())
        assert voting.current_envelope(budget, db.session.get(User, voters[0].id)) is None
    assert [b["choices"] for b in sealed_ballots(app, other.id)] == [
        {other.proposals["city"][2]: 1}]
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
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 1
    assert runner.invoke(args=["pb", "close-voting", "999999"]).exit_code != 0


def test_publishing_results_closes_voting_first(app, pb, factory):
    from participation.budgeting.results.tally import publish_results

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
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0


def test_personal_data_export_has_no_ballot_choices(app, client, pb, factory, auth):
    ref = pb.round()
    voter = factory.user()
    _cast(app, ref, voter, {ref.proposals["city"][2]: 1})
    auth.login(voter.email)
    data = client.get("/profile/my-data.json").get_json()
    section = data["participatory_budgeting"]
    assert section["voted"][0]["budget_id"] == ref.budget()
    assert set(section["voted"][0]) == {"round_id", "budget_id", "channel", "voted_at"}
    assert "ballot_drafts" not in section
