"""Times are stored in UTC to the millisecond, so history sorts the same on every machine."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def today() -> date:
    """The office's calendar day, which is local time, not UTC."""
    return date.today()
