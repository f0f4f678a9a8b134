"""Argument types shared by the commands: a bad value becomes one clear line, not a trace.
Counties are read by motions_cmd._counties, as the report command does."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from casetracker.domain.errors import InvalidValueError
from casetracker.services.identity import current_user
from casetracker.storage.db import Database, open_database

# Dates the office's work can hold: births, old cases and court dates, none past 2100 (a
# date near 9999 overflows the sums the workflow makes, such as the sealing deadline).
FIRST_YEAR, LAST_YEAR = 1900, 2100


def iso_date(text: str) -> date:
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"'{text}' is out of range; give a date between {FIRST_YEAR} and {LAST_YEAR}"
        )
    return value


def choice(enum: type[Any], text: str) -> Any:
    try:
        return enum.parse(text)
    except ValueError as error:
        raise InvalidValueError(str(error)) from None


@contextmanager
def opened(args: argparse.Namespace, *, daily_backup: bool = True) -> Iterator[Database]:
    """The database the command was pointed at (--db, $CASETRACKER_DB or the default file),
    closed when the command is done (daily_backup=False: the command makes it itself)."""
    db = open_database(getattr(args, "db", None), daily_backup=daily_backup)
    try:
        yield db
    finally:
        db.dispose()


def acting_user(args: argparse.Namespace) -> str:
    """Who the command acts as: the account signed in for it, else --user, else
    $CASETRACKER_USER or the login name (a database without accounts)."""
    return str(getattr(args, "user", None) or current_user())


@contextmanager
def signed_in(args: argparse.Namespace) -> Iterator[tuple[Database, str]]:
    """The database the command names and who acts on it: what every command that reads or
    changes records starts from."""
    with opened(args) as db:
        yield db, acting_user(args)
