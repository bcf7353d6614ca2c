"""Rules compared in public, against the hand-worked profile of test_results.py: budget
100 000, five proposals of 30 000; six voters approve A1-A3, four approve B1-B2.

The Method of Equal Shares funds A1, A2 and B1: every one of the ten voters gets a pick funded.
Greedy by votes funds A1, A2 and A3: the four B voters get nothing, 6 of 10 = 60 %. Both spend
90 000."""

from __future__ import annotations

from fractions import Fraction

from participation.budgeting.results.comparison import compare_with_greedy
from participation.budgeting.rounds.models import BudgetRound
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_results import _publish, _vote_profile

EN = {"Accept-Language": "en"}


def test_figures_match_the_hand_worked_round(app, client, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory, rule="mes_cost_add1_until_over_budget",
                                   scale=1)
    a1, a2, a3, b1, _b2 = ref.proposals["city"]
    _publish(app, pb, ref)
    with en(app):
        [row] = compare_with_greedy(db.session.get(BudgetRound, ref.id))
        assert row.official.selected == {a1, a2, b1}
        assert row.greedy.selected == {a1, a2, a3}
        assert (row.official.spent, row.greedy.spent) == (90, 90)
        assert (row.official.voters_reached, row.greedy.voters_reached) == (10, 6)
        assert row.official.reached_share == 1 and row.greedy.reached_share == Fraction(3, 5)
        assert [p.id for p in row.only_official] == [b1]
        assert [p.id for p in row.only_greedy] == [a3]
    page = client.get(f"/budgeting/{ref.id}/results", headers=EN).text
    assert "The official rule beside the greedy rule" in page
    assert "100%" in page and "60%" in page  # English: British percent style


def test_shares_are_hidden_under_five_voters(app, pb, factory):
    ref = pb.round(rule="mes_cost_add1_until_over_budget", budgets={"city": 100},
                   costs={"city": [30, 30]})
    from tests.budgeting.test_voting import _cast

    for voter in pb.voters(3):
        _cast(app, ref, voter, {ref.proposals["city"][0]: 1})
    _publish(app, pb, ref)
    with en(app):
        [row] = compare_with_greedy(db.session.get(BudgetRound, ref.id))
        assert row.official.voters == 3 and row.official.reached_share is None


def test_no_comparison_when_the_official_rule_is_greedy(app, client, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory, rule="greedy", scale=1)
    _publish(app, pb, ref)
    with en(app):
        assert compare_with_greedy(db.session.get(BudgetRound, ref.id)) == []
    assert "beside the greedy rule" not in client.get(f"/budgeting/{ref.id}/results",
                                                      headers=EN).text
