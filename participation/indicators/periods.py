"""Reporting periods in Europe/Helsinki: month, quarter, year or a custom range of days.

A period is written as 2026, 2026-Q1, 2026-03 or 2026-01-01..2026-06-30 (both days included).
Its bounds are local midnights turned into UTC, so an event at 23:30 on 31 December Helsinki
time belongs to that year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
MAX_RANGE_DAYS = 3 * 366


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # year, quarter, month, custom
    first: date
    last: date  # included

    @property
    def code(self) -> str:
        if self.kind == "year":
            return f"{self.first.year}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.first.year}-{self.first.month:02d}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def year(self) -> int:
        return self.first.year

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC."""
        start = datetime.combine(self.first, time(), HELSINKI)
        end = datetime.combine(self.last + timedelta(days=1), time(), HELSINKI)
        return start.astimezone(UTC), end.astimezone(UTC)

    def previous(self) -> Period:
        if self.kind == "year":
            return year_period(self.first.year - 1)
        if self.kind in ("quarter", "month"):
            months = 3 if self.kind == "quarter" else 1
            return _months(self.kind, _shift(self.first, -months), months)
        length = (self.last - self.first).days + 1
        return Period("custom", self.first - timedelta(days=length),
                      self.first - timedelta(days=1))

    def __str__(self) -> str:
        return self.code


def _shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _months(kind: str, first: date, count: int) -> Period:
    return Period(kind, first, _shift(first, count) - timedelta(days=1))


def year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31))


def parse_period(text: str) -> Period:
    """A period from its code; PeriodError (with a plain reason) if it is not one."""
    text = (text or "").strip()
    try:
        if match := _YEAR.match(text):
            return year_period(_year(match[1]))
        if match := _QUARTER.match(text):
            return _months("quarter", date(_year(match[1]), 3 * int(match[2]) - 2, 1), 3)
        if match := _MONTH.match(text):
            return _months("month", date(_year(match[1]), int(match[2]), 1), 1)
        if match := _RANGE.match(text):
            first, last = date.fromisoformat(match[1]), date.fromisoformat(match[2])
            _year(str(first.year)), _year(str(last.year))
            if last < first or (last - first).days >= MAX_RANGE_DAYS:
                raise PeriodError("the range must run forwards and last at most three years")
            return Period("custom", first, last)
    except ValueError as error:
        raise PeriodError(str(error)) from None
    raise PeriodError("write a period as 2026, 2026-Q1, 2026-03 or 2026-01-01..2026-06-30")


def _year(text: str) -> int:
    year = int(text)
    if not 2000 <= year <= 2100:
        raise PeriodError("the year must be between 2000 and 2100")
    return year


def current_year(now: datetime | None = None) -> Period:
    now = now or datetime.now(UTC)
    return year_period(now.astimezone(HELSINKI).year)
