import math
from datetime import date, datetime, timedelta
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetracker.normalize import normalize_date
from casetracker.normalize.dates import common_date

TODAY = date(2025, 6, 1)
MARCH_4_1998 = date(1998, 3, 4)
MONTH_ABBREVIATIONS = [
    "JAN",
    "FEB",
    "MAR",
    "APR",
    "MAY",
    "JUN",
    "JUL",
    "AUG",
    "SEP",
    "OCT",
    "NOV",
    "DEC",
]
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
IN_RANGE = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


def excel_serial(day: date) -> int:
    """Excel's 1900 system, written out independently of the code under test."""
    if day < date(1900, 3, 1):
        return (day - date(1899, 12, 31)).days
    return (day - date(1899, 12, 30)).days


@pytest.mark.parametrize(
    "value",
    [
        MARCH_4_1998,
        datetime(1998, 3, 4),
        datetime(1998, 3, 4, 23, 59, 59),
        35858,
        35858.0,
        35858.75,
        "35858",
        "35858.0",
        " 35858 ",
        "3/4/1998",
        "03/04/1998",
        "03-04-1998",
        "3.4.1998",
        "1998-03-04",
        "1998-3-4",
        "1998/03/04",
        "1998-03-04 00:00:00",
        "1998-03-04T00:00:00",
        "1998-03-04T10:15:00.000Z",
        "1998-03-04 10:15:00-05:00",
        "3/4/1998 0:00",
        "3/4/1998 12:00:00 AM",
        "04-MAR-98",
        "04-mar-98",
        "4-Mar-1998",
        "04 MAR 1998",
        "04MAR1998",
        "4 March 1998",
        "March 4, 1998",
        "march 4 1998",
        "Mar 4 1998",
        "Mar. 4, 1998",
        "MAR-04-1998",
        "March 4th, 1998",
        "19980304",
        19980304,
        "3/4/98",
        "03-04-98",
    ],
)
def test_march_4_1998_in_every_spelling(value: object) -> None:
    result = normalize_date(value, today=TODAY)
    assert result.value == MARCH_4_1998
    assert result.warning is None


def test_datetime_returns_its_date() -> None:
    result = normalize_date(datetime(2020, 1, 2, 13, 45), today=TODAY)
    assert result.value == date(2020, 1, 2)
    assert type(result.value) is date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3/4/25", date(2025, 3, 4)),
        ("3/4/24", date(2024, 3, 4)),
        ("3/4/26", date(1926, 3, 4)),
        ("3/4/00", date(2000, 3, 4)),
        ("3/4/99", date(1999, 3, 4)),
        ("01-JAN-19", date(2019, 1, 1)),
    ],
)
def test_two_digit_years_never_land_after_this_year(typed: str, expected: date) -> None:
    assert normalize_date(typed, today=TODAY).value == expected


@pytest.mark.parametrize(
    ("typed", "pivot", "expected"),
    [
        ("3/4/20", 2020, date(2020, 3, 4)),
        ("3/4/21", 2020, date(1921, 3, 4)),
        ("3/4/25", 1999, date(1925, 3, 4)),
        ("3/4/00", 1999, date(1900, 3, 4)),
        ("3/4/99", 1999, date(1999, 3, 4)),
    ],
)
def test_explicit_pivot_year(typed: str, pivot: int, expected: date) -> None:
    assert normalize_date(typed, pivot_year=pivot, today=TODAY).value == expected


def test_explicit_pivot_still_refuses_dates_far_in_the_future() -> None:
    result = normalize_date("3/4/40", pivot_year=2050, today=TODAY)
    assert result.value is None
    assert result.warning is not None


def test_default_today_is_the_real_today() -> None:
    assert normalize_date("3/4/1998").value == MARCH_4_1998
    next_year = date.today().year + 2
    assert normalize_date(f"1/1/{next_year}").value is None


@pytest.mark.parametrize(
    "junk",
    [
        "N/A",
        "unknown",
        "UNKNOWN",
        "31/31/99",
        "00/00/0000",
        "TBD",
        "13/04/1998",
        "2/30/1998",
        "2/29/2023",
        "1998-13-01",
        "3/4/998",
        "3/4/19980",
        "March 1998",
        "Marchember 4 1998",
        "4-XYZ-1998",
        "980304",
        "1234567",
        "1e5",
        "0",
        "-",
        "yesterday",
    ],
)
def test_junk_is_empty_with_a_warning_naming_it(junk: str) -> None:
    result = normalize_date(junk, today=TODAY)
    assert result.value is None
    assert result.warning == f"Date '{junk}' is not a date; left empty"


