"""Results: the round's rule per budget, explanations, what-if, receipts and ballots published.

The profile used: budget 100 000; five proposals of 30 000: A1, A2, A3 and B1, B2. Six voters
approve A1-A3, four approve B1-B2. Greedy by votes funds A1, A2, A3 (90 000; B1 no longer
fits). The Method of Equal Shares gives each voter 10 000: the six pay 5 000 each for A1 and
for A2 and have nothing left for A3; the four pay 7 500 each for B1 and cannot pay B2. Raising
the shares makes it overspend before anything else changes, so it funds A1, A2, B1: the group
of four gets a proposal in proportion to its size.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa

from participation.budgeting.results.tally import publish_results
from participation.budgeting.rounds.models import BudgetResult, BudgetRound, Proposal
from participation.budgeting.voting.models import Ballot
from participation.core.exceptions import ServiceError
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_voting import _cast


def _vote_profile(app, pb, factory, rule="greedy", amount=100_000, scale=1000, **settings):
    """The profile above; scale=1 gives the same in euros/1000 (quick for pabutools' add1)."""
    ref = pb.round(rule=rule, budgets={"city": amount * scale // 1000},
                   costs={"city": [30 * scale] * 5}, **settings)
    a1, a2, a3, b1, b2 = ref.proposals["city"]
    voters = pb.voters(10)
    receipts = []
    for voter in voters[:6]:
        receipts.append(_cast(app, ref, voter, {a1: 1, a2: 1, a3: 1}).receipt_code)
    for voter in voters[6:]:
        receipts.append(_cast(app, ref, voter, {b1: 1, b2: 1}).receipt_code)
    return ref, receipts


def _publish(app, pb, ref):
    pb.move_to(ref.id, "results")
    with en(app):
        publish_results(db.session.get(BudgetRound, ref.id), None)
        db.session.commit()


def _selected(app, ref):
    with app.app_context():
        return db.session.scalar(sa.select(BudgetResult.selected))


@pytest.mark.parametrize("rule, expected", [
    ("greedy", (0, 1, 2)),
    ("greedy_no_skip", (0, 1, 2)),
    ("mes_cost_add1_until_over_budget", (0, 1, 3)),
    ("mes_cost_add1_until_over_budget_greedy", (0, 1, 3)),
])
def test_each_rule_selects_as_derived_by_hand(app, pb, factory, rule, expected):
    ref, _receipts = _vote_profile(app, pb, factory, rule=rule)
    _publish(app, pb, ref)
    ids = ref.proposals["city"]
    assert _selected(app, ref) == sorted(ids[i] for i in expected)
    with app.app_context():
        statuses = {p.id: p.status for p in db.session.scalars(sa.select(Proposal))}
        assert {pid for pid, status in statuses.items() if status == "selected"} == \
            {ids[i] for i in expected}


def test_threshold_rule_needs_its_minimum_votes(app, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory, rule="greedy_threshold", min_votes=5,
                                   amount=150_000)
    _publish(app, pb, ref)
    assert _selected(app, ref) == ref.proposals["city"][:3]  # B1, B2 would fit but have 4
    with app.app_context():
        facts = db.session.scalar(sa.select(BudgetResult.details))
    assert facts[str(ref.proposals["city"][3])]["status"] == "below_threshold"


def test_unvoted_proposals_are_never_funded(app, pb, factory):
    ref = pb.round(budgets={"city": 100_000}, costs={"city": [10_000, 10_000]})
    first, second = ref.proposals["city"]
    _cast(app, ref, pb.voters(1)[0], {first: 1})
    _publish(app, pb, ref)
    assert _selected(app, ref) == [first]  # greedy would otherwise fund the unvoted one too


def test_results_page_explains_the_rule_and_why(app, client, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory, rule="mes_cost_add1_until_over_budget")
    assert client.get(f"/budgeting/{ref.id}/results").status_code == 404  # not yet
    _publish(app, pb, ref)
    html = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}",
                      headers={"Accept-Language": "en"}).text
    assert "Method of Equal Shares" in html
    assert "Funded in step 1 of the Method of Equal Shares: its 6 supporters paid about" in html
    assert "Funded in step 3 of the Method of Equal Shares: its 4 supporters paid about" in html
    assert re.search(r"Not funded: its 6 supporters had only [^<]+ left of their equal shares",
                     html)  # A3
    assert "Not funded: its 4 supporters had only" in html  # B2, after B1 took their money


def test_greedy_explanations(app, client, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory, rule="greedy")
    _publish(app, pb, ref)
    html = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}",
                      headers={"Accept-Language": "en"}).text
    assert "Funded: number 1 by votes" in html
    assert "Not funded: number 4 by votes, but only €10,000 was left" in html


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_results_pages_render_in_every_language(app, client, pb, factory, language):
    ref, receipts = _vote_profile(app, pb, factory)
    _publish(app, pb, ref)
    for url in (f"/budgeting/{ref.id}/results", f"/budgeting/{ref.id}/results/{ref.budget()}",
                f"/budgeting/{ref.id}/results/receipts",
                f"/budgeting/{ref.id}/results/{ref.budget()}/ballots"):
        response = client.get(url, headers={"Accept-Language": language})
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.text
        assert response.text.count("<h1") == 1


