"""The report's numbers worked out again straight from the tables, in plain Python, sharing
no code with casetracker.reports, so a test compares two independent computations."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.domain.models import Case, Motion, MotionEvent

ACTIONS = {
    "intake",
    "import",
    "verify",
    "screen",
    "consent",
    "oppose",
    "request_info",
    "file",
    "calendar",
    "adjourn",
    "grant",
    "deny",
    "seal",
    "notify",
    "withdraw",
    "close",
}
CLOSED = {"closed", "withdrawn"}


def local_day(moment: datetime, tz: tzinfo | None) -> date:
    return moment.astimezone(tz).date()


def standing_events(session: Session) -> list[MotionEvent]:
    """History rows that still stand: movement actions whose group was not undone."""
    events = list(session.scalars(select(MotionEvent).order_by(MotionEvent.id)))
    undo_of = {e.undoes_group: e.group_id for e in events if e.action == "undo"}

    def undone(group: str | None) -> bool:
        if group is None or group not in undo_of:
            return False
        return not undone(undo_of[group])

    return [e for e in events if e.action in ACTIONS and not undone(e.group_id)]


def moved_counts(session: Session, start: date, end: date, tz: tzinfo | None) -> Counter[str]:
    return Counter(
        e.action for e in standing_events(session) if start <= local_day(e.at, tz) <= end
    )


def stage_counts(session: Session) -> Counter[str]:
    return Counter(m.stage.value for m in session.scalars(select(Motion)))


def backlog_buckets(session: Session, as_of: date, tz: tzinfo | None) -> list[int]:
    buckets = [0, 0, 0, 0]
    for m in session.scalars(select(Motion)):
        if m.stage.value in CLOSED:
            continue
        days = (as_of - local_day(m.stage_entered_at, tz)).days
        buckets[0 if days <= 30 else 1 if days <= 60 else 2 if days <= 90 else 3] += 1
    return buckets


def overdue_ids(session: Session, as_of: date) -> set[int]:
    return {
        m.id
        for m in session.scalars(select(Motion))
        if m.stage.value == "granted"
        and m.sealing_deadline is not None
        and m.sealing_deadline < as_of
        and m.sealing_confirmed_date is None
    }


def median_stays(
    session: Session, start: date, end: date, tz: tzinfo | None
) -> dict[str, tuple[float, int]]:
    by_motion: dict[int, list[MotionEvent]] = defaultdict(list)
    for e in standing_events(session):
        by_motion[e.motion_id].append(e)
    stays: dict[str, list[float]] = defaultdict(list)
    for events in by_motion.values():
        events.sort(key=lambda e: (e.at, e.id))
        for before, after in zip(events, events[1:], strict=False):
            if start <= local_day(after.at, tz) <= end and after.from_stage is not None:
                stays[after.from_stage.value].append((after.at - before.at).total_seconds() / 86400)
    return {stage: (statistics.median(v), len(v)) for stage, v in stays.items()}


def county_stage_counts(session: Session) -> dict[str, Counter[str]]:
    result: dict[str, Counter[str]] = defaultdict(Counter)
    for m, county in session.execute(select(Motion, Case.county).join(Case)):
        result[county.label if county else "(no county)"][m.stage.value] += 1
    return result


def trend(session: Session, end: date, tz: tzinfo | None, weeks: int = 12) -> list[Counter[str]]:
    events = standing_events(session)
    result = []
    for n in range(weeks - 1, -1, -1):
        week_end = end - timedelta(days=7 * n)
        week_start = week_end - timedelta(days=6)
        result.append(
            Counter(e.action for e in events if week_start <= local_day(e.at, tz) <= week_end)
        )
    return result
