"""Argument types shared by the commands: a bad value becomes one clear line, not a trace."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from casetracker.domain.enums import County
from casetracker.domain.errors import InvalidValueError


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from None


def choice(enum: type[Any], text: str) -> Any:
    try:
        return enum.parse(text)
    except ValueError as error:
        raise InvalidValueError(str(error)) from None


def counties(texts: list[str]) -> tuple[County, ...]:
    found = []
    for text in texts:
        county = County.from_text(text)
        if county is None:
            raise InvalidValueError(f"'{text}' is not a county or borough of New York City.")
        found.append(county)
    return tuple(found)
