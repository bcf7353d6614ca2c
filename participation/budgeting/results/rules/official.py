"""`official`: the rule the file's META names, as the city applied it."""

from __future__ import annotations

from fractions import Fraction

from .equal_shares import mes_add1
from .greedy import greedy_fill
from .model import (
    POINT_VOTE_TYPES,
    Election,
    Outcome,
    RuleNotApplicable,
    exact_amount,
    make_outcome,
)
from .profile import APPROVAL, POINTS, POSITIONAL, support

GREEDY_CITY_RULES = ("greedy", "greedy-threshold", "greedy-no-skip")
THRESHOLD_FIELD = "min_project_score_threshold"


def city_scores(election: Election) -> list[Fraction]:
    """What cities rank by: approvals, total points, or positional points (3, 2, 1)."""
    if election.vote_type in POINT_VOTE_TYPES:
        kind = POINTS
    elif election.vote_type == "ordinal":
        kind = POSITIONAL
    else:
        kind = APPROVAL
    return list(support(election, kind).total_score)


def _threshold(election: Election, city_rule: str) -> Fraction | None:
    raw = election.meta.get(THRESHOLD_FIELD, "").strip()
    if city_rule == "greedy-threshold" and not raw:
        raise RuleNotApplicable(f"rule greedy-threshold needs the META field {THRESHOLD_FIELD}")
    if city_rule == "greedy" or not raw:
        return None
    try:
        return exact_amount(raw)
    except (ValueError, ZeroDivisionError) as error:
        raise RuleNotApplicable(f"META {THRESHOLD_FIELD} is not a number: {raw!r}") from error


def official(election: Election, rule: str = "official") -> Outcome:
    """Tally with the city's own rule from META `rule`; other rules raise RuleNotApplicable."""
    city_rule = election.meta.get("rule", "").strip()
    if city_rule in GREEDY_CITY_RULES:
        chosen, explanations = greedy_fill(
            election,
            city_scores(election),
            stage="official",
            threshold=_threshold(election, city_rule),
            no_skip=city_rule == "greedy-no-skip",
        )
        return make_outcome(rule, election, chosen, explanations)
    if city_rule.startswith("equalshares/add1"):
        return mes_add1(election, "cost", rule, exhaustive_stop=False)
    shown = city_rule or "(none)"
    raise RuleNotApplicable(
        f"the file's rule {shown!r} is not one 'official' can apply "
        "(greedy, greedy-threshold, greedy-no-skip, equalshares/add1)"
    )