def test_receipt_codes_are_published_and_checkable(app, client, pb, factory):
    ref, receipts = _vote_profile(app, pb, factory)
    _publish(app, pb, ref)
    listing = client.get(f"/budgeting/{ref.id}/results/receipts").text
    shown = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", listing)
    assert shown == sorted(receipts)
    text = client.get(f"/budgeting/{ref.id}/results/receipts.txt").text
    assert text.split() == sorted(receipts)
    check = client.get(f"/budgeting/{ref.id}/results?receipt={receipts[3].lower()}").text
    assert 'data-counted="yes"' in check
    missing = client.get(f"/budgeting/{ref.id}/results?receipt=AAAA-AAAA-AAAA").text
    assert 'data-counted="no"' in missing


def test_replaced_ballots_receipt_is_not_counted(app, client, pb, factory):
    ref = pb.round()
    voter = factory.user()
    old = _cast(app, ref, voter, {ref.proposals["city"][0]: 1}).receipt_code
    new = _cast(app, ref, voter, {ref.proposals["city"][1]: 1}).receipt_code
    _publish(app, pb, ref)
    assert 'data-counted="no"' in client.get(f"/budgeting/{ref.id}/results?receipt={old}").text
    assert 'data-counted="yes"' in client.get(f"/budgeting/{ref.id}/results?receipt={new}").text


def test_anonymous_ballots_are_published_for_recounting(app, client, pb, factory):
    ref, receipts = _vote_profile(app, pb, factory)
    _publish(app, pb, ref)
    html = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}/ballots",
                      headers={"Accept-Language": "en"}).text
    items = re.findall(r"<li>([^<]*Proposal city-[^<]*)</li>", html)
    assert len(items) == 10
    assert sum("Proposal city-1; Proposal city-2; Proposal city-3" in item
               for item in items) == 6
    assert not any(code in html for code in receipts)  # ballots and receipts stay apart
    with app.app_context():
        ids = db.session.scalars(sa.select(Ballot.id).order_by(Ballot.id)).all()
    assert len(ids) == 10


def test_results_csv(app, client, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory)
    _publish(app, pb, ref)
    response = client.get(f"/budgeting/{ref.id}/results.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["votes"] for row in rows] == ["6", "6", "6", "4", "4"]
    assert [row["selected"] for row in rows] == ["1", "1", "1", "0", "0"]
    assert {row["rule"] for row in rows} == {"greedy"}


def test_what_if_compares_rules_side_by_side(app, client, pb, factory, auth):
    ref, _receipts = _vote_profile(app, pb, factory)
    auth.login(factory.user(roles=("staff",), language="en").email)
    early = client.get(f"/budgeting/manage/{ref.id}/what-if")
    assert early.status_code == 302  # voting still open: no peeking
    pb.move_to(ref.id, "results")
    html = client.get(f"/budgeting/manage/{ref.id}/what-if").text
    for label in ("By votes (greedy)", "Method of Equal Shares"):
        assert label in html
    assert html.count("✓") == 5 * 3  # three selected under each of the five rules
    with app.app_context():
        assert db.session.get(BudgetRound, ref.id).voting_closed_at is not None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 10


def test_results_cannot_be_published_twice_or_while_voting(app, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory)
    with en(app), pytest.raises(ServiceError):
        publish_results(db.session.get(BudgetRound, ref.id), None)
    _publish(app, pb, ref)
    with en(app), pytest.raises(ServiceError):
        publish_results(db.session.get(BudgetRound, ref.id), None)


def test_staff_publish_results_button_and_cli(app, client, runner, pb, factory, auth):
    ref, _receipts = _vote_profile(app, pb, factory)
    pb.move_to(ref.id, "results")
    assert runner.invoke(args=["pb", "publish-results", str(ref.id)]).exit_code == 0
    other, _ = _vote_profile(app, pb, factory)
    pb.move_to(other.id, "results")
    auth.login(factory.user(roles=("staff",)).email)
    response = client.post(f"/budgeting/manage/{other.id}/action/publish-results")
    assert response.status_code == 302
    assert client.get(f"/budgeting/{other.id}/results").status_code == 200


def test_cumulative_results_count_points(app, client, pb, factory):
    ref = pb.round(ballot_type="cumulative", points_total=5, budgets={"city": 60_000},
                   costs={"city": [40_000, 30_000, 20_000]})
    a, b, c = ref.proposals["city"]
    _cast(app, ref, pb.voters(1)[0], {a: 5})
    _cast(app, ref, pb.voters(1)[0], {b: 3, c: 2})
    _cast(app, ref, pb.voters(1)[0], {b: 1, c: 4})
    _publish(app, pb, ref)
    assert _selected(app, ref) == sorted([a, c])  # points: c 6 then a 5 fit exactly; b 4 not
    html = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}",
                      headers={"Accept-Language": "en"}).text
    assert "Points" in html
