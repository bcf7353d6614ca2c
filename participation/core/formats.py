"""Dates, times, numbers and money the Finnish way in every language: the one place they are
formatted for people (pages, emails, flashes) and for machines (CSV and JSON exports).

    fi  3.12.2026 14.59            3 571,43 €   140 000 €   1 234,5
    sv  3.12.2026 kl. 14.59        3 571,43 €   140 000 €   1 234,5
    en  3 December 2026 at 14:59   €3,571.43    €140,000    1,234.5
    ru  3.12.2026 14:59            3 571,43 €   140 000 €   1 234,5   (ar and so alike)
    et  3.12.2026 kell 14:59       3 571,43 €   140 000 €   1 234,5

Every other language (Russian, Estonian, Arabic, Somali, and any that drops in) follows
Finland's conventions too: day.month.year, the 24-hour clock, a space between thousands, a
decimal comma and the euro sign after the amount, in Western digits (Arabic too). Plain Finnish
formats as Finnish. `format_long_date` names the month in the page's language where a page
shows a long date: 3. joulukuuta 2026, 3 декабря 2026, 3 December 2026.

Templates use the filters `datetime`, `date`, `time`, `number` and `euros` (see
participation/templating.py); Python code calls the functions below. Times are stored in UTC
and shown in Espoo's time (Europe/Helsinki). Machine formats (CSV, JSON, the API) use
`machine_datetime`: ISO 8601 in UTC, so a spreadsheet or a program reads them in any locale.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_currency as _babel_currency
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

ESPOO_TIME = ZoneInfo("Europe/Helsinki")

# Finland's conventions per language (fi_FI, sv_FI, and British-style English); any other
# language uses the FINLAND_* ones.
DATE_PATTERNS = {"fi": "d.M.y", "sv": "d.M.y", "en": "d MMMM y"}
TIME_PATTERNS = {"fi": "H.mm", "sv": "H.mm", "en": "HH:mm"}
DATETIME_JOINS = {"fi": "{date} {time}", "sv": "{date} kl. {time}", "en": "{date} at {time}",
                  "et": "{date} kell {time}"}
FINLAND_DATE, FINLAND_TIME = "d.M.y", "HH:mm"
# A long date, the month named in the language (Finnish and Estonian write "3." for the day).
LONG_DATE_PATTERNS = {"fi": "d. MMMM y", "et": "d. MMMM y"}
LONG_DATE = "d MMMM y"
# The Babel locale whose number symbols (separators, currency layout) each language uses:
# Finland's (fi_FI) for every language without its own Finnish variant.
NUMBER_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
FINLAND_NUMBERS = "fi_FI"


def _language(locale: str | None) -> str:
    if locale is None:
        from ..i18n import current_language

        locale = current_language().code
    return str(locale).replace("-", "_").split("_", 1)[0].lower()


def _babel_locale(language: str) -> Locale:
    """Numbers: fi_FI, sv_FI, en_GB; any other language Finland's (fi_FI) symbols."""
    return Locale.parse(NUMBER_LOCALES.get(language, FINLAND_NUMBERS))


def _names_locale(language: str) -> Locale:
    """Month names and list words: the language itself (in Finland where Babel has it)."""
    for code in (NUMBER_LOCALES.get(language), f"{language}_FI", language):
        if code:
            try:
                return Locale.parse(code)
            except (UnknownLocaleError, ValueError):
                continue
    return Locale.parse(NUMBER_LOCALES["fi"])


def in_espoo_time(value: datetime) -> datetime:
    """An aware datetime in Europe/Helsinki (a naive one is taken as UTC, as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ESPOO_TIME)


def format_date(value: date | datetime | None, locale: str | None = None) -> str:
    """3.12.2026 (fi, sv), 3 December 2026 (en); a datetime is taken in Espoo time first."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = in_espoo_time(value).date()
    language = _language(locale)
    pattern = DATE_PATTERNS.get(language, FINLAND_DATE)
    return _babel_date(value, pattern, locale=_names_locale(language))


def format_long_date(value: date | datetime | None, locale: str | None = None) -> str:
    """3. joulukuuta 2026, 3 december 2026, 3 December 2026, 3 декабря 2026: the month
    named in the language, the digits Western."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = in_espoo_time(value).date()
    language = _language(locale)
    pattern = LONG_DATE_PATTERNS.get(language, LONG_DATE)
    return _babel_date(value, pattern, locale=_names_locale(language))


def format_time(value: datetime | None, locale: str | None = None) -> str:
    """14.59 (fi, sv), 14:59 (en), in Espoo time."""
    if value is None:
        return ""
    language = _language(locale)
    pattern = TIME_PATTERNS.get(language, FINLAND_TIME)
    return _babel_time(in_espoo_time(value).timetz(), pattern, locale=_names_locale(language))


def format_datetime(value: datetime | None, locale: str | None = None) -> str:
    """3.12.2026 14.59 (fi), 3.12.2026 kl. 14.59 (sv), 3 December 2026 at 14:59 (en)."""
    if value is None:
        return ""
    language = _language(locale)
    join = DATETIME_JOINS.get(language, "{date} {time}")
    return join.format(date=format_date(value, language), time=format_time(value, language))


def _plain(value) -> Decimal | int:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def format_number(value, decimals: int | None = None, locale: str | None = None) -> str:
    """1 234 567,5 (fi, sv), 1,234,567.5 (en); `decimals` fixes the digits after the point."""
    if value is None:
        return ""
    babel_locale = _babel_locale(_language(locale))
    if decimals is None:
        return _babel_decimal(_plain(value), locale=babel_locale)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _babel_decimal(_plain(value), format=pattern, locale=babel_locale,
                          decimal_quantization=True)


def format_money(value, locale: str | None = None) -> str:
    """Euros: 140 000 € and 3 571,43 € (fi, sv), €140,000 and €3,571.43 (en). Whole euros
    show no cents; any other amount shows two decimals."""
    if value is None:
        return ""
    return _money(_plain(value), _language(locale))


@lru_cache(maxsize=4096)
def _money(amount: Decimal | int, language: str) -> str:
    """Kept per process: a page shows the same few amounts many times (a ballot's costs,
    the budget, what is left), and Babel's formatting is most of a filter call's cost. Equal
    amounts (100000, Decimal("100000.00")) give the same text, so one entry serves both."""
    babel_locale = _babel_locale(language)
    pattern = babel_locale.currency_formats["standard"].pattern.split(";")[0]
    if amount == int(amount):
        amount = int(amount)
        pattern = pattern.replace(".00", "")
    return _babel_currency(amount, "EUR", format=pattern, locale=babel_locale,
                           currency_digits=False)


def format_percent(share, locale: str | None = None) -> str:
    """A share (0.453) as a whole percent: 45 % (fi, sv), 45% (en)."""
    if share is None:
        return ""
    babel_locale = _babel_locale(_language(locale))
    return _babel_percent(_plain(share), locale=babel_locale, decimal_quantization=True)


def machine_datetime(value: datetime | date | None) -> str | None:
    """ISO 8601 for CSV and JSON: 2026-12-03T12:59:00Z (UTC, whole seconds); a date as is."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def format_list(items: list[str], locale: str | None = None) -> str:
    """Words joined the language's way: "suomi, ruotsi ja englanti", "Finnish, Swedish and
    English"."""
    from babel.lists import format_list as _babel_list

    if not items:
        return ""
    return _babel_list(list(items), locale=_names_locale(_language(locale)))
