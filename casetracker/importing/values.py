"""Recognising a column by its values, when its header says nothing useful ('Respondent',
'Subject', 'Column 3'): names written LAST, FIRST, docket and summons numbers, NYSIDs,
dates of birth, charge codes. Each guess says why, for the preview to show."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from statistics import median

from casetracker.normalize import normalize_charge, normalize_date, normalize_docket
from casetracker.normalize.cell import cell_text

# Of a column's filled cells, the share that must have one shape for the column to be it.
SHARE = 0.6
MIN_VALUES = 2
# LAST, FIRST M: letters, spaces, apostrophes, hyphens and dots, one comma between.
_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '.\-])*,\s*[^\W\d_](?:[^\W\d_]|[ '.\-])*")
_SUMMONS = re.compile(r"\d{9,10}")
_NYSID = re.compile(r"\d{7,8}\s*-?\s*[A-Z]")
_TEXT_DATE = re.compile(
    r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}-[A-Z]{3}-\d{2,4}"
)
_LETTER = re.compile(r"[^\W\d_]")

# (field, why) by the shape found, in the order they are told apart.
_FIELDS = {
    "nysid": ("nysid", "its values look like NYSIDs (8 digits and a letter)"),
    "docket": ("docket", "its values look like docket numbers"),
    "summons": ("summons", "its values look like summons numbers"),
    "name": ("full_name", "its values look like names written LAST, FIRST"),
    "charge": ("charge", "its values look like charges (law sections)"),
    "birth": ("date_of_birth", "its values look like dates of birth"),
}


def shape(value: object) -> str | None:
    """The kind of value one cell holds: 'nysid', 'docket', 'summons', 'name', 'charge',
    'date' (with its year kept apart by the caller), or None."""
    if isinstance(value, datetime | date):
        return "date"
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).upper()
    if not text:
        return None
    if _NYSID.fullmatch(text):
        return "nysid"
    if _SUMMONS.fullmatch(text):
        return "summons"
    if _LETTER.search(text) and normalize_docket(text).warning is None:
        return "docket"
    if _TEXT_DATE.fullmatch(text) and normalize_date(text).value is not None:
        return "date"
    if _NAME.fullmatch(text):
        return "name"
    if normalize_charge(text).value is not None:
        return "charge"
    return None


def guess_by_values(column_values: Sequence[object]) -> tuple[str, str] | None:
    """(field, why) for a column whose values mostly have one shape, or None."""
    filled = [v for v in column_values if v is not None and cell_text(v)]
    if len(filled) < MIN_VALUES:
        return None
    counts: dict[str, int] = {}
    years: list[int] = []
    for value in filled:
        kind = shape(value)
        if kind is None:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "date":
            found = value if isinstance(value, date) else normalize_date(value).value
            if found is not None:
                years.append(found.year)
    if not counts:
        return None
    kind, count = max(counts.items(), key=lambda item: item[1])
    if count < SHARE * len(filled):
        return None
    if kind == "date":
        # Only dates of birth are told by their values: grown people's, decades back.
        if not years or median(years) > date.today().year - 16 or median(years) < 1920:
            return None
        kind = "birth"
    return _FIELDS[kind]


def columns_by_values(
    samples: Sequence[Sequence[object]], columns: Sequence[int]
) -> dict[int, tuple[str, str]]:
    """For each of the columns, (field, why) where its sample values tell."""
    found: dict[int, tuple[str, str]] = {}
    for index in columns:
        guess = guess_by_values([row[index] for row in samples if index < len(row)])
        if guess is not None:
            found[index] = guess
    return found
