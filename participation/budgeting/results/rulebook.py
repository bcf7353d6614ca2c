"""The tally rules a round can choose, in words residents understand, mapped onto the engine.

Greedy variants run through the engine's `official` rule with the city rule named in META (so
cumulative ballots rank by points, approval ballots by approvals); Method of Equal Shares uses
the engine's pabutools-compatible keys directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

APPROVAL_TYPES = ("approval", "k_approval")
ALL_TYPES = ("approval", "k_approval", "cumulative")


@dataclass(frozen=True)
class RoundRule:
    key: str
    label: object
    explanation: object
    engine_key: str
    ballot_types: tuple[str, ...]
    city_rule: str | None = None  # META "rule" for the engine's `official`
    proportional: bool = False
    meta: dict = field(default_factory=dict)


GREEDY_TEXT = _l(
    "Proposals are ranked by their votes, most votes first. Going down the list, each proposal "
    "is funded if its cost still fits in the money left; one that does not fit is skipped and "
    "the next one is tried.")
THRESHOLD_TEXT = _l(
    "Proposals are ranked by their votes, most votes first, but only proposals with at least "
    "%(votes)s votes can be funded. Going down the list, each is funded if its cost still fits "
    "in the money left; one that does not fit is skipped.")
NO_SKIP_TEXT = _l(
    "Proposals are ranked by their votes, most votes first, and funded in that order until the "
    "first proposal whose cost no longer fits in the money left. Funding stops there, even if a "
    "cheaper proposal further down would still fit.")
MES_TEXT = _l(
    "The budget is divided into equal shares, one for each voter. A "
    "proposal is funded when its supporters can pay its cost together from their shares, and "
    "the proposals that need the least money from each supporter go first. This way every group "
    "of voters gets a part of the budget in proportion to its size, not only the largest group. "
    "The shares are raised step by step as far as the budget allows.")
MES_GREEDY_TEXT = _l(
    "First the Method of Equal Shares funds proposals in "
    "proportion to the groups of voters supporting them. Money that is left over then goes to "
    "the remaining proposals by their votes, most votes first, as long as they fit.")

ROUND_RULES: dict[str, RoundRule] = {
    rule.key: rule
    for rule in (
        RoundRule("greedy", _l("By votes (greedy)"), GREEDY_TEXT, "official", ALL_TYPES,
                  city_rule="greedy"),
        RoundRule("greedy_threshold", _l("By votes, with a minimum number of votes"),
                  THRESHOLD_TEXT, "official", ALL_TYPES, city_rule="greedy-threshold"),
        RoundRule("greedy_no_skip", _l("By votes, stopping at the first that does not fit"),
                  NO_SKIP_TEXT, "official", ALL_TYPES, city_rule="greedy-no-skip"),
        RoundRule("mes_cost_add1_until_over_budget", _l("Method of Equal Shares"), MES_TEXT,
                  "mes_cost_add1_until_over_budget", APPROVAL_TYPES, proportional=True),
        RoundRule("mes_cost_add1_until_over_budget_greedy",
                  _l("Method of Equal Shares, leftover money by votes"), MES_GREEDY_TEXT,
                  "mes_cost_add1_until_over_budget_greedy", APPROVAL_TYPES, proportional=True),
        RoundRule("mes_cardinal_add1", _l("Method of Equal Shares (points)"), MES_TEXT,
                  "mes_cardinal_add1", ("cumulative",), proportional=True),
        RoundRule("mes_cardinal_add1_greedy",
                  _l("Method of Equal Shares (points), leftover money by points"),
                  MES_GREEDY_TEXT, "mes_cardinal_add1_greedy", ("cumulative",),
                  proportional=True),
        # The product's convention (equalshares.net Add1) for points ballots: shares raised
        # by 1 until MES would overspend, without stopping at the first exhaustive outcome.
        RoundRule("mes_cardinal_add1_until_over_budget",
                  _l("Method of Equal Shares (points), shares raised until the budget is spent"),
                  MES_TEXT, "mes_cardinal_add1_until_over_budget", ("cumulative",),
                  proportional=True),
        RoundRule("mes_cardinal_add1_until_over_budget_greedy",
                  _l("Method of Equal Shares (points), shares raised until the budget is spent, "
                     "leftover money by points"),
                  MES_GREEDY_TEXT, "mes_cardinal_add1_until_over_budget_greedy", ("cumulative",),
                  proportional=True),
    )
}


def offered_rules() -> list[tuple[str, object]]:
    """(key, label) of every round rule the engine can run, for the round form."""
    from .rules import RULES

    return [(key, rule.label) for key, rule in ROUND_RULES.items() if rule.engine_key in RULES]


BALLOT_TYPE_LABELS = {
    "approval": _l("Approval within the budget (choose proposals whose total cost fits)"),
    "k_approval": _l("Approval of at most k proposals"),
    "cumulative": _l("Cumulative (spread N points)"),
}
VERIFICATION_LABELS = {
    "self_declared": _l("Account details given by the person (self-declared)"),
    "staff_verified": _l("Identity checked in person by city staff"),
    "identity_provider": _l("Identity verified by an identity provider"),
}


def rules_for(ballot_type: str) -> list[RoundRule]:
    return [rule for rule in ROUND_RULES.values() if ballot_type in rule.ballot_types]


def rule_explanation(budget_round) -> str:
    """The round's rule in plain language (translated at call time)."""
    rule = ROUND_RULES.get(budget_round.rule)
    if rule is None:
        return ""
    if rule.key == "greedy_threshold":
        return str(THRESHOLD_TEXT) % {"votes": budget_round.min_votes or 0}
    return str(rule.explanation)


def who_votes(budget_round) -> str:
    """Who votes and in which budgets, as the round's budgets really are (translated now)."""
    if budget_round.area is not None:
        return str(_l("For residents of %(area)s.")) % {"area": budget_round.area.name}
    city_wide = any(budget.area_id is None for budget in budget_round.budgets)
    by_area = any(budget.area_id is not None for budget in budget_round.budgets)
    if city_wide and by_area:
        return str(_l("For residents of Espoo. You vote in the city-wide budget and in one "
                      "major area's budget."))
    if by_area:
        return str(_l("For residents of Espoo. You vote in your own major area's budget."))
    if city_wide:
        return str(_l("For residents of Espoo. You vote in the city-wide budget."))
    return str(_l("For residents of Espoo."))


def engine_call(budget_round, rule_key: str | None = None) -> tuple[str, dict[str, str]]:
    """(engine rule key, META fields) to tally a budget of this round with `rule_key`."""
    rule = ROUND_RULES[rule_key or budget_round.rule]
    meta: dict[str, str] = {}
    if rule.city_rule:
        meta["rule"] = rule.city_rule
        if rule.key == "greedy_threshold":
            meta["min_project_score_threshold"] = str(budget_round.min_votes or 0)
    return rule.engine_key, meta
