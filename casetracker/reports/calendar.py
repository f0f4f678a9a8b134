"""The office's calendar: report weeks and local days, turned into UTC instants for SQL.

History is stored in UTC; the office thinks in local days. A report week is the seven local
calendar days ending on the chosen date (Monday to Sunday when that date is a Sunday, which is
what the window proposes). `tz=None` means the computer's own time zone, with its daylight
saving rules, which is what an office machine is set to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class Week:
    start: date
    end: date

    @classmethod
    def ending(cls, day: date) -> Week:
        return cls(day - timedelta(days=6), day)

    def earlier(self, weeks: int) -> Week:
        return Week.ending(self.end - timedelta(days=7 * weeks))

    @property
    def title(self) -> str:
        return f"{self.start:%a %d %b %Y} to {self.end:%a %d %b %Y}"


def last_complete_week_end(today: date) -> date:
    """The most recent Sunday before today (a week that is still running is not complete)."""
    return today - timedelta(days=today.weekday() + 1)


def local_midnight_utc(day: date, tz: tzinfo | None) -> datetime:
    """The UTC instant at which local `day` begins."""
    naive = datetime.combine(day, time())
    aware = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    return aware.astimezone(UTC)


def to_local(moment: datetime, tz: tzinfo | None) -> datetime:
    """A UTC time as a naive local time, which is what a spreadsheet cell can hold."""
    return moment.astimezone(tz).replace(tzinfo=None)


def week_bounds_utc(week: Week, tz: tzinfo | None) -> tuple[datetime, datetime]:
    """[start, end) in UTC: from the first local midnight to the midnight after the last day."""
    return local_midnight_utc(week.start, tz), local_midnight_utc(week.end + timedelta(days=1), tz)
