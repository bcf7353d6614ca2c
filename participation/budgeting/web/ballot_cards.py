"""The ballot page's proposal cards, from the fragment cache (core/fragments.py).

A card shows a proposal (the same for every voter) in one of a few states: on the ballot or
not, fitting what is left or not, and for points ballots its points and whether one more can
be given. Each (proposal content, language, state) is rendered once per process; a page joins
its cards and puts the voter's CSRF token in each form. The key holds the proposal's row as
read on this request (ballots.CARD_COLUMNS), so an edit is seen at once in every process.

A card of a proposal hidden by a moderator is rendered every time: its text is the moderator's
public reason, which is not in the row.
"""

from __future__ import annotations

from flask import get_template_attribute, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ...core import fragments
from ..voting.ballots import Tally, card_proposal

TEMPLATE = "budgeting/_ballot_card.html"


def card_state(ballot_type: str, total: Tally, points: int, cost: int) -> tuple:
    """(points, fits, more_allowed, limit_kind), the card macro's arguments after the ballot
    type: what a card shows besides its proposal, with what its ballot type does not show set
    to one value (fewer variants to keep)."""
    if ballot_type == "cumulative":
        return points, True, total.left > 0, "points"
    if points:
        return points, True, True, total.limit_kind
    fits = (cost <= total.left) if total.limit_kind == "cost" else total.left > 0
    return 0, fits, True, total.limit_kind


def ballot_cards(budget_round, budget, rows, choices: dict[int, int], total: Tally) -> Markup:
    """The cards of `rows` (ballots.ballot_rows) for this voter's choices and running total."""
    ballot_url = url_for("budgeting.ballot", round_id=budget_round.id, budget_id=budget.id)
    language = fragments.language_key()
    token = escape(generate_csrf())  # once for every card's form
    html = []
    for row in rows:
        state = card_state(budget_round.ballot_type, total, choices.get(row.id, 0), row.cost)

        def render(row=row, state=state):
            card = get_template_attribute(TEMPLATE, "ballot_card")  # only on a miss
            return card(card_proposal(row), budget_round.ballot_type, *state, ballot_url,
                        fragments.HOLE)

        key = (None if row.moderation_state == "hidden" else
               ("ballot_card", language, budget_round.ballot_type, ballot_url, tuple(row), state))
        parts = fragments.rendered(key, render)
        html.append(fragments.fill(parts, (token,)))
    return Markup("".join(html))
