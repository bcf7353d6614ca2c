"""'Your picks' come from the receipt the voter holds: no table links a ballot to a person, and
looking picks up writes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from participation.budgeting.results.tally import publish_results
from participation.budgeting.rounds.models import BudgetRound
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_voting import _cast

EN = {"Accept-Language": "en"}


def _round_with_receipts(app, pb, *, many=5):
    """Worked by hand: budget 100 000 €, costs 40k, 50k, 30k, 10k, greedy by votes. `many`
    voters pick 1 and 2, one voter picks 2 and 3: 2 (6 votes, 50k) is funded, leaving 50k;
    1 (5 votes, 40k) fits, leaving 10k; 3 (1 vote, 30k) no longer fits; 4 has no votes."""
    ref = pb.round(budgets={"city": 100_000}, costs={"city": [40_000, 50_000, 30_000, 10_000]})
    p1, p2, p3, _p4 = ref.proposals["city"]
    voters = pb.voters(many + 1)
    receipts = [_cast(app, ref, voter, {p1: 1, p2: 1}).receipt_code for voter in voters[:many]]
    receipts.append(_cast(app, ref, voters[-1], {p2: 1, p3: 1}).receipt_code)
    pb.move_to(ref.id, "results")
    with en(app):
        publish_results(db.session.get(BudgetRound, ref.id), None)
        db.session.commit()
    return ref, receipts


def _row_counts(app) -> dict:
    with app.app_context():
        return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
                for table in db.metadata.sorted_tables}


def test_picks_from_a_receipt_say_what_was_funded_and_why_not(app, client, pb):
    ref, receipts = _round_with_receipts(app, pb)
    page = client.get(f"/budgeting/{ref.id}/results", query_string={"receipt": receipts[0]},
                      headers=EN).text
    assert "You picked 2 proposals.\n    2 of them were funded." in page
    other = client.get(f"/budgeting/{ref.id}/results",
                       query_string={"receipt": receipts[-1].replace("-", "").lower()},
                       headers=EN).text
    assert "You picked 2 proposals.\n    1 of them was funded." in other
    assert "Not funded: number 3 by votes, but only €10,000 was left" in other


def test_looking_up_picks_writes_nothing(app, client, pb):
    ref, receipts = _round_with_receipts(app, pb)
    before = _row_counts(app)
    for code in receipts:
        client.get(f"/budgeting/{ref.id}/results", query_string={"receipt": code}, headers=EN)
    assert _row_counts(app) == before


def test_an_unknown_code_shows_no_picks(client, app, pb):
    ref, _receipts = _round_with_receipts(app, pb)
    page = client.get(f"/budgeting/{ref.id}/results", query_string={"receipt": "AAAA-BBBB-CCCC"},
                      headers=EN).text
    assert "Not found" in page and "Your picks" not in page


def test_small_budgets_do_not_show_a_single_ballot(client, app, pb):
    ref, receipts = _round_with_receipts(app, pb, many=2)  # 3 ballots: under 5
    page = client.get(f"/budgeting/{ref.id}/results", query_string={"receipt": receipts[0]},
                      headers=EN).text
    assert "Your picks" in page and "You picked" not in page
    assert "single ballots are not shown" in page


def test_no_table_links_what_was_chosen_to_a_person(app):
    """Ballots, their choices and anything keyed by a receipt or a ballot never name a user."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            column_names = {column.name for column in table.columns}
            holds_a_ballot = table.name in ("ballot", "ballot_choice") or bool(
                column_names & {"receipt_code", "ballot_id"}) or any(
                fk.column.table.name in ("ballot", "ballot_choice")
                for column in table.columns for fk in column.foreign_keys)
            if not holds_a_ballot:
                continue
            names_a_user = [column.name for column in table.columns for fk in column.foreign_keys
                            if fk.column.table.name == "user"]
            assert not names_a_user, f"{table.name} links a ballot to a person: {names_a_user}"
            assert not column_names & {"user_id", "voter_id", "email"}, table.name
