"""The corrections as operations (casetracker.operations): each owns its unit of work, runs
the permission and audit hooks, and returns the Changes the window applies to every view and
the undo entry the undo menu offers (undone by motion_ops.undo, which reverses a records
group as it does a motions group)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.domain.models import MotionEvent, RecordEvent
from casetracker.operations import Actor, Changes, UndoEntry, operation
from casetracker.records import cases, events, people
from casetracker.records.history import RecordChange
from casetracker.records.undo import undo_records

# The views that list community events (intake's choices, the desk's filter) read them again.
EVENTS_SETTING = "community_events"


def as_changes(change: RecordChange, *, settings: frozenset[str] = frozenset()) -> Changes:
    undo = (
        UndoEntry(change.summary, change.group_id, frozenset(change.motions))
        if change.changed
        else None
    )
    return Changes(
        motions=frozenset(change.motions),
        people=frozenset(change.people),
        settings=settings if change.changed else frozenset(),
        summary=change.summary if change.changed else f"{change.summary}: nothing changed",
        undo=undo,
    )


def _merge(first: RecordChange, later: RecordChange) -> RecordChange:
    if later.changed:
        first.summary = f"{first.summary}; {later.summary}" if first.changed else later.summary
    first.people |= later.people
    first.motions |= later.motions
    first.warnings += later.warnings
    first.created_id = first.created_id if first.created_id is not None else later.created_id
    first.events.extend(e for e in later.events if e not in first.events)
    return first


@operation("person.edit")
def edit_person(
    session: Session,
    actor: Actor,
    person_id: int,
    values: Mapping[str, Any],
    *,
    add_flags: Sequence[tuple[Any, str, str | None]] = (),
    remove_flags: Sequence[int] = (),
    expected_version: int | None = None,
    reason: str = "",
) -> Changes:
    """Correct a person's fields and flags as one undoable action."""
    return as_changes(
        person_change(
            session,
            actor,
            person_id,
            values,
            add_flags=add_flags,
            remove_flags=remove_flags,
            expected_version=expected_version,
            reason=reason,
        )
    )


def person_change(
    session: Session,
    actor: Actor | str,
    person_id: int,
    values: Mapping[str, Any],
    *,
    add_flags: Sequence[tuple[Any, str, str | None]] = (),
    remove_flags: Sequence[int] = (),
    expected_version: int | None = None,
    reason: str = "",
) -> RecordChange:
    change = people.edit_person(
        session, actor, person_id, values, expected_version=expected_version, reason=reason
    )
    group = change.group_id
    for flag_id in remove_flags:
        _merge(change, people.remove_flag(session, actor, flag_id, reason=reason, group_id=group))
    for kind, source, note in add_flags:
        _merge(
            change,
            people.add_flag(
                session, actor, person_id, kind, source, note, reason=reason, group_id=group
            ),
        )
    return change


@operation("case.edit")
def edit_case(
    session: Session,
    actor: Actor,
    case_id: int,
    values: Mapping[str, Any],
    *,
    add_charges: Sequence[tuple[str, Any]] = (),
    edit_charges: Sequence[tuple[int, str | None, Any]] = (),
    remove_charges: Sequence[int] = (),
    expected_version: int | None = None,
    reason: str = "",
) -> Changes:
    """Correct a case and its charges (added: (text, role); edited: (id, code, role);
    removed: ids) as one undoable action."""
    change = cases.edit_case(
        session, actor, case_id, values, expected_version=expected_version, reason=reason
    )
    group = change.group_id
    for charge_id in remove_charges:
        _merge(
            change, cases.remove_charge(session, actor, charge_id, reason=reason, group_id=group)
        )
    for charge_id, code, role in edit_charges:
        _merge(
            change,
            cases.edit_charge(
                session, actor, charge_id, code=code, role=role, reason=reason, group_id=group
            ),
        )
    for text, role in add_charges:
        _merge(
            change,
            cases.add_charges(session, actor, case_id, text, role, reason=reason, group_id=group),
        )
    return as_changes(change)


@operation("charge.add")
def add_charges(
    session: Session,
    actor: Actor,
    case_id: int,
    text: str,
    role: Any = "arrest",
    *,
    reason: str = "",
) -> Changes:
    return as_changes(cases.add_charges(session, actor, case_id, text, role, reason=reason))


@operation("charge.edit")
def edit_charge(
    session: Session,
    actor: Actor,
    charge_id: int,
    *,
    code: str | None = None,
    role: Any = None,
    reason: str = "",
) -> Changes:
    return as_changes(
        cases.edit_charge(session, actor, charge_id, code=code, role=role, reason=reason)
    )


@operation("charge.remove")
def remove_charge(session: Session, actor: Actor, charge_id: int, *, reason: str = "") -> Changes:
    return as_changes(cases.remove_charge(session, actor, charge_id, reason=reason))


_EVENTS = frozenset({EVENTS_SETTING})


@operation("event.add")
def add_event(
    session: Session, actor: Actor, values: Mapping[str, Any], *, reason: str = ""
) -> Changes:
    change = events.add_event(session, actor, values, reason=reason)
    change.summary += f" (event {change.created_id})"
    return as_changes(change, settings=_EVENTS)


@operation("event.edit")
def edit_event(
    session: Session,
    actor: Actor,
    event_id: int,
    values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    reason: str = "",
) -> Changes:
    return as_changes(
        events.edit_event(
            session, actor, event_id, values, expected_version=expected_version, reason=reason
        ),
        settings=_EVENTS,
    )


@operation("event.retire")
def retire_event(
    session: Session,
    actor: Actor,
    event_id: int,
    *,
    retire: bool = True,
    expected_version: int | None = None,
    reason: str = "",
) -> Changes:
    return as_changes(
        events.retire_event(
            session,
            actor,
            event_id,
            retire=retire,
            expected_version=expected_version,
            reason=reason,
        ),
        settings=_EVENTS,
    )


def undo_if_records(
    session: Session,
    actor: Actor | str,
    entry: UndoEntry,
    *,
    reason: str = "",
    undo_group_id: str | None = None,
) -> Changes | None:
    """Undo the records' part of `entry` (None if it has none), for the undo operation
    (motion_ops.undo), so the window's one undo menu undoes corrections, and actions that
    changed both a motion and a record (a notification attempt) as one. `undo_group_id`: the
    group the motions' undo was written under, so redoing undoes both again."""
    found = session.scalars(
        select(RecordEvent.id).where(RecordEvent.group_id == entry.group_id).limit(1)
    ).first()
    if found is None:
        return None
    change = undo_records(
        session, actor, entry.group_id, reason=reason, undo_group_id=undo_group_id
    )
    changes = as_changes(change)
    return Changes(
        motions=changes.motions,
        people=changes.people,
        settings=_EVENTS,
        summary=f"Undone: {entry.label}" if entry.label else change.summary,
        undo=changes.undo,
    )


def has_motion_events(session: Session, group_id: str) -> bool:
    found = session.scalars(
        select(MotionEvent.id).where(MotionEvent.group_id == group_id).limit(1)
    ).first()
    return found is not None
