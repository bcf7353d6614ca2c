"""Each indicator against the hand-worked fixture (tests/indicators/fixture.py)."""

from __future__ import annotations

import pytest

from participation.indicators.compute import compute, wilson
from participation.indicators.periods import parse_period
from tests.indicators.fixture import seed_fixture

# Shipped denominators: area totals of 31.12.2016, city total and languages of 2019.
AREA_1, AREA_4, CITY_2019 = 67814, 54248, 217502 + 20033 + 52196


@pytest.fixture
def rows(app):
    seed_fixture(app)
    with app.app_context():
        return {row.key: row for row in compute(parse_period("2026"))}


def get(rows, indicator, area="", age="", language=""):
    return rows[(indicator, area, age, language)]


def test_participants_counted_once_and_suppressed_with_a_complement(rows):
    assert get(rows, "participants").value == 41
    # Area 3 has 3 people: hidden; area 2 (6) is hidden too, so 41 - 17 - 15 leaves 9, not 3.
    assert [get(rows, "participants", area=c).value for c in "12345"] == [17, None, None, 15, 0]
    assert get(rows, "participants", area="3").suppressed
    assert not get(rows, "participants", area="5").suppressed  # zero describes nobody
    assert [get(rows, "participants", age=g).value for g in ("13-17", "18-29", "30-64")] \
        == [9, 18, 14]
    assert [get(rows, "participants", language=g).value for g in ("fi", "sv", "other")] \
        == [32, 9, 0]
    # Tables: 15-17 year-olds in areas 2 and 3 (6 and 3) are both hidden beside their 9.
    assert get(rows, "participants", area="1", age="18-29").value == 11
    assert get(rows, "participants", area="4", age="30-64").value == 8
    assert get(rows, "participants", area="2", age="13-17").suppressed
    assert get(rows, "participants", area="3", age="13-17").suppressed
    assert get(rows, "participants", area="2", language="sv").suppressed
    assert get(rows, "participants", age="13-17", language="sv").value == 9


def test_rates_with_wilson_intervals_and_the_denominators_year(rows):
    rate = get(rows, "participation_rate", area="1")
    assert rate.value == round(1000 * 17 / AREA_1, 2)
    assert rate.denominator == AREA_1 and rate.denominator_year == 2016
    low, high = wilson(17, AREA_1)
    assert (rate.lower, rate.upper) == (round(1000 * low, 2), round(1000 * high, 2))
    assert rate.lower < rate.value < rate.upper
    city = get(rows, "participation_rate")
    assert (city.denominator, city.denominator_year) == (CITY_2019, 2019)
    assert city.value == round(1000 * 41 / CITY_2019, 2)
    # No age-band figures are shipped: the rate reads "no population data", not an error.
    by_age = get(rows, "participation_rate", age="18-29")
    assert by_age.value is None and not by_age.suppressed and by_age.denominator is None
    assert get(rows, "participation_rate", area="3").suppressed


def test_wilson_matches_the_textbook():
    low, high = wilson(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)
    assert round(wilson(0, 10)[1], 4) == 0.2775


def test_representation_index_and_equity_gap_use_published_cells_only(rows):
    # Published areas: 1 (17 of 67,814 residents), 4 (15 of 54,248) and 5-7 (nobody, of
    # 9,634, 39,908 and 11,200); areas 2 and 3 are hidden and left out of both shares.
    residents_shown = AREA_1 + AREA_4 + 9634 + 39908 + 11200
    for code, people, residents in (("1", 17, AREA_1), ("4", 15, AREA_4), ("6", 0, 39908)):
        expected = (people / 32) / (residents / residents_shown)
        assert get(rows, "representation_index", area=code).value == round(expected, 2)
    assert get(rows, "representation_index", area="3").suppressed
    # Languages: 32 Finnish, 9 Swedish, 0 other among 217,502 / 20,033 / 52,196 (2019).
    languages = {"fi": (32, 217502), "sv": (9, 20033), "other": (0, 52196)}
    for group, (people, residents) in languages.items():
        index = get(rows, "representation_index", language=group)
        assert index.value == round((people / 41) / (residents / CITY_2019), 2)
        assert index.denominator_year == 2019
    assert get(rows, "representation_index", language="other").value == 0
    # Areas 5-7 (rate 0) are left out: the ratio would have no upper bound.
    gap = (15 / AREA_4) / (17 / AREA_1)  # area 4 takes part a little more than area 1
    assert get(rows, "equity_gap").value == round(gap, 2)


def test_first_time_and_repeat_participants_hide_together(rows):
    # 40 first-timers and 1 repeat: the 1 is hidden, so the 40 must be hidden as well.
    assert get(rows, "repeat_participants").value is None
    assert get(rows, "first_time_participants").value is None


def test_turnout_hearings_and_inclusive_channels(rows):
    assert get(rows, "pb_turnout").suppressed  # 3 voters
    assert get(rows, "hearing_responses").value == 6
    assert get(rows, "hearings_held").value == 0  # no hearing data yet: zero, not an error
    assert get(rows, "hearing_feedback_on_time").value == 0
    share = get(rows, "inclusive_channel_share")
    assert (share.numerator, share.denominator, share.value) == (9, 41, round(100 * 9 / 41, 1))
    assert get(rows, "inclusive_channel_share", language="fi").value == 0.0
    assert get(rows, "inclusive_channel_share", language="sv").value == 100.0


def test_period_boundaries_are_helsinki_time(app):
    seed_fixture(app)
    with app.app_context():
        year_2027 = {row.key: row for row in compute(parse_period("2027"))}
        december = {row.key: row for row in compute(parse_period("2026-12"))}
        q4 = {row.key: row for row in compute(parse_period("2026-Q4"))}
        custom = {row.key: row for row in compute(parse_period("2026-12-31..2026-12-31"))}
    assert get(year_2027, "participants").numerator is None  # 1 person: "<5"
    assert get(year_2027, "participants").suppressed
    for rows in (december, q4, custom):
        assert get(rows, "participants").suppressed  # only the 23:30 person: 1


def test_period_codes_and_previous_periods():
    assert parse_period("2026").previous().code == "2025"
    assert parse_period("2026-Q1").previous().code == "2025-Q4"
    assert parse_period("2026-01").previous().code == "2025-12"
    assert parse_period("2026-01-10..2026-01-19").previous().code == "2025-12-31..2026-01-09"
    start, end = parse_period("2026").bounds()
    assert (start.isoformat(), end.isoformat()) == ("2025-12-31T22:00:00+00:00",
                                                    "2026-12-31T22:00:00+00:00")
    for bad in ("26", "2026-13", "2026-Q5", "2026-02-30..2026-03-01", "2027-01-01..2026-01-01",
                "1066", "", "2026-01-01..2030-01-01"):
        with pytest.raises(ValueError):
            parse_period(bad)
