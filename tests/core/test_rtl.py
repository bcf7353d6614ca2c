"""Right to left: the style sheet is written with logical properties only (so Arabic pages
mirror by themselves), figures keep their left-to-right order inside right-to-left text, and
the SVG charts are mirrored so that bars grow from the start edge."""

from __future__ import annotations

import re
from datetime import UTC

import pytest
from flask import g, render_template_string

from participation import ROOT
from participation.budgeting.results.charts import budget_charts

CSS = ROOT / "static" / "css" / "site.css"
FSI, PDI = "\u2068", "\u2069"

# Physical properties that do not follow the writing direction.
PHYSICAL = re.compile(
    r"(?<![\w-])("
    r"(margin|padding|border)-(left|right)(-(width|style|color))?"
    r"|border-(top|bottom)-(left|right)-radius"
    r"|left|right"
    r")\s*:", re.IGNORECASE)
PHYSICAL_VALUE = re.compile(
    r"(?<![\w-])(text-align|float|clear)\s*:\s*(left|right)\b", re.IGNORECASE)
# margin: 0 1rem 0 2rem — four values whose inline ends differ are left/right in disguise.
FOUR_VALUES = re.compile(
    r"(?<![\w-])(margin|padding|border-width|border-style|border-color|inset)\s*:\s*"
    r"([^;{}\s]+)\s+([^;{}\s]+)\s+([^;{}\s]+)\s+([^;{}\s]+)\s*(;|})")


def physical_properties(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for number, line in enumerate(css.splitlines(), start=1):
        for match in PHYSICAL.finditer(line):
            found.append(f"{number}: {match.group().strip()}")
        for match in PHYSICAL_VALUE.finditer(line):
            found.append(f"{number}: {match.group().strip()}")
        for match in FOUR_VALUES.finditer(line):
            if match.group(3) != match.group(5):
                found.append(f"{number}: {match.group().strip()}")
    return found


def test_site_css_uses_logical_properties_only():
    found = physical_properties(CSS.read_text(encoding="utf-8"))
    assert found == [], ("Use margin-inline-start/end, padding-inline-*, border-inline-*, "
                         "inset-inline-*, text-align: start/end instead of: " + "; ".join(found))


@pytest.mark.parametrize("css", [
    ".a { margin-left: 1rem; }",
    ".a { padding-right: 0 }",
    ".a { border-left: 4px solid red; }",
    ".a { border-right-color: red; }",
    ".a { position: absolute; left: 0; }",
    ".a { right: 2px }",
    ".a { text-align: left; }",
    ".a { float: right; }",
    ".a { padding: 0 0 0 1rem; }",
    ".a { margin: 0.5rem 0 0 1rem }",
    ".a { border-top-left-radius: 4px; }",
])
def test_the_check_finds_physical_properties(css):
    assert physical_properties(css)


@pytest.mark.parametrize("css", [
    ".a { margin-inline-start: 1rem; padding-inline-end: 0; }",
    ".a { border-inline-start: 4px solid red; inset-inline-start: 0; }",
    ".a { text-align: start; margin: 0 auto; padding: 0.5rem 1rem; }",
    ".a { margin: 1rem 2rem 3rem 2rem; }",
    ".a { scroll-margin-top: 7rem; top: 0; }",
])
def test_the_check_accepts_logical_properties(css):
    assert physical_properties(css) == []


def _render(app, code: str, source: str, **context) -> str:
    with app.test_request_context():
        g.forced_locale = code
        return render_template_string(source, **context)


def test_amounts_and_dates_are_isolated_on_rtl_pages(app):
    from datetime import datetime

    when = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    source = "{{ 120000 | euros }}|{{ when | date }}|{{ 1234.5 | number }}|{{ 0.45 | pb_percent }}"
    parts = _render(app, "ar", source, when=when).split("|")
    for part in parts:
        assert part.startswith(FSI) and part.endswith(PDI), repr(part)
        assert FSI not in part[1:-1]
    plain = _render(app, "fi", source, when=when)
    assert FSI not in plain and PDI not in plain


def test_the_is_rtl_global_follows_the_language(app):
    assert _render(app, "ar", "{{ is_rtl() }}") == "True"
    assert _render(app, "fi", "{{ is_rtl() }}") == "False"


def _chart_svg(app, code: str) -> str:
    from types import SimpleNamespace

    rows = [{"proposal": SimpleNamespace(id=1, title="Puisto", cost=60_000),
             "facts": {"votes": 10, "rank": 1}, "selected": True},
            {"proposal": SimpleNamespace(id=2, title="Kirjasto", cost=20_000),
             "facts": {"votes": 5, "rank": 2}, "selected": False}]
    charts = budget_charts(100_000, rows)
    budget = SimpleNamespace(id=7)
    source = ('{% from "budgeting/_charts.html" import votes_and_costs, spending %}'
              '{{ votes_and_costs(charts, budget) }}{{ spending(charts, budget) }}')
    return _render(app, code, source, charts=charts, budget=budget)


def _rects(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(width)) for x, width in
            re.findall(r'<rect x="([\d.]+)"[^>]*?width="([\d.]+)"', svg)]


def test_chart_bars_grow_from_the_start_edge(app):
    ltr, rtl = _rects(_chart_svg(app, "fi")), _rects(_chart_svg(app, "ar"))
    assert len(ltr) == len(rtl) == 5
    # Left to right: the vote and cost bars start at the left edge (x = 0).
    assert all(x == 0 for x, _ in ltr[:4])
    # Right to left: the same bars end at the right edge of the 400-unit chart.
    for (x, width), (_, ltr_width) in zip(rtl[:4], ltr[:4], strict=True):
        assert width == ltr_width and abs(x + width - 400) < 0.11
    # The spending column is mirrored too.
    (x_ltr, w), (x_rtl, _) = ltr[4], rtl[4]
    assert abs(x_rtl - (400 - x_ltr - w)) < 0.11


def test_chart_labels_start_at_the_start_edge(app):
    ltr, rtl = _chart_svg(app, "fi"), _chart_svg(app, "ar")
    assert '<text x="0" y="14" class="pb-svg-label">' in ltr
    assert '<text x="400" y="14" class="pb-svg-label">' in rtl
