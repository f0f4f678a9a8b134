"""Correcting a person: every field, the history with before and after, versions, undo."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from casetracker.domain.enums import FlagKind
from casetracker.domain.errors import InvalidValueError, StaleEditError, TransitionError
from casetracker.domain.models import Person, RecordEvent
from casetracker.records.people import add_flag, edit_person, remove_flag
from casetracker.records.undo import undo_records
from casetracker.services.people import find_person
from casetracker.storage.db import Database
from tests.core.helpers import make_motion


def _person(db: Database, person_id: int) -> Person:
    with db.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None
        session.expunge(person)
        return person


def test_edit_every_person_field_and_the_history_says_before_and_after(db: Database) -> None:
    made = make_motion(db, last="Testperson", first="Alex")
    with db.unit_of_work() as session:
        change = edit_person(
            session,
            "clerk1",
            made.person_id,
            {
                "last_name": "TESTPERSON-RIVERA",
                "first_name": "alex",
                "middle_name": "J.",
                "aliases": "Alex Rivera; A. T. Rivera",
                "date_of_birth": "1981-02-03",
                "nysid": "12345678 k",
                "address": "1 Fake Street, Apt 2\nBrooklyn NY 11201",
                "phone": "(718) 555-0100",
                "email": "alex@example.org",
                "language": "Spanish",
                "interpreter_needed": "yes",
                "consent_to_contact": True,
            },
            reason="Rap sheet received",
        )
    assert change.motions == set(made.motion_ids)
    person = _person(db, made.person_id)
    assert (person.last_name, person.first_name, person.middle_name) == (
        "Testperson-Rivera",
        "Alex",
        "J",
    )
    assert person.aliases == ["Alex Rivera", "A. T. Rivera"]
    assert person.date_of_birth == date(1981, 2, 3)
    assert person.nysid == "12345678K"
    assert person.interpreter_needed and person.consent_to_contact
    assert person.version == 2
    with db.reading() as session:
        # The new name finds the person (the name key followed the name).
        found = find_person(
            session, last="Testperson-Rivera", first="Alex", date_of_birth=date(1981, 2, 3)
        )
        assert found is not None and found.id == made.person_id
        (event,) = session.scalars(select(RecordEvent)).all()
    assert (event.user, event.entity, event.action, event.reason) == (
        "clerk1",
        "person",
        "edit",
        "Rap sheet received",
    )
    assert event.changes["phone"] == [None, "(718) 555-0100"]
    assert event.changes["date_of_birth"] == ["1980-05-17", "1981-02-03"]
    assert event.changes["interpreter_needed"] == [False, True]
    assert event.version == 2


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("date_of_birth", "2099-01-01", "in the future"),
        ("date_of_birth", "13/45/1980", "not a date"),
        ("nysid", "ABC", "does not look like a NYSID"),
        ("email", "alex at example", "not an address"),
        ("phone", "call me", "not a phone number"),
        ("last_name", "  ", "cannot be empty"),
        ("interpreter_needed", "perhaps", "not yes or no"),
        ("shoe_size", "9", "no field shoe_size"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(
    sqlite_db: Database, field: str, value: str, says: str
) -> None:
    made = make_motion(sqlite_db)
    with pytest.raises(InvalidValueError, match=says), sqlite_db.unit_of_work() as session:
        edit_person(session, "clerk1", made.person_id, {"phone": "718 555 0100", field: value})
    assert _person(sqlite_db, made.person_id).phone is None
    with sqlite_db.reading() as session:
        assert session.scalars(select(RecordEvent)).all() == []


def test_a_nysid_already_on_file_for_someone_else_is_refused(sqlite_db: Database) -> None:
    make_motion(sqlite_db, last="Onfile", nysid="87654321M", docket="2015NY000001")
    other = make_motion(sqlite_db, last="Newperson", docket="2015NY000002")
    with (
        pytest.raises(InvalidValueError, match="already on file for person"),
        sqlite_db.unit_of_work() as session,
    ):
        edit_person(session, "clerk1", other.person_id, {"nysid": "87654321m"})


def test_a_stale_edit_is_refused_naming_who_changed_what(db: Database) -> None:
    made = make_motion(db)
    opened = _person(db, made.person_id).version
    with db.unit_of_work() as session:
        edit_person(session, "alice", made.person_id, {"phone": "718-555-0101"})
    with pytest.raises(StaleEditError) as refused, db.unit_of_work() as session:
        edit_person(
            session, "bob", made.person_id, {"email": "x@example.org"}, expected_version=opened
        )
    message = str(refused.value)
    assert "alice" in message and "phone" in message and "nothing was saved" in message
    assert _person(db, made.person_id).email is None


def test_undo_puts_back_what_was_there_and_can_itself_be_undone(db: Database) -> None:
    made = make_motion(db, last="Testperson", first="Alex")
    with db.unit_of_work() as session:
        change = edit_person(
            session, "clerk1", made.person_id, {"last_name": "Otherperson", "phone": "7185550102"}
        )
    with db.unit_of_work() as session:
        undone = undo_records(session, "clerk2", change.group_id)
    person = _person(db, made.person_id)
    assert (person.last_name, person.phone, person.name_key) == (
        "Testperson",
        None,
        "testperson|alex",
    )
    with pytest.raises(TransitionError, match="already been undone"), db.unit_of_work() as session:
        undo_records(session, "clerk2", change.group_id)
    with db.unit_of_work() as session:
        undo_records(session, "clerk2", undone.group_id)
    assert _person(db, made.person_id).phone == "7185550102"


def test_undo_is_refused_when_the_field_changed_since(sqlite_db: Database) -> None:
    made = make_motion(sqlite_db)
    with sqlite_db.unit_of_work() as session:
        first = edit_person(session, "alice", made.person_id, {"phone": "718 555 0103"})
    with sqlite_db.unit_of_work() as session:
        edit_person(session, "bob", made.person_id, {"phone": "718 555 0104"})
    with (
        pytest.raises(TransitionError, match="phone has changed since"),
        sqlite_db.unit_of_work() as session,
    ):
        undo_records(session, "alice", first.group_id)
    assert _person(sqlite_db, made.person_id).phone == "718 555 0104"


def test_flags_with_source_and_note_are_added_removed_and_undone(db: Database) -> None:
    made = make_motion(db)
    with db.unit_of_work() as session:
        added = add_flag(
            session,
            "clerk1",
            made.person_id,
            "sex_offense",
            "DCJS rap sheet 2026-11-30",
            "PL 130.35 conviction, 2009",
        )
    with db.reading() as session:
        person = session.get(Person, made.person_id)
        assert person is not None
        assert [(f.kind, f.source, f.note, f.recorded_by) for f in person.flags] == [
            (
                FlagKind.SEX_OFFENSE,
                "DCJS rap sheet 2026-11-30",
                "PL 130.35 conviction, 2009",
                "clerk1",
            )
        ]
        assert person.version == 2
    with db.unit_of_work() as session:
        removed = remove_flag(session, "clerk1", added.created_id or 0, reason="wrong person")
    with db.reading() as session:
        person = session.get(Person, made.person_id)
        assert person is not None and person.flags == []
    with db.unit_of_work() as session:
        undo_records(session, "clerk1", removed.group_id)
    with db.reading() as session:
        person = session.get(Person, made.person_id)
        assert person is not None
        assert [(f.id, f.kind, f.note) for f in person.flags] == [
            (added.created_id, FlagKind.SEX_OFFENSE, "PL 130.35 conviction, 2009")
        ]
    with pytest.raises(InvalidValueError, match="needs its source"), db.unit_of_work() as session:
        add_flag(session, "clerk1", made.person_id, "violent_felony", " ")


def test_the_records_history_cannot_be_rewritten(db: Database) -> None:
    made = make_motion(db)
    with db.unit_of_work() as session:
        edit_person(session, "clerk1", made.person_id, {"language": "French"})
    for statement in ("UPDATE record_event SET reason = 'x'", "DELETE FROM record_event"):
        with pytest.raises(Exception, match="append-only"), db.unit_of_work() as session:
            session.execute(text(statement))
    with db.reading() as session:
        assert session.execute(text("select count(*) from record_event")).scalar() == 1
