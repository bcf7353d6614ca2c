"""Result charts: SVG for the eye, a table of the same figures for everyone, no JavaScript.

Figures against the hand-worked profile of test_results.py (budget 100 000, five proposals of
30 000; six voters approve A1-A3, four approve B1-B2)."""

from __future__ import annotations

import re

from participation.budgeting.results.charts import COLUMN_AREA, budget_charts
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_results import _publish, _vote_profile

EN = {"Accept-Language": "en"}


def _page(client, ref):
    return client.get(f"/budgeting/{ref.id}/results/{ref.budget()}", headers=EN).text


def _table(page: str, caption: str) -> list[list[str]]:
    match = re.search(r"<caption>" + re.escape(caption) + r"</caption>(.*?)</table>", page,
                      re.S)
    assert match, f"no table {caption!r}"
    body = match.group(1).split("<tbody>")[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip().replace("\u00a0", " ")
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def test_greedy_charts_come_with_their_tables(app, client, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory, rule="greedy")
    _publish(app, pb, ref)
    page = _page(client, ref)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert main.count('role="img"') == 2 and "<script" not in main
    bars = _table(page, "Votes and cost of each proposal")
    assert [row[1:] for row in bars] == [["6", "€30,000", "Selected"]] * 3 + [
        ["4", "€30,000", "Not selected"]] * 2
    spent = _table(page, "How the budget was spent")
    assert [row[2:] for row in spent] == [["€30,000", "€30,000", "€70,000"],
                                          ["€30,000", "€60,000", "€40,000"],
                                          ["€30,000", "€90,000", "€10,000"]]
    assert "What each winner cost its supporters" not in page  # not an MES result


def test_mes_rounds_table_shows_what_each_winner_cost_its_supporters(app, client, pb,
                                                                      factory):
    ref, _receipts = _vote_profile(app, pb, factory, rule="mes_cost_add1_until_over_budget",
                                   scale=1)
    _publish(app, pb, ref)
    rounds = _table(_page(client, ref), "What each winner cost its supporters")
    assert [row[2:] for row in rounds] == [["€30", "6", "about €5"], ["€30", "6", "about €5"],
                                           ["€30", "4", "about €7.50"]]


def test_an_empty_budget_says_so(app, client, pb, factory):
    ref = pb.round(budgets={"city": 100_000, 1: 50_000}, costs={"city": [10_000]})
    _publish(app, pb, ref)
    overview = client.get(f"/budgeting/{ref.id}/results", headers=EN).text
    assert "No proposals were on the ballot in this budget." in overview
    page = client.get(f"/budgeting/{ref.id}/results/{ref.budget(1)}", headers=EN).text
    assert "No proposals were on the ballot in this budget." in page
    assert 'role="img"' not in page


class _P:
    def __init__(self, pid, cost):
        self.id, self.cost, self.title = pid, cost, f"P{pid}"


def test_geometry_scales_to_the_budget_and_to_overspending():
    rows = [{"proposal": _P(1, 60), "facts": {"votes": 4, "stage": "greedy", "rank": 1},
             "selected": True},
            {"proposal": _P(2, 60), "facts": {"votes": 2, "stage": "greedy", "rank": 2},
             "selected": True},
            {"proposal": _P(3, 10), "facts": {"votes": 0}, "selected": False}]
    charts = budget_charts(100, rows)  # 120 spent of 100 (an over-budget completion)
    assert [step.cumulative for step in charts.steps] == [60, 120]
    assert charts.steps[-1].height == COLUMN_AREA  # the tallest column fills the plot
    assert charts.budget_y == round(COLUMN_AREA * (1 - 100 / 120), 1)
    assert [bar.votes_width for bar in charts.bars] == [320.0, 160.0, 0.0]
