"""Why each proposal was or was not funded, as translated sentences from a result's facts."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from ...core.formats import format_money
from .rules.model import (
    BELOW_THRESHOLD,
    DID_NOT_FIT,
    NO_SUPPORTERS,
    NOT_AFFORDABLE,
    SELECTED,
    STOPPED_NO_SKIP,
)


def _supporters(count: int) -> str:
    return ngettext("%(num)d supporter", "%(num)d supporters", count)


def explain(facts: dict, cost: int, budget_round) -> str:
    """One or two sentences for a proposal's line in the results."""
    status, stage = facts.get("status"), facts.get("stage")
    if not facts.get("votes") and not facts.get("selected"):
        return _("Not funded: nobody voted for it.")
    if status is None:
        return ""
    if status == NO_SUPPORTERS:
        return _("Not funded: nobody voted for it.")
    if stage == "mes":
        return _explain_mes(facts, cost)
    if stage == "greedy" and facts.get("supporters_money_left") is not None:
        first = _explain_mes(facts, cost)
        if status == SELECTED:
            return _("%(first)s It was then funded from the money left over, by its votes.",
                     first=_("Its supporters could not pay for it from their equal shares."))
        return _("%(first)s It did not fit in the money left over either.", first=first)
    return _explain_greedy(facts, budget_round)


def _explain_mes(facts: dict, cost: int) -> str:
    supporters = facts.get("votes") or 0
    if facts.get("selected") and facts.get("round"):
        price = facts.get("price_per_supporter")
        if price is not None:
            return _("Funded in step %(step)d of the Method of Equal Shares: its %(supporters)s "
                     "paid about %(price)s each from their equal shares.",
                     step=facts["round"], supporters=_supporters(supporters),
                     price=format_money(price))
        return _("Funded in step %(step)d of the Method of Equal Shares: its %(supporters)s "
                 "paid its cost from their equal shares.",
                 step=facts["round"], supporters=_supporters(supporters))
    if facts.get("status") == NOT_AFFORDABLE or facts.get("supporters_money_left") is not None:
        return _("Not funded: its %(supporters)s had only %(left)s left of their equal shares "
                 "when it was its turn, less than its cost of %(cost)s.",
                 supporters=_supporters(supporters),
                 left=format_money(facts.get("supporters_money_left") or 0),
                 cost=format_money(cost))
    return _("Funded.") if facts.get("selected") else _("Not funded.")


def _explain_greedy(facts: dict, budget_round) -> str:
    status = facts.get("status")
    rank = facts.get("rank") or 0
    left = format_money(facts.get("remaining_budget"))
    if status == SELECTED:
        if facts.get("stage") == "greedy" and budget_round is not None \
                and budget_round.rule.startswith("mes"):
            return _("Funded from the money left over after the Method of Equal Shares, by "
                     "its votes.")
        return _("Funded: number %(rank)d by votes, and its cost fitted in the %(left)s still "
                 "left.", rank=rank, left=left)
    if status == DID_NOT_FIT:
        return _("Not funded: number %(rank)d by votes, but only %(left)s was left, less than "
                 "its cost.", rank=rank, left=left)
    if status == BELOW_THRESHOLD:
        minimum = budget_round.min_votes if budget_round is not None else 0
        return _("Not funded: it had fewer than the %(votes)d votes needed.", votes=minimum or 0)
    if status == STOPPED_NO_SKIP:
        return _("Not funded: funding stopped at an earlier proposal that did not fit in the "
                 "money left.")
    return _("Not funded.")
