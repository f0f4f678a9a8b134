"""Correcting a person: names, aliases, date of birth, NYSID, contact, language, interpreter,
consent to contact, and the flags that can exclude them (each with its source and a note)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import Person, PersonFlag
from casetracker.normalize import make_name, name_key, normalize_nysid
from casetracker.records.fields import FLAG_KIND, PERSON_FIELDS, parse_values, refusal, to_json
from casetracker.records.history import (
    RecordChange,
    Recorder,
    check_version,
    motions_of_person,
)

PERSON_ENTITIES = ("person", "flag")
_NAME_FIELDS = ("last_name", "first_name", "middle_name")


def load_person(session: Session, person_id: int, expected_version: int | None = None) -> Person:
    person = session.scalars(
        select(Person).where(Person.id == person_id).options(selectinload(Person.flags))
    ).first()
    if person is None:
        raise NotFoundError(f"There is no person {person_id}.")
    check_version(
        session,
        what=f"Person {person_id} ({person.display_name})",
        expected=expected_version,
        current=person.version,
        entities=PERSON_ENTITIES,
        key="person_id",
        key_id=person_id,
    )
    return person


def edit_person(
    session: Session,
    actor: Any,
    person_id: int,
    values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    reason: str = "",
    group_id: str | None = None,
) -> RecordChange:
    """Set the given fields (others are kept); an empty value clears a field."""
    person = load_person(session, person_id, expected_version)
    parsed = parse_values(PERSON_FIELDS, values, "person")
    updates = dict(parsed)
    if "nysid" in parsed:
        updates.update(_nysid(session, person, parsed["nysid"]))
    if any(name in parsed for name in _NAME_FIELDS):
        given = {name: parsed.get(name, getattr(person, name)) or "" for name in _NAME_FIELDS}
        name = make_name(given["last_name"], given["first_name"], given["middle_name"])
        if not name.last:
            raise InvalidValueError("The last name cannot be empty.")
        updates.update(
            last_name=name.last,
            first_name=name.first,
            middle_name=name.middle,
            name_key=name_key(name.last, name.first, name.middle),
        )
    changes = apply(person, updates)
    recorder = Recorder(session, actor, reason, group_id)
    result = recorder.change(f"Edit {person.display_name}")
    if not changes:
        return result
    session.flush()
    recorder.write(
        "person", person.id, "edit", changes, person_id=person.id, version=person.version
    )
    result.people.add(person.id)
    result.motions |= motions_of_person(session, person.id)
    named = ", ".join(n.replace("_", " ") for n in changes if n in PERSON_FIELDS)
    result.summary = f"Edit {person.display_name}: {named}"
    return result


def _nysid(session: Session, person: Person, typed: str | None) -> dict[str, Any]:
    if typed is None:
        return {"nysid": None, "nysid_as_typed": None}
    read = normalize_nysid(typed)
    if read.value is None or read.warning:
        raise InvalidValueError(refusal(read.warning or f"NYSID '{typed}' is not a NYSID"))
    other = session.scalars(
        select(Person).where(Person.nysid == read.value, Person.id != person.id)
    ).first()
    if other is not None:
        raise InvalidValueError(
            f"NYSID {read.value} is already on file for person {other.id} "
            f"({other.display_name}); if they are the same person, merge them instead."
        )
    return {"nysid": read.value, "nysid_as_typed": typed}


def apply(holder: Any, updates: Mapping[str, Any]) -> dict[str, Any]:
    """Set each field that differs; returns field -> [before, after] in JSON form."""
    changes: dict[str, Any] = {}
    for name, value in updates.items():
        before = getattr(holder, name)
        if before != value and not (before in (None, "") and value in (None, "")):
            changes[name] = [to_json(before), to_json(value)]
            setattr(holder, name, value)
    return changes


def touch(holder: Any, column: str) -> None:
    """Move the record's version on although none of its own columns changed (a flag or
    charge did), so an editor holding the older copy is refused."""
    flag_modified(holder, column)


def flag_row(flag: PersonFlag) -> dict[str, Any]:
    return {
        "kind": [None, to_json(flag.kind)],
        "source": [None, flag.source],
        "note": [None, flag.note],
        "recorded_by": [None, flag.recorded_by],
        "recorded_at": [None, to_json(flag.recorded_at)],
    }


def add_flag(
    session: Session,
    actor: Any,
    person_id: int,
    kind: Any,
    source: str,
    note: str | None = None,
    *,
    expected_version: int | None = None,
    reason: str = "",
    group_id: str | None = None,
) -> RecordChange:
    person = load_person(session, person_id, expected_version)
    flag_kind = FLAG_KIND("flag", kind)
    if flag_kind is None:
        raise InvalidValueError("A flag needs its kind (sex_offense, violent_felony, open_felony).")
    source_text = " ".join((source or "").split())
    if not source_text:
        raise InvalidValueError(
            "A flag needs its source (where the fact comes from, e.g. 'DCJS rap sheet 2026-11-30')."
        )
    recorder = Recorder(session, actor, reason, group_id)
    flag = PersonFlag(
        person=person,
        kind=flag_kind,
        source=source_text[:200],
        note=(note or "").strip() or None,
        recorded_by=recorder.user,
        recorded_at=recorder.at,
    )
    session.add(flag)
    touch(person, "aliases")
    session.flush()
    recorder.write(
        "flag", flag.id, "add", flag_row(flag), person_id=person.id, version=person.version
    )
    result = recorder.change(
        f"Flag {person.display_name}: {flag_kind.label}",
        people={person.id},
        motions=motions_of_person(session, person.id),
        created_id=flag.id,
    )
    return result


def remove_flag(
    session: Session,
    actor: Any,
    flag_id: int,
    *,
    expected_version: int | None = None,
    reason: str = "",
    group_id: str | None = None,
) -> RecordChange:
    flag = session.get(PersonFlag, flag_id)
    if flag is None:
        raise NotFoundError(f"There is no flag {flag_id}.")
    person = load_person(session, flag.person_id, expected_version)
    row = {name: [after, None] for name, (_before, after) in flag_row(flag).items()}
    label = flag.kind.label
    person.flags.remove(flag)
    touch(person, "aliases")
    session.flush()
    recorder = Recorder(session, actor, reason, group_id)
    recorder.write("flag", flag_id, "remove", row, person_id=person.id, version=person.version)
    return recorder.change(
        f"Remove flag of {person.display_name}: {label}",
        people={person.id},
        motions=motions_of_person(session, person.id),
    )