@pytest.mark.parametrize("junk", [0, -5, -1.5, 1234567, 0.5, True, float("inf"), float("-inf")])
def test_numbers_that_are_not_dates(junk: object) -> None:
    result = normalize_date(junk, today=TODAY)
    assert result.value is None
    assert result.warning is not None
    assert "is not a date" in result.warning


@pytest.mark.parametrize("empty", [None, "", "   ", "\t", float("nan")])
def test_empty_is_none_without_warning(empty: object) -> None:
    result = normalize_date(empty, today=TODAY)
    assert result.value is None
    assert result.warning is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1899-12-31", "before 1900"),
        ("12/31/1850", "before 1900"),
        (date(1776, 7, 4), "before 1900"),
        ("2026-06-02", "more than a year from today"),
        ("1/1/2030", "more than a year from today"),
        (datetime(2099, 1, 1), "more than a year from today"),
        (80000, "more than a year from today"),
    ],
)
def test_out_of_range(value: object, reason: str) -> None:
    result = normalize_date(value, today=TODAY)
    assert result.value is None
    assert result.warning == f"Date '{result.as_typed}' is out of range ({reason}); left empty"


def test_up_to_a_year_ahead_is_allowed_for_court_dates() -> None:
    assert normalize_date("2026-06-01", today=TODAY).value == date(2026, 6, 1)
    leap_today = date(2024, 2, 29)
    assert normalize_date("2025-02-28", today=leap_today).value == date(2025, 2, 28)
    assert normalize_date("2025-03-01", today=leap_today).value is None


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (36526, date(2000, 1, 1)),
        (45444, date(2024, 6, 1)),
    ],
)
def test_serial_numbers_follow_excel(serial: int, expected: date) -> None:
    assert normalize_date(serial, today=TODAY).value == expected
    assert normalize_date(str(serial), today=TODAY).value == expected
    assert normalize_date(float(serial), today=TODAY).value == expected


def test_serial_60_is_excels_fake_leap_day() -> None:
    result = normalize_date(60, today=TODAY)
    assert result.value is None
    assert result.warning is not None
    assert "29 February 1900" in result.warning


def test_as_typed_keeps_the_cell_text() -> None:
    assert normalize_date(" 3/4/98 ", today=TODAY).as_typed == "3/4/98"
    assert normalize_date(35858.0, today=TODAY).as_typed == "35858"
    assert normalize_date(MARCH_4_1998, today=TODAY).as_typed == "1998-03-04"


def _two_digit_year_reads_back(day: date) -> bool:
    return TODAY.year - 99 <= day.year <= TODAY.year


@settings(max_examples=200, deadline=None)
@given(IN_RANGE, st.sampled_from(["{m}/{d}/{y}", "{m:02d}/{d:02d}/{y}", "{m:02d}-{d:02d}-{y}"]))
def test_us_dates_read_back(day: date, form: str) -> None:
    typed = form.format(m=day.month, d=day.day, y=day.year)
    assert normalize_date(typed, today=TODAY).value == day


@settings(max_examples=200, deadline=None)
@given(IN_RANGE)
def test_iso_and_compact_dates_read_back(day: date) -> None:
    assert normalize_date(day.isoformat(), today=TODAY).value == day
    assert normalize_date(f"{day.isoformat()} 00:00:00", today=TODAY).value == day
    assert normalize_date(day.strftime("%Y%m%d"), today=TODAY).value == day
    assert normalize_date(datetime(day.year, day.month, day.day, 8), today=TODAY).value == day


@settings(max_examples=200, deadline=None)
@given(IN_RANGE, st.booleans())
def test_month_name_dates_read_back(day: date, full: bool) -> None:
    name = MONTH_NAMES[day.month - 1] if full else MONTH_ABBREVIATIONS[day.month - 1]
    assert normalize_date(f"{day.day:02d}-{name}-{day.year}", today=TODAY).value == day
    assert normalize_date(f"{name} {day.day}, {day.year}", today=TODAY).value == day
    assert normalize_date(f"{name.lower()} {day.day} {day.year}", today=TODAY).value == day


