"""Dates from spreadsheet cells, typed text, and spreadsheet serial numbers."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from casetracker.normalize.cell import cell_text, drop_float_suffix
from casetracker.normalize.result import Normalized

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "JANUARY",
            "FEBRUARY",
            "MARCH",
            "APRIL",
            "MAY",
            "JUNE",
            "JULY",
            "AUGUST",
            "SEPTEMBER",
            "OCTOBER",
            "NOVEMBER",
            "DECEMBER",
        ),
        start=1,
    )
}
_MONTH_NAMES = {**_MONTHS, **{name[:3]: n for name, n in _MONTHS.items()}, "SEPT": 9}

# A time of day after the date, as spreadsheets and databases export it.
_TIME = re.compile(
    r"(?:[T\s]+|(?<=\d)T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*[AP]\.?M\.?)?(?:\s*(?:Z|UTC|[+-]\d{2}:?\d{2}))?$"
)
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_US = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d+)")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[-\s/.]?([A-Z]{3,9})\.?[-\s/.,]*(\d+)")
# The day and year need something between them, or "March 1998" would be 19 March '98.
_MONTH_DAY_YEAR = re.compile(r"([A-Z]{3,9})\.?[-\s/.]*(\d{1,2})(?:ST|ND|RD|TH)?[-\s/.,]+(\d+)")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{1,5}(?:\.\d+)?")

# Excel's 1900 date system counts 1900-01-01 as day 1 and, copying Lotus 1-2-3, treats 1900
# as a leap year: day 60 is a 29 February 1900 that never existed, and every later day is
# one too high, so later serials count from 1899-12-30 instead of 1899-12-31.
_SERIAL_FAKE_LEAP_DAY = 60
_SERIAL_LIMIT = 100_000


class _NotADateError(Exception):
    pass


class _FakeLeapDayError(Exception):
    pass


_PLAIN_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_PLAIN_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_PLAIN_DAY_MON_YEAR = re.compile(r"(\d{1,2})-([A-Z]{3})-(\d{2}|\d{4})", re.ASCII)


def common_date(value: object, today: date) -> date | None:
    """The shapes most lists use, read without the general parser: 2016-01-31, 1/31/2016,
    31-JAN-16 (as Oracle exports it) and spreadsheet day numbers from 1 March 1900 on. The
    same date normalize_date reads in them (with no pivot year), before its range checks,
    which are the caller's; None for any other shape, a day that does not exist, or a
    number too large, which normalize_date then decides."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        # From day 61 on (day 60 is Excel's 29 February 1900 that never was).
        if _SERIAL_FAKE_LEAP_DAY + 1 <= value < _SERIAL_LIMIT:
            return date(1899, 12, 30) + timedelta(days=math.floor(value))
        return None
    if not isinstance(value, str):
        return None
    text = value
    try:
        if match := _PLAIN_ISO.fullmatch(text):
            year, month, day = match.groups()
            return date(int(year), int(month), int(day))
        if match := _PLAIN_US.fullmatch(text):
            month, day, year = match.groups()
            return date(int(year), int(month), int(day))
        if match := _PLAIN_DAY_MON_YEAR.fullmatch(text):
            day, name, year = match.groups()
            number = _MONTH_NAMES.get(name)
            if number is None:
                return None
            return date(_year(year, None, today), number, int(day))
    except ValueError:
        return None
    return None


def normalize_date(
    value: object, *, pivot_year: int | None = None, today: date | None = None
) -> Normalized[date]:
    today = today or date.today()
    typed = cell_text(value)
    if isinstance(value, bool):
        # bool is an int, and True would otherwise be read as spreadsheet day 1.
        return _not_a_date(typed)
    try:
        parsed = _parse(value, typed, pivot_year, today)
    except _NotADateError:
        return _not_a_date(typed)
    except _FakeLeapDayError:
        return Normalized(
            None,
            typed,
            f"Date '{typed}' is spreadsheet day 60, the 29 February 1900 that never "
            "existed; left empty",
        )
    if parsed is None:
        return Normalized(None, typed)
    if parsed.year < 1900:
        return Normalized(None, typed, f"Date '{typed}' is out of range (before 1900); left empty")
    if parsed > _a_year_after(today):
        return Normalized(
            None,
            typed,
            f"Date '{typed}' is out of range (more than a year from today); left empty",
        )
    return Normalized(parsed, typed)


