"""Importing a list end to end, on SQLite and PostgreSQL: counts, people, history, re-import,
undo, and nothing half-written."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from casetracker.devtools.fakelist import FakeListStats
from casetracker.domain.enums import IntakeChannel, MotionKind, Stage, WarrantStatus
from casetracker.domain.errors import TransitionError
from casetracker.domain.models import Case, ImportBatch, Motion, MotionEvent, Person
from casetracker.importing.bulk_insert import BulkWriter, Chunk, TableRows
from casetracker.importing.commit import undo_batch
from casetracker.importing.plan import ImportOptions
from casetracker.importing.reader import open_source
from casetracker.importing.service import ImportOutcome, finish, run_import
from casetracker.services.motions import advance
from casetracker.storage.db import Database
from tests.importing.conftest import table_counts


def do_import(db: Database, path: Path, *, dry_run: bool = False) -> ImportOutcome:
    # As the command line and the wizard run it.
    with db.unit_of_work(bulk_load=True) as session:
        return run_import(session, open_source(path), ImportOptions(), "tester", dry_run=dry_run)


def write_rows(path: Path, rows: list[list[object]], title: bool = True) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append(["Open warrants as of 6/3/2024"])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_counts_match_what_the_file_holds(
    db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    path, stats = fake_list
    counts = do_import(db, path).plan.counts
    assert counts.rows_read == stats.data_rows
    assert counts.valid == stats.unique_cases
    assert counts.errors == stats.error_rows
    assert counts.duplicates == stats.duplicate_rows
    assert counts.skipped == stats.blank_rows + stats.totals_rows
    assert counts.people_created == stats.people
    stored = table_counts(db)
    assert stored["court_case"] == stats.unique_cases
    assert stored["motion"] == stats.unique_cases
    assert stored["motion_event"] == stats.unique_cases
    assert stored["person"] == stats.people


def test_second_import_of_the_same_file_changes_nothing(
    db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    path, stats = fake_list
    do_import(db, path)
    before = table_counts(db)
    again = do_import(db, path)
    assert again.batch_id is None
    assert again.plan.counts.valid == 0
    assert again.plan.counts.already_present == stats.unique_cases
    assert table_counts(db) == before


def test_what_an_import_creates(db: Database, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "list.xlsx",
        [
            ["Docket No.", "Name", "D.O.B.", "NYSID #", "Top Charge", "Boro", "Warrant Date"],
            ["2016KN016969", "SMITH, JOHN A", "3/4/1980", "12345678A", "PL 221.05", "BK", "1/2/17"],
            ["2016KN016970", "SMITH, JOHN", "1980-03-04", "", "221.10(1)", "Kings", "2017-01-05"],
            ["2016KN016971", "Smith, John", "3/5/1980", "", "PL 221.05", "K", ""],
        ],
    )
    outcome = do_import(db, path)
    assert outcome.plan.header_row == 3
    assert outcome.plan.counts.people_created == 2  # same name and DOB is one person
    assert outcome.plan.counts.possible_matches == 1  # same name, DOB a typo away: flagged
    with db.unit_of_work() as session:
        cases = session.scalars(select(Case).order_by(Case.import_row)).all()
        assert [c.docket for c in cases] == ["2016KN016969", "2016KN016970", "2016KN016971"]
        assert cases[0].person_id == cases[1].person_id != cases[2].person_id
        assert cases[0].warrant_status is WarrantStatus.OPEN
        assert cases[0].charges[0].section == "PL 221.05"
        assert cases[1].charges[0].section == "PL 221.10(1)"
        assert cases[0].import_row == 4
        person = session.get(Person, cases[0].person_id)
        assert person is not None and person.nysid == "12345678A"
        assert (person.last_name, person.first_name, person.middle_name) == ("Smith", "John", "A")
        motion = session.scalars(select(Motion).where(Motion.case_id == cases[0].id)).one()
        assert motion.kind is MotionKind.WARRANT_DISMISSAL
        assert motion.stage is Stage.INTAKE
        assert motion.intake_channel is IntakeChannel.IMPORT
        assert motion.import_batch_id == outcome.batch_id
        event = session.scalars(select(MotionEvent).where(MotionEvent.motion_id == motion.id)).one()
        assert (event.action, event.from_stage, event.to_stage) == ("import", None, Stage.INTAKE)
        # Values every row shares, written once per table (JSON, booleans, times).
        assert (event.changes, motion.screening_reasons, person.aliases) == ({}, [], [])
        assert (person.consent_to_contact, cases[0].smoking_while_driving) == (False, False)
        assert event.at.tzinfo is not None or db.is_sqlite
        assert "list.xlsx" in event.reason
        batch = session.get(ImportBatch, outcome.batch_id)
        assert batch is not None and batch.counts["imported"] == 3
        assert batch.file_name == "list.xlsx" and len(batch.content_hash) == 64


def test_every_problem_is_reported_at_once(db: Database, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "list.xlsx",
        [
            ["Docket Number", "Last Name", "First Name", "DOB", "Charge", "NYSID"],
            ["", "", "ANA", "2/30/1990", "", "12"],  # three errors and two warnings
            ["2016KN000002", "Ruiz", "Ana", "2/30/1990", "PL 221.05", "12"],  # two warnings
            ["2016KN000003", "Ruiz", "Ana", "1/1/1990", "stolen bike", ""],  # unknown charge
            [],
            ["Total", 3],
        ],
    )
    outcome = finish(do_import(db, path), tmp_path / "report.xlsx")
    counts = outcome.plan.counts
    assert (counts.valid, counts.errors, counts.warnings, counts.skipped) == (2, 1, 2, 2)
    problems = {(p.row, p.severity, p.column.split(" ")[0]) for p in outcome.plan.problems}
    assert {(4, "error", "A"), (4, "error", "B"), (4, "error", "E")} <= problems
    assert {(5, "warning", "D"), (5, "warning", "F"), (6, "warning", "E")} <= problems
    assert outcome.error_report is not None
    workbook = CalamineWorkbook.from_path(str(outcome.error_report))
    rejected = workbook.get_sheet_by_name("Rejected rows").to_python()
    assert rejected[0][:6] == ["Docket Number", "Last Name", "First Name", "DOB", "Charge", "NYSID"]
    assert rejected[1][2] == "ANA" and rejected[1][6] == 4
    listed = workbook.get_sheet_by_name("Problems").to_python()
    assert len(listed) == 1 + len(outcome.plan.problems)


def test_repeats_become_one_case_with_their_charges(db: Database, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "list.xlsx",
        [
            ["Docket", "Last Name", "First Name", "Charge"],
            ["2016KN000001", "Ruiz", "Ana", "PL 221.05"],
            [" 2016kn000001 ", "RUIZ", "ANA", "PL 221.05"],
            ["2016-KN-000001", "Ruiz", "Ana", "PL 240.20"],
        ],
        title=False,
    )
    counts = do_import(db, path).plan.counts
    assert (counts.valid, counts.duplicates) == (1, 2)
    with db.unit_of_work() as session:
        case = session.scalars(select(Case)).one()
        assert [c.section for c in case.charges] == ["PL 221.05", "PL 240.20"]


def test_a_failure_mid_write_leaves_nothing_behind(
    db: Database, fake_list: tuple[Path, FakeListStats], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _stats = fake_list
    before = table_counts(db)
    original_json = BulkWriter.execute

    # The motions fail after people and cases were written in the same transaction.
    def failing_json(self: BulkWriter, chunk: Chunk) -> None:
        if chunk.label == "Saving motions":
            raise RuntimeError("disk went away")
        original_json(self, chunk)

    monkeypatch.setattr(BulkWriter, "execute", failing_json)
    for name in ("_insert_many", "_copy"):  # PostgreSQL: COPY; without JSON: executemany
        original = getattr(BulkWriter, name)

        def failing(self: BulkWriter, rows: TableRows, original: Any = original) -> None:
            if rows.table.name == "motion":
                raise RuntimeError("disk went away")
            original(self, rows)

        monkeypatch.setattr(BulkWriter, name, failing)
    with pytest.raises(RuntimeError):
        do_import(db, path)
    assert table_counts(db) == before


def test_dry_run_writes_nothing(db: Database, fake_list: tuple[Path, FakeListStats]) -> None:
    path, stats = fake_list
    before = table_counts(db)
    outcome = do_import(db, path, dry_run=True)
    assert outcome.plan.counts.valid == stats.unique_cases
    assert table_counts(db) == before


def test_undo_withdraws_the_batch_and_allows_a_fresh_import(
    db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    path, stats = fake_list
    first = do_import(db, path)
    assert first.batch_id is not None
    with db.unit_of_work() as session:
        assert undo_batch(session, first.batch_id, "boss") == stats.unique_cases
    with db.unit_of_work() as session:
        stages = set(session.scalars(select(Motion.stage)))
        assert stages == {Stage.WITHDRAWN}
        undo_events = session.scalars(
            select(MotionEvent).where(MotionEvent.to_stage == Stage.WITHDRAWN)
        ).all()
        assert len(undo_events) == stats.unique_cases
        assert undo_events[0].reason == f"Import batch {first.batch_id} undone by boss"
        with pytest.raises(TransitionError, match="already undone"):
            undo_batch(session, first.batch_id, "boss")
    again = do_import(db, path)
    assert again.plan.counts.valid == stats.unique_cases
    assert again.plan.counts.already_present == 0


def test_undo_is_refused_once_a_motion_has_moved(
    db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    path, _stats = fake_list
    outcome = do_import(db, path)
    assert outcome.batch_id is not None
    with db.unit_of_work() as session:
        motion_id = session.scalars(select(Motion.id).limit(1)).one()
        advance(session, motion_id, Stage.VERIFIED, reason="checked", user="clerk")
    before = table_counts(db)
    with pytest.raises(TransitionError, match="cannot be undone"), db.unit_of_work() as session:
        undo_batch(session, outcome.batch_id, "boss")
    assert table_counts(db) == before


def test_a_summons_list_imported_again_is_all_already_present(db: Database, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "summonses.xlsx",
        [
            ["Summons No.", "Last Name", "First Name", "Charge"],
            ["4401234567", "Ruiz", "Ana", "PL 221.05"],
            ["4401234568", "Roe", "Jan", "PL 221.05"],
        ],
        title=False,
    )
    first = do_import(db, path).plan.counts
    again = do_import(db, path).plan.counts
    assert (first.valid, first.already_present) == (2, 0)
    assert (again.valid, again.already_present) == (0, 2)


def test_a_case_on_file_with_another_kind_of_motion_is_not_already_present(
    db: Database, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        ["Docket No.", "Last Name", "First Name", "Charge"],
        ["2016KN000001", "Ruiz", "Ana", "PL 221.05"],
    ]
    warrants = write_rows(tmp_path / "open warrants.xlsx", rows, title=False)
    do_import(db, warrants)
    convictions = write_rows(tmp_path / "convictions.xlsx", rows, title=False)
    with db.unit_of_work() as session:
        options = ImportOptions(kind=MotionKind.CONVICTION_VACATUR)
        counts = run_import(session, open_source(convictions), options, "tester").plan.counts
    assert (counts.valid, counts.already_present) == (1, 0)


def test_every_field_a_list_can_have_lands_in_its_own_column(db: Database, tmp_path: Path) -> None:
    header = [
        "Docket No.", "Summons No.", "Last Name", "First Name", "Middle Name", "D.O.B.",
        "NYSID #", "Top Charge", "Boro", "Court Part", "Arrest Date", "Warrant Date",
        "Disposition", "Disposition Date", "Sentence", "Address", "Phone",
    ]  # fmt: skip
    row = [
        "2015KN000123", "4123456789", "Rivera", "Ana", "M", "3/4/1980", "12345678A",
        "PL 221.05", "Bronx", "AP-2", "2/1/2015", "6/7/2016", "Convicted", "4/5/2015",
        "Fine $50", "12 Main St", "718-555-0100",
    ]  # fmt: skip
    outcome = do_import(db, write_rows(tmp_path / "all.xlsx", [header, row]))
    assert outcome.plan.counts.valid == 1, outcome.plan.problems
    with db.reading() as session:
        case = session.scalars(select(Case)).one()
        person = session.get(Person, case.person_id)
        assert person is not None
        assert (case.docket, case.summons_number) == ("2015KN000123", "4123456789")
        assert (person.last_name, person.first_name, person.middle_name) == ("Rivera", "Ana", "M")
        assert (person.date_of_birth, person.nysid) == (date(1980, 3, 4), "12345678A")
        assert (person.address, person.phone) == ("12 Main St", "718-555-0100")
        assert case.county is not None and case.county.value == "bronx"
        assert case.court_part == "AP-2"
        assert (case.arrest_date, case.warrant_issued_date) == (date(2015, 2, 1), date(2016, 6, 7))
        assert (case.disposition, case.disposition_date) == ("Convicted", date(2015, 4, 5))
        assert case.sentence == "Fine $50"
        assert case.charges[0].section == "PL 221.05"
