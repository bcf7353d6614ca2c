"""The ballot page's proposal cards and the content around them, from the fragment cache
(core/fragments.py).

A card shows a proposal (the same for every voter) in one of a few states: on the ballot or
not, fitting what is left or not, and for points ballots its points and whether one more can
be given. Each (proposal content, language, state) is rendered once per process; a page joins
its cards and puts the voter's CSRF token in each form. The key holds the proposal's row as
read on this request (ballots.CARD_COLUMNS), so an edit is seen at once in every process.

A card of a proposal hidden by a moderator is rendered every time: its text is the moderator's
public reason, which is not in the row.

The content around the cards (the round's link, the heading, the instructions, the review
buttons) is the same for every voter of a budget in one of four states; it is kept per round
version (rounds/snapshots.py: any change to the round, its budgets, proposals or areas moves
it on), budget, language and state, with holes for the voter's running total and cards. The
page's title is kept the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import get_template_attribute, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ...core import fragments
from ..voting.ballots import Tally, card_proposal

TEMPLATE = "budgeting/_ballot_card.html"
BODY = "budgeting/_ballot_body.html"


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
    ballot_type = budget_round.ballot_type

    def piece(row) -> tuple:
        state = card_state(ballot_type, total, choices.get(row.id, 0), row.cost)

        def render():
            card = get_template_attribute(TEMPLATE, "ballot_card")  # only on a miss
            return card(card_proposal(row), ballot_type, *state, ballot_url, fragments.HOLE)

        key = (None if row.moderation_state == "hidden" else
               ("ballot_card", language, ballot_type, ballot_url, tuple(row), state))
        return key, render

    cards = fragments.rendered_each(map(piece, rows))
    return Markup(fragments.fill_each(cards, generate_csrf()))  # every card's form has it


def ballot_body(version: int, budget_round, budget, *, has_voted: bool, chosen: bool
                ) -> Callable[[Markup, Markup], Markup]:
    """The page's content as a function of the voter's running total and cards (markup);
    `version`: the round's data version the page read (rounds/snapshots.py)."""
    key = ("ballot_body", fragments.language_key(), budget_round.id, version, budget.id,
           has_voted, chosen)
    return lambda total, cards: fragments.piece(
        BODY, "ballot_body", key, (total, cards), budget_round, budget, has_voted, chosen,
        fragments.HOLE)


def ballot_title(version: int, budget_round, budget) -> Markup:
    """The page's title (as ballot_body keeps the content)."""
    key = ("ballot_title", fragments.language_key(), budget_round.id, version, budget.id)
    return fragments.piece(BODY, "ballot_title", key, (), budget_round, budget)
