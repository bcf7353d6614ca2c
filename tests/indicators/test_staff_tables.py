"""The staff tables (area x age group x language group, area x channel) reveal no hidden
cell, alone or beside the public figures."""

from __future__ import annotations

from datetime import UTC, datetime

from participation.extensions import db
from participation.indicators.compute import compute
from participation.indicators.periods import parse_period
from participation.indicators.staff import CHANNEL, staff_tables
from tests.indicators.fixture import event
from tests.indicators.revealed import problems
from tests.indicators.test_disclosure_walk import _rich_fixture


def _wide_fixture(app):
    """Groups of 5-12 people in most cells of area x age x language, a few small ones."""
    when = datetime(2026, 4, 4, 12, tzinfo=UTC)
    with app.app_context():
        for area in range(1, 8):
            for b, band in enumerate(("15-17", "18-29", "30-44", "65-74")):
                for j, language in enumerate(("fi", "sv", "other")):
                    size = 5 + (area * 3 + b * 5 + j * 7) % 8
                    if (area + b + j) % 9 == 0:
                        size = 1 + (area + b) % 4  # a small group
                    channel = ("web", "school_code", "paper", "assisted")[(area + j) % 4]
                    for n in range(size):
                        event(f"w{area}{band}{language}{n}", area=area, band=band,
                              language=language, channel=channel, when=when)
        db.session.commit()


def _as_rows(cells: dict, indicator_id: str) -> list[dict]:
    return [{"indicator_id": indicator_id, "area_code": key[0], "age_band": key[1],
             "language_group": key[2], "numerator": shown, "suppressed": shown is None}
            for key, shown in cells.items()]


def _channel_rows(tables, public: list[dict]) -> list[dict]:
    """Channel cells as a table of two (area x channel) with the public area totals."""
    rows = [dict(row, indicator_id="channels") for row in public
            if row["indicator_id"] == "participants" and not row["age_band"]
            and not row["language_group"]]
    for (_mark, area, channel), shown in tables.cells.items():
        if _mark == CHANNEL:
            rows.append({"indicator_id": "channels", "area_code": area, "age_band": "",
                         "language_group": channel, "numerator": shown,
                         "suppressed": shown is None})
    return rows


def _check(app, code: str):
    with app.app_context():
        period = parse_period(code)
        public = [row.as_dict() for row in compute(period)]
        tables = staff_tables(period)
    triples = {key: shown for key, shown in tables.cells.items() if key[0] != CHANNEL}
    return public, tables, triples


def test_staff_tables_reveal_no_hidden_cell(app):
    _wide_fixture(app)
    public, tables, triples = _check(app, "2026")
    assert not tables.triples_withheld and not tables.channels_withheld
    assert problems(public + _as_rows(triples, "participants")) == []
    assert problems(_channel_rows(tables, public), "channels") == []
    assert all(shown is None or shown == 0 or shown >= 5 for shown in tables.cells.values())
    assert sum(shown is None for shown in triples.values()) >= 4
    assert sum(isinstance(shown, int) and shown >= 5 for shown in triples.values()) > 30


def test_tables_that_cannot_be_protected_are_withheld(app):
    # The hand-worked fixture: Finnish 18-29 year-olds are 11 in area 1 (all Finnish) and 7
    # in area 4 (all Finnish) of 20, so any table of three would give area 7's two back.
    _rich_fixture(app)
    for code in ("2026", "2026-Q1", "2026-06"):
        public, tables, triples = _check(app, code)
        assert problems(public + _as_rows(triples, "participants")) == [], code
        assert problems(_channel_rows(tables, public), "channels") == [], code
    public, tables, triples = _check(app, "2026")
    assert tables.triples_withheld and not triples
    assert not tables.channels_withheld
    assert tables.cells[(CHANNEL, "4", "web")] == 15
    assert tables.cells[(CHANNEL, "3", "paper")] is None  # 3 voters on paper


def test_the_check_finds_a_planted_staff_cell(app):
    _wide_fixture(app)
    public, tables, triples = _check(app, "2026")
    hidden = [key for key, shown in triples.items() if shown is None]
    assert hidden
    with app.app_context():
        from participation.indicators.cells import margin, people_cube
        start, end = parse_period("2026").bounds()
        true = margin(people_cube(start, end, parse_period("2026")), "area", "age_band",
                      "language_group")
    # Publish one hidden complement (not itself small): its line gives a small cell back.
    planted = dict(triples)
    key = next(key for key in hidden if true.get(key, 0) >= 5 or true.get(key, 0) == 0)
    planted[key] = true.get(key, 0)
    assert problems(public + _as_rows(planted, "participants"))


def test_staff_page_needs_the_staff_role_and_follows_the_area_filter(app, client, auth,
                                                                     factory):
    _wide_fixture(app)
    assert client.get("/figures/staff?period=2026").status_code in (302, 401, 403)
    resident = factory.user()
    auth.login(resident.email)
    assert client.get("/figures/staff?period=2026").status_code == 403
    auth.logout()
    auth.login(factory.user(roles=("staff",), language="en").email)
    english = {"Accept-Language": "en"}
    page = client.get("/figures/staff?period=2026", headers=english).text
    assert page.count("by age group and language group") == 7  # one table per area
    assert "by area and channel" in page
    one = client.get("/figures/staff?period=2026&area=1", headers=english).text
    assert one.count("by age group and language group") == 1
    for language, caption in (("fi", "alueittain ja osallistumistavoittain"),
                              ("sv", "efter område och kanal")):
        auth.logout()
        auth.login(factory.user(roles=("staff",), language=language).email)
        assert caption in client.get("/figures/staff?period=2026").text
