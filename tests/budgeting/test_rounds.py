"""Rounds: texts per language, phases in Helsinki time, budgets and their split, frozen rules."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
import sqlalchemy as sa

from participation.budgeting.rounds import setup as rounds
from participation.budgeting.rounds.models import Budget, BudgetRound, RoundPhase
from participation.core.exceptions import ServiceError
from participation.core.models import AuditEntry
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)

# --- split_budget -----------------------------------------------------------------------------


def test_split_budget_example():
    split = rounds.split_budget(1_000_000, {"north": 100, "south": 300})
    assert split.city_wide == 200_000
    assert split.areas == {"north": 200_000, "south": 600_000}


def test_split_budget_gives_leftover_euros_to_largest_remainders():
    split = rounds.split_budget(100, [("a", 1), ("b", 1), ("c", 1)], Fraction(0))
    assert split.city_wide == 0
    assert sorted(split.areas.values()) == [33, 33, 34]
    assert split.areas["a"] == 34  # ties go to the earlier part
    assert split.total == 100


def test_split_budget_properties_on_random_inputs():
    rng = random.Random(20261123)
    for _ in range(500):
        total = rng.randint(0, 10**9)
        areas = {f"area{i}": rng.randint(0, 100_000) for i in range(rng.randint(1, 9))}
        if sum(areas.values()) == 0:
            areas["area0"] = 1
        share = Fraction(rng.randint(0, 100), 100)
        split = rounds.split_budget(total, areas, share)
        assert split.total == total
        assert all(isinstance(v, int) and v >= 0 for v in [split.city_wide, *split.areas.values()])
        assert abs(split.city_wide - total * share) < 1
        people = sum(areas.values())
        for key, population in areas.items():
            assert abs(split.areas[key] - total * (1 - share) * population / people) < 1


@pytest.mark.parametrize("total, areas, share", [
    (-1, {"a": 1}, Fraction(1, 5)),
    (10.5, {"a": 1}, Fraction(1, 5)),
    (100, {"a": 0}, Fraction(1, 5)),
    (100, {"a": -1, "b": 2}, Fraction(1, 5)),
    (100, {"a": 1}, Fraction(6, 5)),
])
def test_split_budget_refuses_bad_input(total, areas, share):
    with pytest.raises(ValueError):
        rounds.split_budget(total, areas, share)


def test_apply_split_makes_one_budget_per_area_and_one_city_wide(app, pb):
    ref = pb.round(state="before", budgets={}, costs={}, publish=False)
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        split = rounds.apply_budget_split(budget_round, 8_000_000, Fraction(1, 5), None)
        db.session.commit()
        budgets = budget_round.budgets
        assert len(budgets) == 8
        assert sum(b.amount for b in budgets) == 8_000_000
        assert budget_round.city_budget.amount == split.city_wide == 1_600_000
        assert len({b.area_id for b in budget_round.area_budgets}) == 7


def test_one_budget_per_area_is_a_database_rule(app, pb):
    ref = pb.round(state="before", budgets={"city": 1000}, costs={}, publish=False)
    with app.app_context():
        db.session.add(Budget(round_id=ref.id, area_id=None, scope_key="city", amount=5))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


# --- texts and publishing ---------------------------------------------------------------------

@pytest.mark.parametrize("missing", ["title_fi", "title_sv", "description_fi", "description_sv"])
def test_publishing_needs_finnish_and_swedish(app, pb, missing):
    ref = pb.round(state="before", publish=False)
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        setattr(budget_round, missing, "")
        with pytest.raises(ServiceError) as refused:
            rounds.publish_round(budget_round, None)
        assert refused.value.field == missing
        assert budget_round.published_at is None


def test_publishing_without_english_is_fine(app, pb):
    ref = pb.round(state="before", publish=False)
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        budget_round.title_en = budget_round.description_en = ""
        rounds.publish_round(budget_round, None)
        assert budget_round.published_at is not None


def test_unpublished_round_is_hidden_from_residents(client, pb, factory, auth):
    ref = pb.round(state="before", publish=False)
    assert client.get(f"/budgeting/{ref.id}").status_code == 404
    auth.login(factory.user().email)
    assert client.get(f"/budgeting/{ref.id}").status_code == 404
    auth.logout()
    auth.login(factory.user(roles=("staff",)).email)
    assert client.get(f"/budgeting/{ref.id}").status_code == 200


# --- phases -----------------------------------------------------------------------------------

def test_helsinki_time_is_stored_as_utc():
    summer = rounds.helsinki_to_utc(datetime(2026, 6, 1, 0, 30))
    winter = rounds.helsinki_to_utc(datetime(2026, 12, 1, 0, 30))
    assert summer == datetime(2026, 5, 31, 21, 30, tzinfo=UTC)
    assert winter == datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    assert rounds.utc_to_helsinki(summer).hour == 0


def test_phase_form_is_read_as_helsinki_time_and_shown_so(app, client, factory, auth, pb):
    ref = pb.round(state="before", publish=False)
    auth.login(factory.user(roles=("staff",)).email)
    response = client.post(f"/budgeting/manage/{ref.id}/phases", data={
        "kind": "proposals", "starts_at": "2026-06-01T00:30", "ends_at": "2026-06-10T12:00"})
    assert response.status_code == 302
    with app.app_context():
        phase = db.session.scalar(sa.select(RoundPhase).filter_by(round_id=ref.id,
                                                                  kind="proposals"))
        assert phase.starts_at == datetime(2026, 5, 31, 21, 30, tzinfo=UTC)
    html = client.get(f"/budgeting/manage/{ref.id}", headers={"Accept-Language": "fi"}).text
    assert "1.6.2026 0.30" in html


def test_phase_must_end_after_it_starts(client, factory, auth, pb):
    ref = pb.round(state="before", publish=False)
    auth.login(factory.user(roles=("staff",)).email)
    response = client.post(f"/budgeting/manage/{ref.id}/phases", data={
        "kind": "review", "starts_at": "2026-06-10T00:00", "ends_at": "2026-06-01T00:00"})
    assert response.status_code == 422
    assert 'id="ends_at-error"' in response.text


def test_phases_must_follow_each_other(app, pb):
    ref = pb.round(state="before", publish=False)  # voting in 5 days
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        voting = budget_round.phase("voting")
        with pytest.raises(ServiceError):
            rounds.set_phase(budget_round, "results", voting.starts_at - timedelta(days=1),
                             voting.starts_at, None)


def test_phase_changes_are_audited(app, pb):
    ref = pb.round(state="before", publish=False)
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        voting = budget_round.phase("voting")
        rounds.set_phase(budget_round, "results", voting.ends_at,
                         voting.ends_at + timedelta(days=3), None)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "pb.phase.set")) == 1


# --- rule and ballot frozen once voting opens ---------------------------------------------------

@pytest.mark.parametrize("change", [{"rule": "mes_cost_add1_until_over_budget"},
                                    {"ballot_type": "k_approval", "max_choices": 3},
                                    {"min_votes": 5}])
def test_rule_and_ballot_cannot_change_after_voting_opened(app, pb, change):
    ref = pb.round(state="voting")
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        with pytest.raises(ServiceError) as refused:
            rounds.update_round(budget_round, None, **change)
        assert "voting has opened" in refused.value.message
        db.session.rollback()
        assert db.session.get(BudgetRound, ref.id).rule == "greedy"


def test_rule_can_change_before_voting_and_texts_always(app, pb):
    ref = pb.round(state="proposals")
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        rounds.update_round(budget_round, None, rule="mes_cost_add1_until_over_budget_greedy")
        assert budget_round.rule == "mes_cost_add1_until_over_budget_greedy"
    ref = pb.round(state="voting")
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        rounds.update_round(budget_round, None, title_en="New title")
        assert budget_round.title_en == "New title"


@pytest.mark.parametrize("settings, field", [
    ({"ballot_type": "k_approval"}, "max_choices"),
    ({"ballot_type": "cumulative", "rule": "greedy"}, "points_total"),
    ({"ballot_type": "cumulative", "points_total": 10,
      "rule": "mes_cost_add1_until_over_budget"}, "rule"),
    ({"rule": "greedy_threshold"}, "min_votes"),
    ({"rule": "no_such_rule"}, "rule"),
    ({"min_age": 15, "max_age": 12}, "max_age"),
    ({"min_verification": "telepathy"}, "min_verification"),
])
def test_bad_settings_are_refused(app, settings, field):
    with en(app):
        with pytest.raises(ServiceError) as refused:
            rounds.create_round(None, title_fi="x", **settings)
        assert refused.value.field == field


def test_budget_cannot_change_after_voting_opened(app, pb):
    ref = pb.round(state="voting")
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        with pytest.raises(ServiceError):
            rounds.set_budget(budget_round, None, 1, None)


def test_staff_create_round_through_the_form(app, client, factory, auth):
    auth.login(factory.user(roles=("staff",)).email)
    response = client.post("/budgeting/manage/new", data={
        "title_fi": "Nuorten budjetti", "title_sv": "Ungdomsbudget", "ballot_type": "cumulative",
        "points_total": "10", "rule": "mes_cardinal_add1", "min_age": "12", "max_age": "17",
        "area_id": "", "min_verification": "self_declared"})
    assert response.status_code == 302
    with app.app_context():
        created = db.session.scalar(sa.select(BudgetRound))
        assert (created.ballot_type, created.points_total, created.max_age) == ("cumulative",
                                                                                 10, 17)
    bad = client.post("/budgeting/manage/new", data={
        "title_fi": "x", "ballot_type": "k_approval", "rule": "greedy", "min_age": "12",
        "min_verification": "self_declared", "area_id": ""})
    assert bad.status_code == 422
    assert 'id="max_choices-error"' in bad.text
