"""The corrections as operations: one unit of work each, Changes naming what to refresh, and an
undo entry the window's one undo (motion_ops.undo) reverses."""

from __future__ import annotations

import pytest

from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import Case, Person, RecordEvent
from casetracker.operations import Actor
from casetracker.records import ops
from casetracker.services import motion_ops
from casetracker.storage.db import Database
from tests.core.helpers import make_motion


def test_a_person_edit_with_flags_is_one_action_undone_at_once(sqlite_db: Database) -> None:
    made = make_motion(sqlite_db)
    changes = ops.edit_person(
        sqlite_db,
        Actor("clerk1", "intake"),
        made.person_id,
        {"email": "alex@example.org"},
        add_flags=[("violent_felony", "OCA record", None)],
        expected_version=1,
    )
    assert changes.motions == frozenset(made.motion_ids)
    assert changes.people == frozenset({made.person_id})
    assert changes.undo is not None and "email" in changes.summary
    undone = motion_ops.undo(sqlite_db, "clerk1", changes.undo)
    assert undone.people == frozenset({made.person_id})
    with sqlite_db.reading() as session:
        person = session.get(Person, made.person_id)
        assert person is not None and person.email is None and person.flags == []
        assert session.query(RecordEvent).filter_by(action="remove").count() == 1


def test_a_case_edit_with_charges_is_all_or_nothing(sqlite_db: Database) -> None:
    made = make_motion(sqlite_db, charge="PL 221.10")
    case_id = made.case_ids[0]
    with pytest.raises(InvalidValueError, match="no law section"):
        ops.edit_case(
            sqlite_db,
            "clerk1",
            case_id,
            {"disposition": "PG 240.20"},
            add_charges=[("PL 240.20", "conviction"), ("nonsense", "arrest")],
        )
    with sqlite_db.reading() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.disposition is None and len(case.charges) == 1
        assert session.query(RecordEvent).count() == 0
    changes = ops.edit_case(
        sqlite_db,
        "clerk1",
        case_id,
        {"disposition": "PG 240.20"},
        add_charges=[("PL 240.20", "conviction")],
        expected_version=1,
    )
    assert changes.undo is not None
    motion_ops.undo(sqlite_db, "clerk1", changes.undo)
    with sqlite_db.reading() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.disposition is None and len(case.charges) == 1


def test_event_operations_tell_views_to_reread_the_event_lists(sqlite_db: Database) -> None:
    changes = ops.add_event(sqlite_db, "manager", {"name": "Clinic", "event_date": "2026-12-01"})
    assert changes.settings == frozenset({ops.EVENTS_SETTING})
    assert "(event 1)" in changes.summary
