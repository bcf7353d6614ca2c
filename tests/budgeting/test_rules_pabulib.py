"""Every rule on every shared Pabulib instance against pabutools 1.2.3 and the cities."""

from __future__ import annotations

from fractions import Fraction

import pytest

from participation.budgeting.rules import RuleNotApplicable, natural_sorted, tally
from participation.budgeting.rules.model import SELECTED

from .conftest import load_election, load_reference

pytestmark = pytest.mark.usefixtures("pabulib_dir")


def test_reference_outcome(reference_case: tuple[str, str]) -> None:
    """Same winners and same exact total cost as pabutools (status ok outcomes only)."""
    name, rule = reference_case
    expected = next(o for o in load_reference(name)["outcomes"] if o["rule"] == rule)
    outcome = tally(load_election(name), rule)
    assert list(outcome.selected) == expected["selected_project_ids"]
    assert outcome.total_cost == Fraction(expected["total_cost_exact"])


def test_official_reproduces_city_winners(official_case: str) -> None:
    """`official` gives the `selected` column (Gdynia's greedy-no-skip included)."""
    reference = load_reference(official_case)
    outcome = tally(load_election(official_case), "official")
    assert list(outcome.selected) == reference["file_selected_project_ids"]


def test_official_refuses_unknown_city_rule() -> None:
    election = load_election("Switzerland_Zurich_S5.pb")
    with pytest.raises(RuleNotApplicable, match="unknown"):
        tally(election, "official")


def test_selected_ids_are_natural_sorted_like_references(instance_name: str) -> None:
    for outcome in load_reference(instance_name)["outcomes"]:
        ids = outcome.get("selected_project_ids") or []
        assert natural_sorted(reversed(ids)) == ids


@pytest.mark.parametrize("rule", ["mes_cost_add1", "mes_cost_add1_until_over_budget_greedy"])
def test_budapest_add1_finishes_within_budget(rule: str) -> None:
    """pabutools times out here (~163,000 HUF per voter); the answer must be feasible."""
    election = load_election("Hungary_Budapest_2023_VIII_Jozsefvaros.pb")
    outcome = tally(election, rule)
    assert 0 < outcome.total_cost <= election.budget
    assert outcome.per_voter_budget > election.budget / election.num_voters
    plain = tally(election, "mes_cost")
    assert outcome.total_cost >= plain.total_cost


def test_explanations_cover_every_project(instance_name: str) -> None:
    election = load_election(instance_name)
    outcome = tally(election, "mes_cost_greedy")
    assert set(outcome.explanations) == set(election.project_ids)
    funded = {pid for pid, facts in outcome.explanations.items() if facts.status == SELECTED}
    assert funded == set(outcome.selected)
