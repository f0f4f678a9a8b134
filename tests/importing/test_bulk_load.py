"""An import on SQLite runs with row-by-row foreign-key checks off and checks the references of
the rows it wrote itself: the result must be as sound as with the checks on, a bad reference
must stop the import with nothing kept, and ordinary work afterwards is checked again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from casetracker.devtools.fakelist import FakeListStats
from casetracker.domain.errors import StorageError
from casetracker.domain.models import Case, Charge, Motion, Person
from casetracker.importing.plan import ImportOptions
from casetracker.importing.reader import open_source
from casetracker.importing.references import check_new_references
from casetracker.importing.rows import table
from casetracker.importing.service import run_import
from casetracker.storage.db import Database
from tests.importing.conftest import table_counts
from tests.importing.test_import import write_rows


def _import(db: Database, path: Path) -> None:
    with db.unit_of_work(bulk_load=True) as session:
        run_import(session, open_source(path), ImportOptions(), "tester")


def test_a_bulk_loaded_import_passes_sqlites_own_foreign_key_check(
    sqlite_db: Database, fake_list: tuple[Path, FakeListStats], tmp_path: Path
) -> None:
    path, stats = fake_list
    _import(sqlite_db, path)
    # A second list whose rows name people already on file: those links are looked up.
    header: list[object] = ["Docket No.", "Name", "D.O.B.", "Top Charge"]
    with sqlite_db.reading() as session:
        known = session.execute(
            select(Person.last_name, Person.first_name, Person.date_of_birth)
            .where(Person.date_of_birth.is_not(None))
            .limit(5)
        ).all()
    rows: list[list[object]] = [header]
    for n, (last, first, born) in enumerate(known):
        assert born is not None
        rows.append(
            [f"2019KN{n + 1:06d}", f"{last}, {first}", born.strftime("%m/%d/%Y"), "PL 221.05"]
        )
    _import(sqlite_db, write_rows(tmp_path / "known.xlsx", rows))
    with sqlite_db.reading() as session:
        assert session.execute(text("PRAGMA foreign_key_check")).all() == []
        assert session.execute(select(func.count()).select_from(Motion)).scalar_one() == (
            stats.unique_cases + len(known)
        )
        assert session.execute(select(func.count()).select_from(Person)).scalar_one() == (
            stats.people
        )


def test_ordinary_work_after_an_import_checks_foreign_keys_again(
    sqlite_db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    _import(sqlite_db, fake_list[0])
    # The pool hands back the same connection the import used.
    with sqlite_db.unit_of_work() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        with pytest.raises(Exception, match="FOREIGN KEY"):
            session.execute(
                insert(table(Charge)).values(case_id=10**9, position=0, section="X", as_typed="X")
            )


def test_a_reference_to_a_missing_row_stops_the_load_and_keeps_nothing(
    sqlite_db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    _import(sqlite_db, fake_list[0])
    before = table_counts(sqlite_db)
    with sqlite_db.reading() as session:
        top_case = session.execute(select(func.max(Case.id))).scalar_one()
        top_charge = session.execute(select(func.max(Charge.id))).scalar_one()
    with (
        pytest.raises(StorageError, match=r"charge \d+ refers to court_case 999999"),
        sqlite_db.unit_of_work(bulk_load=True) as session,
    ):
        connection = session.connection()
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 0
        rows = [
            {
                "id": top_charge + 1,
                "case_id": top_case,
                "position": 9,
                "section": "PL 221.05",
                "as_typed": "x",
            },
            {
                "id": top_charge + 2,
                "case_id": 999999,
                "position": 9,
                "section": "PL 221.05",
                "as_typed": "x",
            },
        ]
        connection.execute(insert(table(Charge)), rows)
        check_new_references(
            connection,
            {
                table(Charge): (range(top_charge + 1, top_charge + 3), {}),
                table(Person): (range(0), {}),
            },
        )
    assert table_counts(sqlite_db) == before


def test_rows_missing_from_an_allocated_range_are_caught(
    sqlite_db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    _import(sqlite_db, fake_list[0])
    with sqlite_db.reading() as session:
        top_case = session.execute(select(func.max(Case.id))).scalar_one()
    with (
        pytest.raises(StorageError, match="court_case holds 0 of the 2 new rows"),
        sqlite_db.unit_of_work(bulk_load=True) as session,
    ):
        check_new_references(
            session.connection(), {table(Case): (range(top_case + 1, top_case + 3), {})}
        )


def test_a_value_written_on_every_row_must_exist_too(
    sqlite_db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    _import(sqlite_db, fake_list[0])
    with sqlite_db.reading() as session:
        top_case = session.execute(select(func.max(Case.id))).scalar_one()
        person = session.execute(select(func.min(Person.id))).scalar_one()
    with (
        pytest.raises(StorageError, match="court_case rows refer to import_batch 777"),
        sqlite_db.unit_of_work(bulk_load=True) as session,
    ):
        connection = session.connection()
        connection.execute(
            insert(table(Case)),
            [{"id": top_case + 1, "person_id": person, "import_batch_id": 777}],
        )
        check_new_references(
            connection,
            {
                table(Case): (
                    range(top_case + 1, top_case + 2),
                    {"import_batch_id": 777, "person_id": person},
                )
            },
        )