def _not_a_date(typed: str) -> Normalized[date]:
    return Normalized(None, typed, f"Date '{typed}' is not a date; left empty")


def _a_year_after(day: date) -> date:
    # 29 February has no anniversary in the following year.
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _parse(value: object, typed: str, pivot_year: int | None, today: date) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return _from_number(value)
    if not typed:
        return None
    return _from_text(typed, pivot_year, today)


def _from_number(number: float) -> date | None:
    if isinstance(number, float):
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise _NotADateError
    if 0 < number < _SERIAL_LIMIT:
        return _from_serial(math.floor(number))
    if number == int(number):
        # A yyyymmdd date that a spreadsheet stored as a number.
        compact = _COMPACT.fullmatch(str(int(number)))
        if compact:
            return _make(*(int(part) for part in compact.groups()))
    raise _NotADateError


def _from_serial(serial: int) -> date:
    if serial < 1:
        raise _NotADateError
    if serial < _SERIAL_FAKE_LEAP_DAY:
        return date(1899, 12, 31) + timedelta(days=serial)
    if serial == _SERIAL_FAKE_LEAP_DAY:
        raise _FakeLeapDayError
    return date(1899, 12, 30) + timedelta(days=serial)


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError) as error:
        raise _NotADateError from error


def _year(text: str, pivot_year: int | None, today: date) -> int:
    if len(text) == 4:
        return int(text)
    if len(text) != 2:
        raise _NotADateError
    # A two-digit year is the latest year ending in those digits that is not after the
    # pivot. By default the pivot is this year: arrests and births are never in the future.
    pivot = today.year if pivot_year is None else pivot_year
    return pivot - (pivot - int(text)) % 100


def _month(name: str) -> int:
    month = _MONTH_NAMES.get(name)
    if month is None:
        raise _NotADateError
    return month


def _from_text(typed: str, pivot_year: int | None, today: date) -> date:
    text = " ".join(typed.upper().split())
    text = _TIME.sub("", text).strip()
    if _SERIAL.fullmatch(text):
        return _from_serial(math.floor(float(text)))
    compact = _COMPACT.fullmatch(drop_float_suffix(text))
    if compact:
        return _make(*(int(part) for part in compact.groups()))
    if match := _ISO.fullmatch(text):
        return _make(*(int(part) for part in match.groups()))
    if match := _US.fullmatch(text):
        month, day, year = match.groups()
        return _make(_year(year, pivot_year, today), int(month), int(day))
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = match.groups()
        return _make(_year(year, pivot_year, today), _month(month), int(day))
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        month, day, year = match.groups()
        return _make(_year(year, pivot_year, today), _month(month), int(day))
    raise _NotADateError


_TYPED_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TYPED_US = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})")


def parse_typed_date(text: str, *, today: date | None = None) -> date:
    """A date a person typed into a form or on the command line: 2026-12-20, 12/20/2026 or
    12/20/26. Unlike cells of a list, typed dates are never serial numbers, and a two-digit
    year is the nearest one within ten years ahead (court dates are typed ahead of time)."""
    typed = text.strip()
    iso = _TYPED_ISO.fullmatch(typed)
    us = _TYPED_US.fullmatch(typed)
    try:
        if iso:
            return date(*(int(part) for part in iso.groups()))
        if us:
            month, day, year_text = us.groups()
            today = today or date.today()
            year = int(year_text)
            if len(year_text) == 2:
                year = _year(year_text, today.year + 10, today)
            return date(year, int(month), int(day))
    except ValueError:
        raise ValueError(f"'{typed}' is not a day of the calendar") from None
    raise ValueError(f"'{typed}' is not a date; type it as 2026-12-20 or 12/20/2026")
