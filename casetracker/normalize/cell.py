"""Turning a raw cell (text, number, date or nothing) into the text a person saw."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

# Placeholders people type into required columns, and the error values spreadsheets write
# into cells. Kept as identifiers, they would make unrelated rows look like one person or case.
_PLACEHOLDERS = frozenset(
    {
        "N/A",
        "NA",
        "N.A.",
        "NONE",
        "NULL",
        "NIL",
        "UNKNOWN",
        "UNK",
        "TBD",
        "TBA",
        "NOTAVAILABLE",
        "-",
        "--",
        "---",
        "?",
        "??",
        "#N/A",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#DIV/0!",
        "#NULL!",
    }
)

_FLOAT_SUFFIX = re.compile(r"(\d+)\.0+", re.ASCII)


def cell_text(value: object) -> str:
    """Text of a cell with outer whitespace stripped; '' for an empty cell."""
    if value.__class__ is str:  # most cells; str(value) of a str is the value itself
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            # pandas and some readers hand back NaN for an empty numeric cell.
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def is_placeholder(text: str) -> bool:
    # Spacing is ignored so that "N / A" and "N/A" are the same placeholder.
    return "".join(text.upper().split()) in _PLACEHOLDERS


def drop_float_suffix(text: str) -> str:
    """'12345678.0' -> '12345678': a number column exported as text keeps Excel's '.0'."""
    match = _FLOAT_SUFFIX.fullmatch(text)
    return match.group(1) if match else text
