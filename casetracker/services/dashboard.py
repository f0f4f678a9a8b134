"""The office at a glance: the weekly report's own figures for the week that is running.

The dashboard computes nothing itself. It asks the report's one function for the current week
(Monday to now, so it is partial), which is why the two can never disagree: the same rules
for undone actions, the same stages, the same age buckets.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlalchemy.orm import Session

from casetracker.domain.clock import utcnow
from casetracker.reports.calendar import to_local
from casetracker.reports.weekly_data import build_weekly_report
from casetracker.reports.weekly_figures import WeeklyReport


def current_week_end(now: datetime, tz: tzinfo | None = None) -> datetime:
    """The Sunday that ends the local week `now` falls in."""
    day = to_local(now, tz)
    return day + timedelta(days=6 - day.weekday())


def dashboard(
    session: Session, now: datetime | None = None, tz: tzinfo | None = None
) -> WeeklyReport:
    now = now or utcnow()
    week_end = current_week_end(now, tz).date()
    return build_weekly_report(session, week_end, now=now, tz=tz, details=False)