@settings(max_examples=200, deadline=None)
@given(IN_RANGE)
def test_two_digit_years_read_back_within_the_last_century(day: date) -> None:
    short = f"{day.year % 100:02d}"
    expected = day if _two_digit_year_reads_back(day) else None
    typed_forms = [
        f"{day.month}/{day.day}/{short}",
        f"{day.day:02d}-{MONTH_ABBREVIATIONS[day.month - 1]}-{short}",
    ]
    for typed in typed_forms:
        result = normalize_date(typed, today=TODAY)
        if expected is not None:
            assert result.value == expected
        else:
            assert result.value == date(day.year + 100, day.month, day.day) or (
                result.value is None and day.month == 2 and day.day == 29
            )


@settings(max_examples=200, deadline=None)
@given(IN_RANGE, st.integers(1950, 2049))
def test_two_digit_years_follow_an_explicit_pivot(day: date, pivot: int) -> None:
    yy = day.year % 100
    year = max(y for y in range(pivot - 99, pivot + 1) if y % 100 == yy)
    if 2000 <= pivot <= 2099:
        assert year == (2000 + yy if yy <= pivot % 100 else 1900 + yy)
    typed = f"{day.month}/{day.day}/{yy:02d}"
    result = normalize_date(typed, pivot_year=pivot, today=TODAY)
    try:
        expected: date | None = date(year, day.month, day.day)
    except ValueError:
        expected = None
    if expected is not None and not date(1900, 1, 1) <= expected <= TODAY + timedelta(days=365):
        expected = None
    assert result.value == expected


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 6, 1)))
def test_serial_round_trip(day: date) -> None:
    serial = excel_serial(day)
    assert normalize_date(serial, today=TODAY).value == day
    assert normalize_date(f"{serial}.0", today=TODAY).value == day
    assert normalize_date(serial + 0.99, today=TODAY).value == day


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="0123456789/-. :APMTZ", max_size=25),
        st.integers(),
        st.floats(),
        st.none(),
        st.booleans(),
        st.dates(),
        st.datetimes(),
    ),
    st.one_of(st.none(), st.integers(1900, 2100)),
)
def test_normalize_date_never_raises(value: object, pivot: int | None) -> None:
    result = normalize_date(value, pivot_year=pivot, today=TODAY)
    if result.value is None:
        assert (
            result.warning is not None
            or result.as_typed == ""
            or (isinstance(value, float) and math.isnan(value))
        )
    else:
        assert date(1900, 1, 1) <= result.value <= date(2026, 6, 1)
        assert result.warning is None


def test_the_quick_read_of_common_shapes_agrees_with_the_full_parser() -> None:
    rng = Random(5)
    today = date.today()
    months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    values: list[object] = [60, 60.5, 61, 61.9, 0.5, 1, 59, 99_999, 100_000, -3, float("nan")]
    values += [float("inf"), True, "31-FEB-16", "31-FOO-16", "29-FEB-2000", "00-JAN-16"]
    values += ["2016-02-30", "2/30/2016", "13/1/2016", "2016-1-5", "14-nov-95", "1/5/16"]
    for _ in range(3000):
        values.append(rng.uniform(1, 60_000))
        values.append(rng.randint(1, 60_000))
        day, month, year = rng.randint(0, 32), rng.randint(0, 13), rng.randint(1890, 2030)
        values.append(f"{year:04d}-{month:02d}-{day:02d}")
        values.append(f"{month}/{day}/{year}")
        name = rng.choice(months)
        values.append(f"{day:02d}-{name}-{year % 100:02d}")
        values.append(f"{day}-{name}-{year}")
    read = 0
    for value in values:
        quick = common_date(value, today)
        if quick is not None:
            read += 1
            full = normalize_date(value, today=today).value
            # The same date, or one the full parser leaves out as out of range.
            latest = today + timedelta(days=366)
            assert quick == full or (full is None and not date(1900, 1, 1) <= quick < latest)
    assert read > 10_000  # the common shapes are read quickly, not all left to the parser
