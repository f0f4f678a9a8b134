"""The report's numbers worked out again straight from the tables, in plain Python, sharing
no code with casetracker.reports, so a test compares two independent computations."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta, tzinfo

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


def standing_events(session: Session, before: datetime | None = None) -> list[MotionEvent]:
    """History rows that stand at `before` (now when None): movement actions written before
    it whose group was not undone before it."""
    events = [
        e
        for e in session.scalars(select(MotionEvent).order_by(MotionEvent.id))
        if before is None or e.at.replace(tzinfo=e.at.tzinfo or UTC) < before
    ]
    undo_of = {e.undoes_group: e.group_id for e in events if e.action == "undo"}

    def undone(group: str | None) -> bool:
        if group is None or group not in undo_of:
            return False
        return not undone(undo_of[group])

    return [e for e in events if e.action in ACTIONS and not undone(e.group_id)]


def moved_counts(
    session: Session, start: date, end: date, tz: tzinfo | None, before: datetime | None = None
) -> Counter[str]:
    return Counter(
        e.action for e in standing_events(session, before) if start <= local_day(e.at, tz) <= end
    )


def stage_counts(session: Session) -> Counter[str]:
    return Counter(m.stage.value for m in session.scalars(select(Motion)))


def state_at(session: Session, cutoff: datetime) -> dict[int, tuple[str, datetime]]:
    """Each motion's stage at `cutoff` and when it entered it: replaying the moves that stand."""
    state: dict[int, tuple[str, datetime]] = {}
    for e in sorted(standing_events(session, cutoff), key=lambda e: (e.at, e.id)):
        state[e.motion_id] = (e.to_stage.value, e.at)
    return state


def stage_counts_at(session: Session, cutoff: datetime) -> Counter[str]:
    return Counter(stage for stage, _ in state_at(session, cutoff).values())


def backlog_buckets(
    session: Session, cutoff: datetime, as_of: date, tz: tzinfo | None
) -> tuple[list[int], int]:
    """Open work by age bucket, and the open motions waiting only to be closed."""
    buckets = [0, 0, 0, 0, 0]
    waiting = 0
    signed = {
        e.motion_id: e.at for e in standing_events_any(session, cutoff) if e.action == "signoff"
    }
    for motion_id, (stage, entered) in state_at(session, cutoff).items():
        if stage in CLOSED:
            continue
        if stage in ("notified", "denied") or (
            stage == "opposed" and motion_id in signed and signed[motion_id] >= entered
        ):
            waiting += 1
            continue
        days = (as_of - local_day(entered, tz)).days
        buckets[
            0 if days <= 30 else 1 if days <= 90 else 2 if days <= 180 else 3 if days <= 365 else 4
        ] += 1
    return buckets, waiting


def standing_events_any(session: Session, cutoff: datetime) -> list[MotionEvent]:
    """Every history row before `cutoff`, movement or not, whose group was not undone."""
    events = [
        e
        for e in session.scalars(select(MotionEvent).order_by(MotionEvent.id))
        if e.at.replace(tzinfo=e.at.tzinfo or UTC) < cutoff
    ]
    undo_of = {e.undoes_group: e.group_id for e in events if e.action == "undo"}

    def undone(group: str | None) -> bool:
        if group is None or group not in undo_of:
            return False
        return not undone(undo_of[group])

    return [e for e in events if e.action != "undo" and not undone(e.group_id)]


def overdue_ids(session: Session, cutoff: datetime, as_of: date) -> set[int]:
    state = state_at(session, cutoff)
    return {
        m.id
        for m in session.scalars(select(Motion))
        if state.get(m.id, ("",))[0] == "granted"
        and m.sealing_deadline is not None
        and m.sealing_deadline < as_of
    }


def median_stays(
    session: Session, start: date, end: date, tz: tzinfo | None, before: datetime | None = None
) -> dict[str, tuple[float, int]]:
    by_motion: dict[int, list[MotionEvent]] = defaultdict(list)
    for e in standing_events(session, before):
        by_motion[e.motion_id].append(e)
    stays: dict[str, list[float]] = defaultdict(list)
    for events in by_motion.values():
        events.sort(key=lambda e: (e.at, e.id))
        for before, after in zip(events, events[1:], strict=False):
            if start <= local_day(after.at, tz) <= end and after.from_stage is not None:
                stays[after.from_stage.value].append((after.at - before.at).total_seconds() / 86400)
    return {stage: (statistics.median(v), len(v)) for stage, v in stays.items()}


def county_stage_counts(session: Session, cutoff: datetime) -> dict[str, Counter[str]]:
    state = state_at(session, cutoff)
    result: dict[str, Counter[str]] = defaultdict(Counter)
    for m, county in session.execute(select(Motion, Case.county).join(Case)):
        if m.id in state:
            result[county.label if county else "(no county)"][state[m.id][0]] += 1
    return result


def results(
    session: Session, start: date, cutoff: datetime, tz: tzinfo | None
) -> tuple[dict[str, int], dict[str, int]]:
    """(to date, this week) for each result: things first reached before the cutoff, and
    those first reached on or after the local day `start`."""
    motions = {m.id: m for m in session.scalars(select(Motion))}
    first: dict[str, dict[object, datetime]] = defaultdict(dict)
    for e in sorted(standing_events(session, cutoff), key=lambda e: (e.at, e.id)):
        m = motions[e.motion_id]
        keys: list[tuple[str, object]] = []
        if e.action == "grant":
            vacated = "convictions" if m.kind.value == "conviction_vacatur" else "warrants"
            keys = [(vacated, m.id), ("cases", m.case_id), ("people_cleared", m.person_id)]
        elif e.action == "seal":
            keys = [("sealed", m.case_id)]
        elif e.action == "notify":
            keys = [("people_notified", m.person_id)]
        for measure, key in keys:
            first[measure].setdefault(key, e.at)
    names = ("convictions", "warrants", "cases", "sealed", "people_cleared", "people_notified")
    to_date = {n: len(first[n]) for n in names}
    week = {n: sum(1 for at in first[n].values() if local_day(at, tz) >= start) for n in names}
    return to_date, week


def trend(
    session: Session, end: date, tz: tzinfo | None, before: datetime | None = None, weeks: int = 12
) -> list[Counter[str]]:
    events = standing_events(session, before)
    result = []
    for n in range(weeks - 1, -1, -1):
        week_end = end - timedelta(days=7 * n)
        week_start = week_end - timedelta(days=6)
        result.append(
            Counter(e.action for e in events if week_start <= local_day(e.at, tz) <= week_end)
        )
    return result
