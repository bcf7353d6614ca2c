"""Participatory-budgeting tally rules, exact and matching pabutools 1.2.3.

`tally(election, "mes_cost")` returns an Outcome; `RULES` maps every rule key to a callable
taking an Election. See model.Outcome / model.ProjectExplanation for the result's shape.
"""

from __future__ import annotations

from collections.abc import Callable

from .equal_shares import mes, mes_add1, mes_then_greedy
from .greedy import greedy_welfare
from .model import (
    Election,
    Outcome,
    ProjectExplanation,
    RuleNotApplicable,
    UnknownRule,
    format_amount,
    natural_key,
    natural_sorted,
)
from .official import official

Rule = Callable[[Election], Outcome]


def _greedy(satisfaction: str, key: str) -> Rule:
    return lambda election: greedy_welfare(election, satisfaction, key)


def _mes(satisfaction: str, key: str, completion: str | None = None) -> Rule:
    def rule(election: Election) -> Outcome:
        outcome = mes(election, satisfaction, key)
        return mes_then_greedy(election, outcome, completion, key) if completion else outcome

    return rule


def _add1(satisfaction: str, key: str, exhaustive_stop: bool, completion: str | None) -> Rule:
    def rule(election: Election) -> Outcome:
        outcome = mes_add1(election, satisfaction, key, exhaustive_stop)
        return mes_then_greedy(election, outcome, completion, key) if completion else outcome

    return rule


RULES: dict[str, Rule] = {
    # Greedy utilitarian welfare (pabutools greedy_utilitarian_welfare).
    "greedy_cost": _greedy("cost", "greedy_cost"),
    "greedy_cardinality": _greedy("cardinality", "greedy_cardinality"),
    "greedy_cardinal": _greedy("cardinal", "greedy_cardinal"),
    "greedy_total_score": _greedy("total_score", "greedy_total_score"),
    "greedy_total_points": _greedy("total_points", "greedy_total_points"),
    # Method of Equal Shares.
    "mes_cost": _mes("cost", "mes_cost"),
    "mes_cardinality": _mes("cardinality", "mes_cardinality"),
    "mes_cardinal": _mes("cardinal", "mes_cardinal"),
    "mes_cost_greedy": _mes("cost", "mes_cost_greedy", "cost"),
    "mes_cardinal_greedy": _mes("cardinal", "mes_cardinal_greedy", "cardinal"),
    "mes_cost_add1": _add1("cost", "mes_cost_add1", True, None),
    "mes_cost_add1_greedy": _add1("cost", "mes_cost_add1_greedy", True, "cost"),
    "mes_cardinal_add1": _add1("cardinal", "mes_cardinal_add1", True, None),
    "mes_cardinal_add1_greedy": _add1("cardinal", "mes_cardinal_add1_greedy", True, "cardinal"),
    "mes_cost_add1_until_over_budget": _add1(
        "cost", "mes_cost_add1_until_over_budget", False, None
    ),
    "mes_cost_add1_until_over_budget_greedy": _add1(
        "cost", "mes_cost_add1_until_over_budget_greedy", False, "cost"
    ),
    "mes_cardinal_add1_until_over_budget": _add1(
        "cardinal", "mes_cardinal_add1_until_over_budget", False, None
    ),
    "mes_cardinal_add1_until_over_budget_greedy": _add1(
        "cardinal", "mes_cardinal_add1_until_over_budget_greedy", False, "cardinal"
    ),
    # The city's own rule from the file's META.
    "official": official,
}


def tally(election: Election, rule_key: str) -> Outcome:
    """Run one rule; UnknownRule for a bad key, RuleNotApplicable if it cannot apply."""
    try:
        rule = RULES[rule_key]
    except (KeyError, TypeError):
        known = ", ".join(sorted(RULES))
        raise UnknownRule(f"unknown rule {rule_key!r}; known rules: {known}") from None
    return rule(election)


__all__ = [
    "RULES",
    "Election",
    "Outcome",
    "ProjectExplanation",
    "RuleNotApplicable",
    "UnknownRule",
    "format_amount",
    "natural_key",
    "natural_sorted",
    "tally",
]
