"""Russian, Estonian, Arabic, Somali and plain Finnish format dates, times, numbers and money as
used in Finland (d.m.yyyy, 24-hour clock, a space between thousands, "1 234 €", Western digits
in Arabic too), and name the month in the language where a long date is shown."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale

from participation.core import formats

MOMENT = datetime(2026, 12, 3, 12, 59, tzinfo=UTC)  # 14.59 in Espoo
NBSP = "\u00a0"
FINLAND_NUMBERS = {"money": f"3{NBSP}571,43{NBSP}€", "whole": f"140{NBSP}000{NBSP}€",
                   "number": f"1{NBSP}234{NBSP}567,5", "percent": f"45{NBSP}%"}
EXPECTED = {
    "ru": {"datetime": "3.12.2026 14:59", "long": "3 декабря 2026", "list": "a, b и c"},
    "et": {"datetime": "3.12.2026 kell 14:59", "long": "3. detsember 2026",
           "list": "a, b ja c"},
    "ar": {"datetime": "3.12.2026 14:59", "long": "3 ديسمبر 2026", "list": "a وb وc"},
    "so": {"datetime": "3.12.2026 14:59", "long": "3 Diseembar 2026", "list": "a, b iyo c"},
    "fi-x-selko": {"datetime": "3.12.2026 14.59", "long": "3. joulukuuta 2026",
                   "list": "a, b ja c"},
}
WESTERN = set("0123456789")
ARABIC_INDIC = set("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_finlands_conventions_in_every_language(language):
    expected = EXPECTED[language]
    assert formats.format_datetime(MOMENT, language) == expected["datetime"]
    assert formats.format_date(MOMENT, language) == "3.12.2026"
    assert formats.format_date(date(2026, 1, 9), language) == "9.1.2026"
    assert formats.format_money(3571.43, language) == FINLAND_NUMBERS["money"]
    assert formats.format_money(140000, language) == FINLAND_NUMBERS["whole"]
    assert formats.format_number(1234567.5, locale=language) == FINLAND_NUMBERS["number"]
    assert formats.format_percent(0.453, language) == FINLAND_NUMBERS["percent"]
    assert formats.format_long_date(MOMENT, language) == expected["long"]
    assert formats.format_list(["a", "b", "c"], language) == expected["list"]


def test_midnight_in_the_24_hour_clock():
    night = datetime(2026, 6, 1, 21, 5, tzinfo=UTC)  # 0.05 on 2 June in Espoo
    assert formats.format_time(night, "ru") == "00:05"
    assert formats.format_datetime(night, "et") == "2.6.2026 kell 00:05"


def test_arabic_keeps_western_digits():
    texts = [formats.format_datetime(MOMENT, "ar"), formats.format_money(1234567.89, "ar"),
             formats.format_number(9876.5, locale="ar"), formats.format_long_date(MOMENT, "ar")]
    for text in texts:
        assert not set(text) & ARABIC_INDIC, text
        assert set(text) & WESTERN


def test_long_dates_in_finnish_swedish_and_english_name_the_month():
    assert formats.format_long_date(MOMENT, "fi") == "3. joulukuuta 2026"
    assert formats.format_long_date(MOMENT, "sv") == "3 december 2026"
    assert formats.format_long_date(MOMENT, "en") == "3 December 2026"
    assert formats.format_long_date(None, "fi") == ""


@pytest.mark.parametrize("language", ["ru", "et", "ar", "so"])
def test_template_filters_in_the_pages_language(app, language):
    source = "{{ m | datetime }}|{{ m | long_date }}|{{ 3571.43 | euros }}|{{ 1234567.5 | number }}"
    with app.test_request_context(), force_locale(language):
        rendered = render_template_string(source, m=MOMENT).split("|")
    # Right-to-left pages keep figures left to right inside first-strong isolates.
    isolated = [part.startswith("\u2068") and part.endswith("\u2069") for part in rendered]
    assert isolated == [language == "ar"] * len(rendered)
    rendered = [part.strip("\u2068\u2069") for part in rendered]
    assert rendered == [EXPECTED[language]["datetime"], EXPECTED[language]["long"],
                        FINLAND_NUMBERS["money"], FINLAND_NUMBERS["number"]]
