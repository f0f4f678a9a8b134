"""Dates people type into forms and commands: ISO and US forms, never serial numbers."""

from __future__ import annotations

from datetime import date

import pytest

from casetracker.normalize import parse_typed_date

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-20", date(2026, 12, 20)),
        (" 2026-1-5 ", date(2026, 1, 5)),
        ("12/20/2026", date(2026, 12, 20)),
        ("12-20-2026", date(2026, 12, 20)),
        ("12/20/26", date(2026, 12, 20)),
        ("1/5/27", date(2027, 1, 5)),
        # A two-digit year more than ten years ahead is last century (a date of birth).
        ("5/17/80", date(1980, 5, 17)),
    ],
)
def test_typed_forms_read_as_the_person_meant(typed: str, expected: date) -> None:
    assert parse_typed_date(typed, today=TODAY) == expected


@pytest.mark.parametrize("typed", ["0261220", "45000", "20/12/2026", "2026-02-30", "tomorrow", ""])
def test_anything_else_is_refused_with_the_forms_to_use(typed: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_typed_date(typed, today=TODAY)
    assert f"'{typed}'" in str(refused.value)
