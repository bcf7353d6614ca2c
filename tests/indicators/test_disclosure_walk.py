"""Walk every figures page, download and API answer and look for a revealed small cell."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest

from participation.extensions import db
from participation.indicators.compute import compute
from participation.indicators.dashboard import trends
from participation.indicators.definitions import INDICATORS
from participation.indicators.periods import parse_period
from tests.indicators.fixture import event, seed_fixture
from tests.indicators.revealed import problems

FILTERS = ("", "area=3", "area=2", "age_band=30-64", "language_group=other",
           "area=1&age_band=18-29", "period=2026-Q4", "period=2026-06", "period=2027")


def _rich_fixture(app):
    """The hand-worked fixture plus a spread where complements run over two dimensions."""
    seed_fixture(app)
    with app.app_context():
        when = datetime(2026, 3, 5, 12, tzinfo=UTC)
        sizes = {(5, "65-74", "sv"): 4, (5, "75+", "fi"): 6, (6, "0-11", "fi"): 9,
                 (6, "12-14", "other"): 1, (7, "18-29", "fi"): 2, (7, "30-44", "sv"): 7}
        for (area, band, language), size in sizes.items():
            for n in range(size):
                event(f"r{area}{band}{language}{n}", area=area, band=band, language=language,
                      when=when)
        event("no-area", area=None, band=None, language="fi", when=when)
        db.session.commit()


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_no_export_or_api_answer_reveals_a_hidden_cell(app, client):
    _rich_fixture(app)
    for period in ("2026", "2026-Q1", "2026-03", "2025", "2026-01-01..2026-12-31"):
        answers = [
            _csv_rows(client.get(f"/figures/export/csv?period={period}").text),
            json.loads(client.get(f"/figures/export/json?period={period}").text)["rows"],
            client.get(f"/api/v1/indicators?period={period}").get_json()["rows"],
        ]
        for rows in answers:
            assert rows
            for indicator in ("participants", "pb_turnout", "inclusive_channel_share"):
                assert problems(rows, indicator) == [], (period, indicator)
        # JSON-stat: every suppressed value is null with the status "..".
        stat = json.loads(client.get(f"/figures/export/jsonstat?period={period}").text)
        for index, mark in stat["status"].items():
            assert mark == ".." and stat["value"][int(index)] is None


def test_the_checker_finds_a_planted_revealed_cell(app):
    _rich_fixture(app)
    with app.app_context():
        rows = [row.as_dict() for row in compute(parse_period("2026"))]
    assert problems(rows) == []
    # Publish the complement of area 3 (area 2): 28 - 11 - 6 - 8... reveals area 3.
    planted = [dict(row) for row in rows]
    for row in planted:
        if row["indicator_id"] == "participants" and row["area_code"] == "2" \
                and not row["age_band"] and not row["language_group"]:
            row.update(suppressed=False, numerator=6, value=6)
    assert any("area_code" in problem for problem in problems(planted))
    small = [dict(row, suppressed=False, numerator=3) if row["area_code"] == "3" else row
             for row in rows]
    assert any("3 people published" in problem for problem in problems(small))


def test_monthly_trends_hide_small_groups_with_their_complements(app):
    _rich_fixture(app)
    with app.app_context():
        months, series = trends(parse_period("2026"))
    for index in range(len(months)):
        total = series[("", "")][index]
        for dimension in ("area", "age_band", "language_group"):
            values = [values[index] for (name, _value), values in series.items()
                      if name == dimension]
            assert all(value is None or value == 0 or value >= 5 for value in values)
            hidden = [value for value in values if value is None]
            if total is not None and hidden:
                shown = sum(value for value in values if value is not None)
                assert len(hidden) >= 2 and total - shown >= 5, (months[index], dimension)


COUNT_CELL = re.compile(r'<td class="count">([^<]*)</td>')


@pytest.mark.parametrize("query", FILTERS)
def test_every_figures_page_shows_no_small_count(app, client, auth, factory, query):
    _rich_fixture(app)
    staff = factory.user(roles=("staff",))
    auth.login(staff.email)
    urls = [f"/figures/?{query}", f"/figures/staff?{query}", "/figures/about",
            "/figures/report/2026"]
    urls += [f"/figures/{indicator.id}?{query}" for indicator in INDICATORS]
    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        for cell in COUNT_CELL.findall(response.text):
            seen += 1
            assert cell in ("&lt;5", "0") or int(cell.replace("\u00a0", "")) >= 5, (url, cell)
    assert seen  # the walk read count cells, not only pages without any
