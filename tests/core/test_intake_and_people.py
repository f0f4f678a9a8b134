"""Intake creates person, cases and motions together; the same person is never entered twice."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from casetracker.domain.enums import MotionKind, Stage
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import Case, Charge, Motion, MotionEvent, Person
from casetracker.services.intake import CaseInput, IntakeRequest, PersonInput, intake
from casetracker.services.people import find_person, possible_duplicates
from casetracker.storage.db import Database
from tests.core.helpers import make_motion


def _count(db: Database, model: type) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_intake_creates_person_cases_motions_and_history(db: Database) -> None:
    with db.unit_of_work() as session:
        result = intake(
            session,
            IntakeRequest(
                kind=MotionKind.CONVICTION_VACATUR,
                person=PersonInput(
                    last="DE LA CRUZ",
                    first="MARÍA",
                    nysid="1234 5678a",
                    date_of_birth=date(1975, 1, 2),
                ),
                cases=[
                    CaseInput(docket="2016 sn 16969", charges=["PL221.05"]),
                    CaseInput(docket="cr-3159-22bx", charges=["221.10 sub 1", "PL 2210500"]),
                ],
            ),
            "intake.staff",
        )
    assert result.created_person and len(result.motion_ids) == 2
    with db.unit_of_work() as session:
        person = session.get(Person, result.person_id)
        assert person is not None
        assert (person.last_name, person.first_name, person.nysid) == (
            "De La Cruz",
            "María",
            "12345678A",
        )
        dockets = sorted(c.docket or "" for c in session.scalars(select(Case)))
        assert dockets == ["2016SN016969", "CR-003159-22BX"]
        assert sorted(c.section or "" for c in session.scalars(select(Charge))) == [
            "PL 221.05",
            "PL 221.05",
            "PL 221.10(1)",
        ]
        events = session.scalars(select(MotionEvent)).all()
        assert {(e.action, e.from_stage, e.to_stage, e.user) for e in events} == {
            ("intake", None, Stage.INTAKE, "intake.staff")
        }


def test_failed_intake_leaves_nothing_behind(db: Database) -> None:
    request = IntakeRequest(
        person=PersonInput(last="Nobody", first="Pat"),
        cases=[
            CaseInput(docket="2016SN000001", charges=["PL 221.05"]),
            CaseInput(charges=["PL 221.05"]),
        ],
    )
    with (
        pytest.raises(InvalidValueError, match="Case 2 needs a docket or summons number"),
        db.unit_of_work() as session,
    ):
        intake(session, request, "tester")
    assert _count(db, Person) == 0 and _count(db, Motion) == 0 and _count(db, Case) == 0


def test_same_nysid_is_the_same_person(sqlite_db: Database) -> None:
    first = make_motion(sqlite_db, last="Smith", first="John", nysid="12345678A")
    second = make_motion(
        sqlite_db, last="Smyth", first="Jon", nysid="12345678a", docket="2010SN000002"
    )
    assert second.person_id == first.person_id and not second.created_person
    assert _count(sqlite_db, Person) == 1


def test_same_name_and_birth_date_is_the_same_person(sqlite_db: Database) -> None:
    first = make_motion(sqlite_db, last="O'Brien", first="Seán", dob=date(1970, 3, 4))
    second = make_motion(
        sqlite_db, last="OBRIEN", first="SEAN", dob=date(1970, 3, 4), docket="2011SN000002"
    )
    assert second.person_id == first.person_id


def test_similar_names_are_offered_never_merged(sqlite_db: Database) -> None:
    make_motion(sqlite_db, last="Rodriguez", first="Carlos", dob=date(1980, 1, 1))
    other = make_motion(
        sqlite_db, last="Rodrigues", first="Carlos", dob=date(1980, 1, 1), docket="2012SN000002"
    )
    assert other.created_person, "a similar name alone must not merge people"
    with sqlite_db.unit_of_work() as session:
        matches = possible_duplicates(
            session, last="Rodriguez", first="Carlos", date_of_birth=date(1980, 1, 1)
        )
        assert len(matches) == 2
        assert matches[0].why == "same name and date of birth"
        assert matches[1].why == "similar name, same date of birth"
        assert all(m.open_motions == 1 for m in matches)
        assert (
            find_person(session, last="Rodriguez", first="Carlos", date_of_birth=date(1980, 1, 2))
            is None
        )


def test_no_match_for_a_different_person(sqlite_db: Database) -> None:
    make_motion(sqlite_db, last="Washington", first="Denise", dob=date(1990, 6, 6))
    with sqlite_db.unit_of_work() as session:
        assert (
            possible_duplicates(session, last="Chen", first="Mei", date_of_birth=date(1991, 7, 7))
            == []
        )
