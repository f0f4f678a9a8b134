"""Undoing one correction: every history row of its group is reversed, newest first, as a new
group (so an undo can itself be undone). Refused when a field has changed since, because the
undo would then overwrite someone's later work."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casetracker.domain.enums import (
    ChargeRole,
    DispositionKind,
    FlagKind,
    NotificationMethod,
    NotificationOutcome,
)
from casetracker.domain.errors import NotFoundError, TransitionError
from casetracker.domain.models import (
    Case,
    Charge,
    CommunityEvent,
    CourtList,
    Motion,
    NotificationAttempt,
    Person,
    PersonFlag,
    RecordEvent,
)
from casetracker.records.fields import CASE_FIELDS, EVENT_FIELDS, PERSON_FIELDS, from_json, to_json
from casetracker.records.history import RecordChange, Recorder, motions_of_case, motions_of_person
from casetracker.records.people import touch

_KINDS: dict[str, dict[str, type[Any]]] = {
    "person": {name: f.kind for name, f in PERSON_FIELDS.items()},
    "case": {name: f.kind for name, f in CASE_FIELDS.items()}
    | {"disposition_kind": DispositionKind},
    "event": {name: f.kind for name, f in EVENT_FIELDS.items()}
    | {"retired_at": datetime, "retired_by": str},
    "charge": {"role": ChargeRole, "position": int},
    "court_list": {"court_date": date, "part": str},
    "flag": {"kind": FlagKind, "recorded_at": datetime},
    "notification": {
        "method": NotificationMethod,
        "outcome": NotificationOutcome,
        "attempted_on": date,
        "recorded_at": datetime,
    },
}
_MODELS: dict[str, type[Any]] = {
    "person": Person,
    "case": Case,
    "event": CommunityEvent,
    "charge": Charge,
    "court_list": CourtList,
    "flag": PersonFlag,
    "notification": NotificationAttempt,
}
_NOUNS = {
    "person": "person",
    "case": "case",
    "event": "community event",
    "charge": "charge",
    "court_list": "court list",
    "flag": "flag",
    "notification": "notification attempt",
}


def undo_records(
    session: Session,
    actor: Any,
    group_id: str,
    *,
    reason: str = "",
    undo_group_id: str | None = None,
) -> RecordChange:
    events = session.scalars(
        select(RecordEvent).where(RecordEvent.group_id == group_id).order_by(RecordEvent.id.desc())
    ).all()
    if not events:
        raise NotFoundError("There is nothing to undo for that action.")
    already = session.scalars(
        select(RecordEvent.id).where(RecordEvent.undoes_group == group_id).limit(1)
    ).first()
    if already is not None:
        raise TransitionError("That change has already been undone.")
    first = events[-1]
    why = reason or f"Undo of {first.action} by {first.user} at {first.at:%Y-%m-%d %H:%M}"
    recorder = Recorder(session, actor, why, undo_group_id)
    result = recorder.change(f"Undo {_NOUNS.get(first.entity, first.entity)} {first.action}")
    for event in events:
        _revert(session, recorder, event, result)
    return result


def _revert(session: Session, recorder: Recorder, event: RecordEvent, result: RecordChange) -> None:
    kinds = _KINDS.get(event.entity)
    model = _MODELS.get(event.entity)
    if kinds is None or model is None:
        raise TransitionError(f"A {event.entity} change cannot be undone here.")
    noun = _NOUNS[event.entity]
    row = session.get(model, event.entity_id)
    restore = {
        name: from_json(kinds.get(name), before) for name, (before, _a) in event.changes.items()
    }
    if event.action == "add":
        if row is None:
            raise TransitionError(f"Cannot undo: the {noun} was removed since.")
        _same_as_after(row, event, noun)
        if event.entity == "event":
            used = session.scalar(select(func.count()).where(Motion.event_id == row.id))
            if used:
                raise TransitionError(
                    f"Cannot undo: {used} motion(s) were taken at community event '{row.name}' "
                    "since it was made; retire it instead."
                )
        session.delete(row)
        action = "remove"
        after_changes = {name: [after, None] for name, (_b, after) in event.changes.items()}
    elif event.action == "remove":
        if row is not None:
            raise TransitionError(f"Cannot undo: the {noun} is back already.")
        parent = {"charge": {"case_id": event.case_id}, "flag": {"person_id": event.person_id}}
        session.add(model(id=event.entity_id, **parent.get(event.entity, {}), **restore))
        action = "add"
        after_changes = {name: [None, before] for name, (before, _a) in event.changes.items()}
    else:
        if row is None:
            raise TransitionError(f"Cannot undo: the {noun} was removed since.")
        _same_as_after(row, event, noun)
        for name, value in restore.items():
            setattr(row, name, value)
        action = "edit"
        after_changes = {name: [after, before] for name, (before, after) in event.changes.items()}
    version = _touch_owner(session, event)
    recorder.write(
        event.entity,
        event.entity_id,
        action,
        after_changes,
        person_id=event.person_id,
        case_id=event.case_id,
        version=version,
        undoes_group=event.group_id,
    )
    if event.person_id is not None:
        result.people.add(event.person_id)
        result.motions |= motions_of_person(session, event.person_id)
    if event.case_id is not None:
        result.motions |= motions_of_case(session, event.case_id)


def _same_as_after(row: Any, event: RecordEvent, noun: str) -> None:
    for name, (_before, after) in event.changes.items():
        now = to_json(getattr(row, name))
        if _normal(now) != _normal(after):
            raise TransitionError(
                f"Cannot undo: the {noun}'s {name.replace('_', ' ')} has changed since "
                f"({event.action} by {event.user} at {event.at:%Y-%m-%d %H:%M})."
            )


def _normal(value: Any) -> Any:
    # Stored times come back in UTC with an offset; compare them as instants.
    if isinstance(value, str) and len(value) > 18 and value[10:11] == "T":
        try:
            return datetime.fromisoformat(value).timestamp()
        except ValueError:
            return value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _touch_owner(session: Session, event: RecordEvent) -> int | None:
    """Move the version of the person, case or event on and return it."""
    owner: Any = None
    if event.entity in ("person", "flag") and event.person_id is not None:
        owner, column = session.get(Person, event.person_id), "aliases"
    elif event.entity in ("case", "charge") and event.case_id is not None:
        owner, column = session.get(Case, event.case_id), "disposition"
    elif event.entity == "event":
        owner, column = session.get(CommunityEvent, event.entity_id), "name"
    if owner is None:
        session.flush()
        return None
    touch(owner, column)
    session.flush()
    return int(owner.version)
