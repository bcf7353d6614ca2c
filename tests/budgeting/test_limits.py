"""Big numbers in budgeting forms: a translated error next to the field, never a 500.

Money goes up to 10**12 euros (BIGINT columns); counts stay far below PostgreSQL's 32-bit
INTEGER. Runs on both databases (PARTICIPATION_TEST_DB).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.budgeting.rounds.limits import MAX_EUROS
from participation.budgeting.rounds.models import Budget, BudgetRound, Proposal
from participation.core.formats import format_number
from participation.extensions import db
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.i18n_helpers import translated

HUGE = str(10**30)
TOO_MUCH = str(MAX_EUROS + 1)
ROUND = {"title_fi": "x", "title_sv": "x", "ballot_type": "approval", "rule": "greedy",
         "min_age": "12", "min_verification": "self_declared", "area_id": ""}


def _between(app, lowest, highest, language="en"):
    """The limits written the locale's way: 1–1 000 000 000 000, never 1–1000000000000."""
    return translated(app, "Enter a number from %(min)s to %(max)s.", language,
                      min=format_number(lowest, locale=language),
                      max=format_number(highest, locale=language))


@pytest.fixture
def staff(client, factory, auth):
    auth.login(factory.user(roles=("staff",), language="sv").email)


@pytest.mark.parametrize("cost", [HUGE, TOO_MUCH])
def test_resident_proposal_cost_has_a_maximum(app, client, pb, factory, auth, cost):
    ref = pb.round(state="proposals", costs={})
    auth.login(factory.user(language="sv").email)
    response = client.post(f"/budgeting/{ref.id}/propose", data={
        "budget": ref.budget(), "title": "x", "description": "x", "cost": cost,
        "language": "fi"})
    assert response.status_code == 422
    assert 'id="cost-error"' in response.text
    assert _between(app, 1, MAX_EUROS, "sv") in response.text
    error = response.text.split('id="cost-error">', 1)[1].split("</p>", 1)[0]
    assert str(MAX_EUROS) not in error
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0


def test_the_largest_cost_and_budget_fit_their_columns(app, client, pb, staff):
    ref = pb.round(state="review", budgets={"city": 100_000}, costs={})
    set_budget = client.post(f"/budgeting/manage/{ref.id}/budgets",
                             data={"area": "", "amount": str(MAX_EUROS)})
    assert set_budget.status_code == 302
    response = client.post(f"/budgeting/manage/{ref.id}/proposals/new", data={
        "budget": ref.budget(), "cost": str(MAX_EUROS), "title_fi": "x", "title_sv": "x"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Proposal.cost)) == MAX_EUROS
        assert db.session.scalar(sa.select(Budget.amount)) == MAX_EUROS


@pytest.mark.parametrize("value", [HUGE, TOO_MUCH])
def test_staff_money_fields_have_a_maximum(app, client, pb, staff, value):
    ref = pb.round(state="review", costs={})
    proposal = client.post(f"/budgeting/manage/{ref.id}/proposals/new", data={
        "budget": ref.budget(), "cost": value, "title_fi": "x", "title_sv": "x"})
    assert proposal.status_code == 422 and 'id="cost-error"' in proposal.text
    amount = client.post(f"/budgeting/manage/{ref.id}/budgets", data={"area": "",
                                                                       "amount": value})
    assert amount.status_code == 422 and 'id="amount-error"' in amount.text
    split = client.post(f"/budgeting/manage/{ref.id}/budgets", data={
        "split": "1", "total": value, "city_wide_percent": "20"})
    assert split.status_code == 422 and 'id="total-error"' in split.text
    assert _between(app, 1, MAX_EUROS, "sv") in split.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0


@pytest.mark.parametrize("settings, field", [
    ({"ballot_type": "k_approval", "max_choices": HUGE}, "max_choices"),
    ({"ballot_type": "k_approval", "max_choices": str(2**31)}, "max_choices"),
    ({"ballot_type": "cumulative", "rule": "greedy", "points_total": HUGE}, "points_total"),
    ({"rule": "greedy_threshold", "min_votes": str(2**31)}, "min_votes"),
    ({"max_age": HUGE}, "max_age"),
    ({"min_age": HUGE}, "min_age"),
])
def test_round_numbers_have_a_maximum(app, client, staff, settings, field):
    response = client.post("/budgeting/manage/new", data={**ROUND, **settings})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetRound)) == 0


@pytest.mark.parametrize("number", [HUGE, str(2**31)])
def test_sheet_number_has_a_maximum(app, client, pb, staff, number):
    ref = pb.round()
    response = client.post(f"/budgeting/manage/{ref.id}/in-person/{ref.budget()}",
                           data={"sheet_number": number, "channel": "paper",
                                 "proposal": str(ref.proposals["city"][0])})
    assert response.status_code == 422
    assert 'id="sheet_number-error"' in response.text
