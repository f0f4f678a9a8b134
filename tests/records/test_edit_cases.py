"""Correcting a case and its charges, and community events."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from casetracker.domain.enums import ChargeRole, County, DispositionKind
from casetracker.domain.errors import InvalidValueError, StaleEditError, TransitionError
from casetracker.domain.models import Case, CommunityEvent, RecordEvent
from casetracker.records.cases import add_charges, edit_case, edit_charge, remove_charge
from casetracker.records.events import add_event, edit_event, list_events, retire_event
from casetracker.records.undo import undo_records
from casetracker.services.intake import CaseInput, IntakeRequest, PersonInput, intake
from casetracker.storage.db import Database
from tests.core.helpers import make_motion


def _case(db: Database, case_id: int) -> Case:
    with db.reading() as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.charges  # noqa: B018 - loaded before the session closes
        session.expunge(case)
        return case


def _charges(case: Case) -> list[tuple[str | None, ChargeRole]]:
    return [(c.section, c.role) for c in case.charges]


def test_edit_a_case_and_its_disposition_is_read_into_a_kind(db: Database) -> None:
    made = make_motion(db)
    case_id = made.case_ids[0]
    with db.unit_of_work() as session:
        change = edit_case(
            session,
            "clerk1",
            case_id,
            {
                "court": "Criminal Court",
                "county": "queens",
                "court_part": "AP2",
                "arrest_date": "2012-06-01",
                "disposition": "PG 240.20",
                "disposition_date": "2012-09-14",
                "sentence": "Conditional discharge",
                "defense_counsel": "Legal Aid Society",
            },
        )
    assert change.motions == set(made.motion_ids)
    case = _case(db, case_id)
    assert case.county == County.QUEENS and case.court == "Criminal Court"
    assert case.disposition_kind == DispositionKind.CONVICTED
    assert case.disposition_date == date(2012, 9, 14)
    assert case.defense_counsel == "Legal Aid Society"
    assert case.version == 2
    with db.unit_of_work() as session:
        edit_case(session, "clerk1", case_id, {"disposition": "ACD 6 MOS"})
    assert _case(db, case_id).disposition_kind == DispositionKind.ACD


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"disposition": "SEE FILE"}, "give its kind too"),
        ({"arrest_date": "2012-06-01", "disposition_date": "2012-05-01"}, "before the arrest"),
        ({"arrest_date": "1975-01-01"}, "before the person's date of birth"),
        ({"county": "Westchester"}, "not a county or borough"),
        ({"docket": "", "summons_number": ""}, "needs a docket or summons"),
        ({"disposition_date": "31/31/2012"}, "not a date"),
    ],
)
def test_bad_case_values_are_refused(
    sqlite_db: Database, values: dict[str, str], says: str
) -> None:
    made = make_motion(sqlite_db)
    with pytest.raises(InvalidValueError, match=says), sqlite_db.unit_of_work() as session:
        edit_case(session, "clerk1", made.case_ids[0], values)
    assert _case(sqlite_db, made.case_ids[0]).version == 1


def test_an_unknown_wording_is_kept_with_the_kind_staff_give(sqlite_db: Database) -> None:
    made = make_motion(sqlite_db)
    with sqlite_db.unit_of_work() as session:
        edit_case(
            session,
            "clerk1",
            made.case_ids[0],
            {"disposition": "SEE FILE", "disposition_kind": "dismissed"},
        )
    case = _case(sqlite_db, made.case_ids[0])
    assert (case.disposition, case.disposition_kind) == ("SEE FILE", DispositionKind.DISMISSED)


def test_charges_arrest_and_conviction_added_edited_removed_and_undone(db: Database) -> None:
    made = make_motion(db, charge="PL 221.10")
    case_id = made.case_ids[0]
    with db.unit_of_work() as session:
        added = add_charges(session, "clerk1", case_id, "PL 240.20", "conviction")
    with db.unit_of_work() as session:
        # One cell with two codes gives two charges, as the import reads it.
        both = add_charges(session, "clerk1", case_id, "PL 221.05;VTL 1192.4")
    case = _case(db, case_id)
    assert _charges(case) == [
        ("PL 221.10", ChargeRole.ARREST),
        ("PL 240.20", ChargeRole.CONVICTION),
        ("PL 221.05", ChargeRole.ARREST),
        ("VTL 1192(4)", ChargeRole.ARREST),
    ]
    assert case.charges[1].description == "Disorderly conduct"
    assert case.version == 3
    with db.unit_of_work() as session:
        edit_charge(session, "clerk1", added.created_id or 0, code="PL 221.05", role="conviction")
    with db.unit_of_work() as session:
        removed = remove_charge(session, "clerk1", case.charges[3].id)
    assert _charges(_case(db, case_id))[1:] == [
        ("PL 221.05", ChargeRole.CONVICTION),
        ("PL 221.05", ChargeRole.ARREST),
    ]
    with db.unit_of_work() as session:
        undo_records(session, "clerk1", removed.group_id)
    with db.unit_of_work() as session:
        undo_records(session, "clerk1", both.group_id)
    assert _charges(_case(db, case_id)) == [
        ("PL 221.10", ChargeRole.ARREST),
        ("PL 221.05", ChargeRole.CONVICTION),
    ]


def test_bad_charges_are_refused(sqlite_db: Database) -> None:
    made = make_motion(sqlite_db, charge="PL 221.10")
    case_id = made.case_ids[0]
    for text, says in (
        ("smoking", "no law section"),
        ("PL 221.10", "already a arrest"),
        ("", "law section"),
    ):
        with pytest.raises(InvalidValueError, match=says), sqlite_db.unit_of_work() as session:
            add_charges(session, "clerk1", case_id, text)
    with pytest.raises(InvalidValueError, match="charge role"), sqlite_db.unit_of_work() as session:
        add_charges(session, "clerk1", case_id, "PL 240.20", "plea")


def test_a_stale_case_edit_names_the_charge_change(db: Database) -> None:
    made = make_motion(db)
    case_id = made.case_ids[0]
    opened = _case(db, case_id).version
    with db.unit_of_work() as session:
        add_charges(session, "alice", case_id, "PL 240.20", "conviction")
    with pytest.raises(StaleEditError, match="alice.*charge added"), db.unit_of_work() as session:
        edit_case(session, "bob", case_id, {"sentence": "Fine"}, expected_version=opened)


def test_intake_reads_the_disposition_and_keeps_conviction_charges(db: Database) -> None:
    with db.unit_of_work() as session:
        result = intake(
            session,
            IntakeRequest(
                person=PersonInput(
                    last="Walkin",
                    first="Robin",
                    date_of_birth=date(1979, 1, 2),
                    phone="718 555 0107",
                    language="Haitian Creole",
                    interpreter_needed=True,
                    consent_to_contact=True,
                ),
                cases=[
                    CaseInput(
                        docket="2010KN000123",
                        charges=["PL 221.10"],
                        conviction_charges=["PL 240.20"],
                        disposition="PLED GUILTY 240.20",
                        disposition_date=date(2010, 5, 1),
                        sentence="Fine $100",
                        defense_counsel="Brooklyn Defender Services",
                        court="Criminal Court",
                    )
                ],
            ),
            "clerk1",
        )
    case = _case(db, result.case_ids[0])
    assert case.disposition_kind == DispositionKind.CONVICTED
    assert _charges(case) == [
        ("PL 221.10", ChargeRole.ARREST),
        ("PL 240.20", ChargeRole.CONVICTION),
    ]
    assert (case.defense_counsel, case.court, case.sentence) == (
        "Brooklyn Defender Services",
        "Criminal Court",
        "Fine $100",
    )


def test_community_events_are_created_edited_retired_and_listed(db: Database) -> None:
    with db.unit_of_work() as session:
        made = add_event(
            session,
            "manager",
            {"name": "Brownsville clinic", "event_date": "2026-12-12", "county": "kings"},
        )
    event_id = made.created_id or 0
    with db.unit_of_work() as session:
        edit_event(session, "manager", event_id, {"location": "Library, 1 Fake Ave"})
    with pytest.raises(InvalidValueError, match="already an event"), db.unit_of_work() as session:
        add_event(session, "manager", {"name": "brownsville CLINIC", "event_date": "2026-12-12"})
    with (
        pytest.raises(InvalidValueError, match="needs its event date"),
        db.unit_of_work() as session,
    ):
        add_event(session, "manager", {"name": "No date"})
    with db.unit_of_work() as session:
        retired = retire_event(session, "manager", event_id)
    with db.reading() as session:
        assert list_events(session) == []
        (info,) = list_events(session, include_retired=True)
    assert (info.name, info.location, info.county, info.retired) == (
        "Brownsville clinic",
        "Library, 1 Fake Ave",
        County.KINGS,
        True,
    )
    with db.unit_of_work() as session:
        undo_records(session, "manager", retired.group_id)
    with db.reading() as session:
        assert [e.id for e in list_events(session)] == [event_id]
        actions = session.scalars(select(RecordEvent.action).order_by(RecordEvent.id)).all()
    assert actions == ["add", "edit", "retire", "edit"]


def test_an_event_with_motions_cannot_be_undone_away_only_retired(sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as session:
        made = add_event(session, "manager", {"name": "Jamaica clinic", "event_date": "2026-11-02"})
    with sqlite_db.unit_of_work() as session:
        intake(
            session,
            IntakeRequest(
                person=PersonInput(last="Eventgoer"),
                cases=[CaseInput(docket="2011QN000321", charges=["PL 221.05"])],
                event_id=made.created_id,
            ),
            "clerk1",
        )
    with pytest.raises(TransitionError, match="retire it instead"), sqlite_db.unit_of_work() as s:
        undo_records(s, "manager", made.group_id)
    with sqlite_db.reading() as session:
        assert session.get(CommunityEvent, made.created_id) is not None


def test_a_second_intake_for_someone_on_file_records_their_new_contact(db: Database) -> None:
    made = make_motion(db, docket="2011KN000001")
    with db.unit_of_work() as session:
        intake(
            session,
            IntakeRequest(
                person_id=made.person_id,
                cases=[CaseInput(docket="2012KN000002", charges=["PL 221.05"])],
                person_updates={"phone": "347 555 0123", "consent_to_contact": True},
            ),
            "clerk1",
        )
    with db.reading() as session:
        (event,) = session.scalars(select(RecordEvent)).all()
        assert event.person_id == made.person_id and event.reason == "Given at intake"
        assert event.changes["phone"] == [None, "347 555 0123"]
    with pytest.raises(InvalidValueError, match="not a phone"), db.unit_of_work() as session:
        intake(
            session,
            IntakeRequest(
                person_id=made.person_id,
                cases=[CaseInput(docket="2013KN000003", charges=["PL 221.05"])],
                person_updates={"phone": "call me"},
            ),
            "clerk1",
        )
