"""Community events: the clinics where intake happens. Staff create them, correct them and
retire them once over; a retired event is no longer offered at intake, and the motions taken
there keep it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casetracker.domain.enums import County
from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import CommunityEvent, Motion
from casetracker.records.fields import EVENT_FIELDS, parse_values, to_json
from casetracker.records.history import RecordChange, Recorder, check_version
from casetracker.records.people import apply


@dataclass(frozen=True)
class EventInfo:
    id: int
    name: str
    event_date: date
    location: str | None
    county: County | None
    retired: bool
    motions: int
    version: int

    @property
    def label(self) -> str:
        return f"{self.event_date.isoformat()} {self.name}"


def list_events(session: Session, *, include_retired: bool = False) -> list[EventInfo]:
    counts = dict(
        session.execute(
            select(Motion.event_id, func.count())
            .where(Motion.event_id.is_not(None))
            .group_by(Motion.event_id)
        ).all()
    )
    query = select(CommunityEvent).order_by(CommunityEvent.event_date.desc(), CommunityEvent.id)
    if not include_retired:
        query = query.where(CommunityEvent.retired_at.is_(None))
    return [
        EventInfo(
            e.id,
            e.name,
            e.event_date,
            e.location,
            e.county,
            e.retired_at is not None,
            counts.get(e.id, 0),
            e.version,
        )
        for e in session.scalars(query)
    ]


def load_event(
    session: Session, event_id: int, expected_version: int | None = None
) -> CommunityEvent:
    event = session.get(CommunityEvent, event_id)
    if event is None:
        raise NotFoundError(f"There is no community event {event_id}.")
    check_version(
        session,
        what=f"Community event '{event.name}'",
        expected=expected_version,
        current=event.version,
        entities=("event",),
        key="entity_id",
        key_id=event_id,
    )
    return event


def _same_event(session: Session, name: str, day: date, other_than: int | None) -> None:
    query = select(CommunityEvent.id).where(
        func.lower(CommunityEvent.name) == name.lower(), CommunityEvent.event_date == day
    )
    if other_than is not None:
        query = query.where(CommunityEvent.id != other_than)
    found = session.scalars(query).first()
    if found is not None:
        raise InvalidValueError(
            f"There is already an event '{name}' on {day.isoformat()} (event {found})."
        )


def event_row(event: CommunityEvent) -> dict[str, Any]:
    return {name: to_json(getattr(event, name)) for name in EVENT_FIELDS}


def add_event(
    session: Session,
    actor: Any,
    values: Mapping[str, Any],
    *,
    reason: str = "",
    group_id: str | None = None,
) -> RecordChange:
    parsed = parse_values(EVENT_FIELDS, values, "community event")
    for name, field in EVENT_FIELDS.items():
        if field.required and parsed.get(name) is None:
            raise InvalidValueError(f"A community event needs its {field.label}.")
    _same_event(session, parsed["name"], parsed["event_date"], None)
    event = CommunityEvent(**parsed)
    session.add(event)
    session.flush()
    recorder = Recorder(session, actor, reason, group_id)
    recorder.write(
        "event",
        event.id,
        "add",
        {name: [None, value] for name, value in event_row(event).items()},
        version=event.version,
    )
    return recorder.change(
        f"New community event {event.event_date.isoformat()} {event.name}",
        created_id=event.id,
    )


def edit_event(
    session: Session,
    actor: Any,
    event_id: int,
    values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    reason: str = "",
    group_id: str | None = None,
) -> RecordChange:
    event = load_event(session, event_id, expected_version)
    updates = parse_values(EVENT_FIELDS, values, "community event")
    for name, field in EVENT_FIELDS.items():
        if field.required and name in updates and updates[name] is None:
            raise InvalidValueError(f"A community event needs its {field.label}.")
    _same_event(
        session,
        updates.get("name", event.name),
        updates.get("event_date", event.event_date),
        event.id,
    )
    return _write(session, actor, event, updates, "edit", reason, group_id)


def retire_event(
    session: Session,
    actor: Any,
    event_id: int,
    *,
    retire: bool = True,
    expected_version: int | None = None,
    reason: str = "",
    group_id: str | None = None,
) -> RecordChange:
    """Retire (or bring back) an event: it stays on the motions taken there."""
    event = load_event(session, event_id, expected_version)
    if (event.retired_at is not None) == retire:
        state = "already retired" if retire else "not retired"
        raise InvalidValueError(f"Community event '{event.name}' is {state}.")
    recorder = Recorder(session, actor, reason, group_id)
    updates = (
        {"retired_at": recorder.at, "retired_by": recorder.user}
        if retire
        else {"retired_at": None, "retired_by": None}
    )
    return _write(
        session, actor, event, updates, "retire" if retire else "edit", reason, recorder.group_id
    )


def _write(
    session: Session,
    actor: Any,
    event: CommunityEvent,
    updates: Mapping[str, Any],
    action: str,
    reason: str,
    group_id: str | None,
) -> RecordChange:
    changes = apply(event, updates)
    recorder = Recorder(session, actor, reason, group_id)
    verb = {"retire": "Retire", "edit": "Edit"}[action]
    if "retired_at" in changes and action == "edit":
        verb = "Bring back"
    result = recorder.change(f"{verb} community event {event.name}")
    if not changes:
        return result
    session.flush()
    recorder.write("event", event.id, action, changes, version=event.version)
    result.created_id = None
    result.motions = set(session.scalars(select(Motion.id).where(Motion.event_id == event.id)))
    return result
