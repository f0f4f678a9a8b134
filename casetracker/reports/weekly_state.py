"""Each motion as it stood at a past moment, rebuilt from the history.

The motion table holds the state now; every change since was written to the history with the
values it replaced (motion_event.changes: field -> [before, after]). Putting back, newest
first, the "before" values of the events written at or after a moment gives the state at
that moment; a motion whose first event (intake or import) comes later did not exist yet.
Undos are changes like any other, so an undo written after the moment is taken back too and
an undo written before it stands. Only the events after the moment are read, which for last
week's report is a few thousand rows, not the whole history.

Values are read as the database stores them (enum values as text, times as text on SQLite)
and turned into Python objects only where a figure needs them: this runs over every motion.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import String, func, literal, select, type_coerce
from sqlalchemy.orm import Session

from casetracker.domain.models import Case, Motion, MotionEvent, Person

# History field -> MotionState attribute, for the fields the figures read.
TRACKED = {
    "stage": "stage",
    "stage_entered_at": "entered",
    "outcome": "outcome",
    "decision": "decision",
    "screening_result": "screening",
    "sealing_confirmed_date": "sealed",
    "notification_date": "notified",
    "assigned_prosecutor": "prosecutor",
    "supervisor_signoff_by": "signed_off",
    "sealing_deadline": "sealing_deadline",
    "order_date": "order_date",
}
CREATING = ("intake", "import")


class MotionState(NamedTuple):
    """One motion's fields that the figures read, as stored (enum values as text, times as
    text on SQLite); in the order read_states selects them."""

    id: int
    kind: str
    county: str | None
    event_id: int | None
    person_id: int
    case_id: int
    stage: str
    entered: Any
    outcome: str | None
    decision: str | None
    screening: str | None
    sealed: Any
    notified: Any
    prosecutor: str | None
    signed_off: str | None
    sealing_deadline: Any
    order_date: Any
    exists: bool
    last_name: str
    first_name: str
    reference: str


def _text(column: Any, name: str) -> Any:
    # Skip the enum and time conversions: 100,000 of each cost more than the query.
    return type_coerce(column, String).label(name)


def read_states(session: Session, details: bool) -> Iterator[MotionState]:
    """Every motion as it is now."""
    columns: list[Any] = [
        Motion.id.label("id"),
        _text(Motion.kind, "kind"),
        _text(Case.county, "county"),
        Motion.event_id.label("event_id"),
        Motion.person_id.label("person_id"),
        Motion.case_id.label("case_id"),
        _text(Motion.stage, "stage"),
        _text(Motion.stage_entered_at, "entered"),
        _text(Motion.outcome, "outcome"),
        _text(Motion.decision, "decision"),
        _text(Motion.screening_result, "screening"),
        _text(Motion.sealing_confirmed_date, "sealed"),
        _text(Motion.notification_date, "notified"),
        Motion.assigned_prosecutor.label("prosecutor"),
        Motion.supervisor_signoff_by.label("signed_off"),
        _text(Motion.sealing_deadline, "sealing_deadline"),
        _text(Motion.order_date, "order_date"),
        literal(True).label("exists"),
    ]
    query = select(*columns).select_from(Motion).join(Case, Case.id == Motion.case_id)
    if details:
        query = query.add_columns(
            Person.last_name.label("last_name"),
            Person.first_name.label("first_name"),
            func.coalesce(Case.docket, Case.summons_number, "").label("reference"),
        ).join(Person, Person.id == Motion.person_id)
    else:
        query = query.add_columns(
            literal("").label("last_name"),
            literal("").label("first_name"),
            literal("").label("reference"),
        )
    # Core execution, not the ORM's: rows stream from the cursor instead of being loaded
    # all at once, which at 100,000 motions saves both time and memory.
    rows = session.connection().execute(query)
    return map(MotionState._make, rows)


@dataclass(slots=True)
class Event:
    """A history row written at or after the earliest moment a report asks about."""

    id: int
    motion_id: int
    at: datetime  # aware, UTC
    user: str
    action: str
    from_stage: str | None
    to_stage: str
    reason: str
    changes: dict[str, Any]
    group_id: str | None
    undoes_group: str | None


def events_since(session: Session, since: datetime) -> list[Event]:
    """History written at or after `since`, oldest first."""
    query = (
        select(
            MotionEvent.id,
            MotionEvent.motion_id,
            _text(MotionEvent.at, "at"),
            MotionEvent.user,
            MotionEvent.action,
            _text(MotionEvent.from_stage, "from_stage"),
            _text(MotionEvent.to_stage, "to_stage"),
            MotionEvent.reason,
            _text(MotionEvent.changes, "changes"),
            MotionEvent.group_id,
            MotionEvent.undoes_group,
        )
        .where(MotionEvent.at >= since)
        .order_by(MotionEvent.at, MotionEvent.id)
    )
    events = []
    for row in session.connection().execute(query):
        changes = row[8]
        events.append(
            Event(
                row[0],
                row[1],
                as_utc(row[2]),
                row[3],
                row[4],
                row[5],
                row[6],
                row[7],
                json.loads(changes) if isinstance(changes, str) else dict(changes or {}),
                row[9],
                row[10],
            )
        )
    return events


def roll_back(states: dict[int, MotionState], events: Iterable[Event]) -> None:
    """Put back what `events` changed, newest first, in place. States are replaced, never
    edited, so a caller may keep the dictionary it had before."""
    for event in sorted(events, key=lambda e: (e.at, e.id), reverse=True):
        state = states.get(event.motion_id)
        if state is None:
            continue
        if event.action in CREATING and event.from_stage is None:
            states[event.motion_id] = state._replace(exists=False)
            continue
        before = {TRACKED[name]: pair[0] for name, pair in event.changes.items() if name in TRACKED}
        if before:
            states[event.motion_id] = state._replace(**before)


def as_utc(value: Any) -> datetime:
    """A stored or JSON time (text on SQLite and in the history, datetime on PostgreSQL)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
