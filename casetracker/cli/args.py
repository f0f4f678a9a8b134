"""Argument types shared by the commands: a bad value becomes one clear line, not a trace.
Counties are read by motions_cmd._counties, as the report command does."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from casetracker.domain.errors import InvalidValueError
from casetracker.storage.db import Database, open_database


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


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Database]:
    """The database the command was pointed at (--db, $CASETRACKER_DB or the default file),
    closed when the command is done."""
    db = open_database(getattr(args, "db", None))
    try:
        yield db
    finally:
        db.dispose()
