"""Pabulib export of anonymous ballots (checked with pabutools), and rounds made from .pb files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from participation.budgeting.results.exports import export_pb
from participation.budgeting.results.pabulib import parse_pb
from participation.budgeting.results.rules import tally
from participation.budgeting.results.tally import tally_budget
from participation.budgeting.rounds.models import Budget, BudgetRound, Proposal
from participation.budgeting.voting.casting import ensure_voting_closed
from participation.budgeting.voting.models import Ballot
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_results import _publish, _selected, _vote_profile
from tests.budgeting.test_voting import _cast
from tests.conftest import SHARED

PABULIB = SHARED / "pabulib"


def _pabutools_selection(path: Path, rule: str) -> list[str]:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import (
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    instance, profile = parse_pabulib(str(path))
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    else:
        outcome = exhaustion_by_budget_increase(
            instance, profile, method_of_equal_shares,
            {"sat_class": Cost_Sat},
            budget_step=profile.num_ballots(), exhaustive_stop=False)
    return sorted(project.name for project in outcome)


@pytest.mark.parametrize("rule", ["greedy", "mes_cost_add1_until_over_budget"])
def test_exported_ballots_give_the_same_result_in_pabutools(app, client, pb, factory,
                                                            tmp_path, rule):
    ref, _receipts = _vote_profile(app, pb, factory, rule=rule, scale=1)
    _publish(app, pb, ref)
    response = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}.pb")
    assert response.status_code == 200
    path = tmp_path / "export.pb"
    path.write_text(response.text, encoding="utf-8")
    ours = [str(pid) for pid in _selected(app, ref)]
    assert _pabutools_selection(path, rule) == sorted(ours)
    election = parse_pb(path)
    assert election.num_voters == 10 and election.meta["country"] == "Finland"
    assert sorted(tally(election, "official").selected) == sorted(ours)
    assert "receipt" not in response.text.lower()
    with app.app_context():
        codes = db.session.scalars(sa.select(Ballot.receipt_code)).all()
    assert not any(code in response.text for code in codes)


def test_export_of_cumulative_ballots_keeps_points(app, pb, factory):
    ref = pb.round(ballot_type="cumulative", points_total=5, budgets={"city": 60_000},
                   costs={"city": [40_000, 30_000, 20_000]})
    a, b, c = ref.proposals["city"]
    _cast(app, ref, pb.voters(1)[0], {a: 5})
    _cast(app, ref, pb.voters(1)[0], {b: 3, c: 2})
    pb.move_to(ref.id, "results")  # ballots exist once voting has closed
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        ensure_voting_closed(budget_round)
        text = export_pb(budget_round, db.session.get(Budget, ref.budget()))
        ours = tally_budget(budget_round, db.session.get(Budget, ref.budget())).selected
    election = parse_pb(text)
    assert election.vote_type == "cumulative" and election.meta["max_sum_points"] == "5"
    assert sorted(sum(points) for points in election.points) == [5, 5]
    assert tally(election, "official").selected == ours


def test_export_needs_published_results(client, pb):
    ref = pb.round()
    assert client.get(f"/budgeting/{ref.id}/results/{ref.budget()}.pb").status_code == 404
    assert client.get(f"/budgeting/{ref.id}/results.csv").status_code == 404


@pytest.fixture
def staff_client(client, factory, auth):
    auth.login(factory.user(roles=("staff",), language="en").email)
    return client


def _upload(client, path: Path, title=""):
    return client.post("/budgeting/manage/import", data={
        "file": (io.BytesIO(path.read_bytes()), path.name), "title": title},
        content_type="multipart/form-data")


@pytest.mark.parametrize("name", ["Netherlands_Amsterdam_522.pb",
                                  "Poland_Czestochowa_2024_Mirow.pb"])
def test_round_from_a_pabulib_file_tallies_like_the_file(app, staff_client, name):
    path = PABULIB / name
    response = _upload(staff_client, path, "Harjoitus")
    assert response.status_code == 302
    election = parse_pb(path)
    with en(app):
        budget_round = db.session.scalar(sa.select(BudgetRound))
        assert budget_round.is_simulation and budget_round.published_at is None
        assert budget_round.title_fi == "Harjoitus"
        budget = budget_round.budgets[0]
        assert budget.amount == int(election.budget)
        ballots = db.session.scalar(sa.select(sa.func.count()).select_from(Ballot))
        assert ballots == sum(1 for ballot in election.ballots if ballot)
        keys = {p.id: p.source_key for p in db.session.scalars(sa.select(Proposal))}
        ours = sorted(keys[int(pid)] for pid in tally_budget(budget_round, budget).selected)
    assert ours == sorted(tally(election, "official").selected)
    what_if = staff_client.get(response.headers["Location"])
    assert what_if.status_code == 200 and "✓" in what_if.text


def test_simulation_rounds_stay_private(app, client, staff_client, factory, auth):
    _upload(staff_client, PABULIB / "Netherlands_Amsterdam_522.pb")
    with app.app_context():
        round_id = db.session.scalar(sa.select(BudgetRound.id))
    auth.logout()
    assert client.get(f"/budgeting/{round_id}").status_code == 404
    assert f'/budgeting/{round_id}"' not in client.get("/budgeting/").text
    auth.login(factory.user().email)
    assert client.get(f"/budgeting/{round_id}").status_code == 404


def _assert_import_refused(app, staff_client, content: bytes, words: str) -> None:
    """The import page answers 422 naming the problem, and no round is made."""
    response = staff_client.post("/budgeting/manage/import", data={
        "file": (io.BytesIO(content), "x.pb")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert words in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetRound)) == 0


@pytest.mark.parametrize("content, message", [
    (b"not a pabulib file", "not a valid Pabulib file"),
    (b"META\nkey;value\nbudget;100.5\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\n"
     b"VOTES\nvoter_id;vote\n1;1\n", "whole euros"),
    (b"\xff\xfe\x00", "UTF-8"),
])
def test_bad_files_are_refused_with_a_reason(app, staff_client, content, message):
    _assert_import_refused(app, staff_client, content, message)


def test_missing_file_is_refused(staff_client):
    response = staff_client.post("/budgeting/manage/import", data={"title": "x"},
                                 content_type="multipart/form-data")
    assert response.status_code == 422


def test_unvoted_proposals_are_left_out_so_pabutools_agrees(app, client, pb, factory, tmp_path):
    """Budget 100 000; votes only for the 40 000 and 30 000 proposals. Greedy over every
    proposal would also fund the unvoted 20 000 and 10 000 ones that still fit."""
    ref = pb.round(budgets={"city": 100_000})
    big, middle, small, smallest = ref.proposals["city"]
    for voter in pb.voters(9):  # 10 ballots: enough for the ballots to be published
        _cast(app, ref, voter, {big: 1, middle: 1})
    _cast(app, ref, pb.voters(1)[0], {middle: 1})
    _publish(app, pb, ref)
    assert _selected(app, ref) == [big, middle]
    text = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}.pb").text
    path = tmp_path / "unvoted.pb"
    path.write_text(text, encoding="utf-8")
    assert _pabutools_selection(path, "greedy") == sorted([str(big), str(middle)])
    election = parse_pb(path)
    assert sorted(election.project_ids) == sorted([str(big), str(middle)])
    assert election.meta["rule"] == "greedy"
    assert sorted(tally(election, "official").selected) == sorted([str(big), str(middle)])
    rows = client.get(f"/budgeting/{ref.id}/results.csv").text
    assert f",{small}," in rows and f",{smallest}," in rows  # listed there, with 0 votes


@pytest.mark.parametrize("rule, expected, comment", [
    ("greedy_no_skip", "greedy-no-skip", False),
    ("mes_cost_add1_until_over_budget", "equalshares/add1", False),
    ("mes_cost_add1_until_over_budget_greedy", "unknown", True),
])
def test_exported_rule_is_a_pabulib_rule_name(app, pb, rule, expected, comment):
    ref = pb.round(rule=rule)
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        text = export_pb(budget_round, db.session.get(Budget, ref.budget()))
    meta = parse_pb(text).meta
    assert meta["rule"] == expected
    assert ("mes_cost_add1_until_over_budget_greedy" in meta.get("comment", "")) is comment


def _pb_file(meta: str, vote_type="approval") -> bytes:
    return (f"META\nkey;value\nbudget;100\nvote_type;{vote_type}\n{meta}"
            "PROJECTS\nproject_id;cost\n1;10\n2;20\nVOTES\nvoter_id;vote\n1;1\n2;1,2\n"
            ).encode()


@pytest.mark.parametrize("content, field", [
    (_pb_file("rule;greedy-threshold\nmin_project_score_threshold;abc\n"),
     "min_project_score_threshold"),
    (_pb_file("rule;greedy-threshold\nmin_project_score_threshold;1e400\n"),
     "min_project_score_threshold"),
    (_pb_file("rule;greedy-threshold\nmin_project_score_threshold;nan\n"),
     "min_project_score_threshold"),
    (_pb_file("max_length;many\n", "ordinal"), "max_length"),
    (_pb_file("max_length;99999999999\n", "ordinal"), "max_length"),
    (_pb_file("max_length;2.5\n", "ordinal"), "max_length"),
])
def test_bad_numbers_in_an_imported_file_are_refused(app, staff_client, content, field):
    _assert_import_refused(app, staff_client, content, field)


def test_a_budget_too_big_for_the_database_is_refused_in_a_file(app, staff_client):
    content = _pb_file("").replace(b"budget;100", b"budget;" + str(10**19).encode())
    response = staff_client.post("/budgeting/manage/import", data={
        "file": (io.BytesIO(content), "x.pb")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "at most" in response.text
