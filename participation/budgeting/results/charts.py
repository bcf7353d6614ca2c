"""The figures behind a budget's result charts, computed from its stored result only.

Each chart is drawn as inline SVG by templates/budgeting/_charts.html and always comes with a
table of the same numbers, so nothing depends on JavaScript or on seeing the picture. Geometry
is computed here (plain numbers in the SVG's own units), the template only places it.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 400  # the SVG's viewBox width; it scales to the page
ROW_HEIGHT = 54
COLUMN_AREA = 200  # height of the cumulative-spending plot


@dataclass(frozen=True)
class ProposalBar:
    proposal_id: int
    title: str
    votes: int
    points: int
    cost: int
    selected: bool
    y: int
    votes_width: float
    cost_width: float


@dataclass(frozen=True)
class Step:
    """A winner in the order the rule funded it, with the money spent up to it."""

    number: int
    proposal_id: int
    title: str
    cost: int
    cumulative: int
    left: int
    stage: str | None
    supporters: int
    price_per_supporter: float | None
    x: float
    width: float
    height: float


@dataclass(frozen=True)
class BudgetCharts:
    bars: list[ProposalBar]
    bars_height: int
    steps: list[Step]
    budget: int
    budget_y: float
    scale_max: int
    plot_height: int
    mes: bool  # the rule funded winners in MES steps: show what each winner cost its supporters

    @property
    def spent(self) -> int:
        return self.steps[-1].cumulative if self.steps else 0


def _order(facts: dict) -> tuple:
    """MES steps first (by step), then winners funded by votes (by rank)."""
    return (facts.get("stage") != "mes", facts.get("round") or facts.get("rank") or 0)


def budget_charts(budget_amount: int, rows: list[dict]) -> BudgetCharts:
    """`rows`: the results page's rows (proposal, facts, selected), in the page's order."""
    most_votes = max((row["facts"].get("votes") or 0 for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        proposal, facts = row["proposal"], row["facts"]
        votes = facts.get("votes") or 0
        bars.append(ProposalBar(
            proposal_id=proposal.id, title=proposal.title, votes=votes,
            points=facts.get("points") or 0, cost=proposal.cost, selected=row["selected"],
            y=index * ROW_HEIGHT,
            votes_width=round(WIDTH * 0.8 * votes / most_votes, 1),
            cost_width=round(WIDTH * 0.8 * min(proposal.cost, budget_amount) / budget_amount, 1)
            if budget_amount else 0))
    winners = sorted((row for row in rows if row["selected"]),
                     key=lambda row: (_order(row["facts"]), row["proposal"].id))
    total = sum(row["proposal"].cost for row in winners)
    scale_max = max(budget_amount, total) or 1
    slot = WIDTH / max(len(winners), 1)
    steps, spent = [], 0
    for number, row in enumerate(winners, start=1):
        spent += row["proposal"].cost
        facts = row["facts"]
        steps.append(Step(
            number=number, proposal_id=row["proposal"].id, title=row["proposal"].title,
            cost=row["proposal"].cost, cumulative=spent, left=budget_amount - spent,
            stage=facts.get("stage"), supporters=facts.get("votes") or 0,
            price_per_supporter=facts.get("price_per_supporter"),
            x=round((number - 1) * slot + slot * 0.15, 1), width=round(slot * 0.7, 1),
            height=round(COLUMN_AREA * spent / scale_max, 1)))
    return BudgetCharts(
        bars=bars, bars_height=max(len(bars), 1) * ROW_HEIGHT, steps=steps,
        budget=budget_amount, budget_y=round(COLUMN_AREA * (1 - budget_amount / scale_max), 1),
        scale_max=scale_max, plot_height=COLUMN_AREA,
        mes=any(step.stage == "mes" for step in steps))
