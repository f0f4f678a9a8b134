"""The two ways an import is written store exactly the same rows: JSON arrays unpacked in SQL
(SQLite), with columns the file lacks and running ids folded out, and plain row-by-row
executemany (what PostgreSQL uses)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from casetracker.devtools.fakelist import FakeListStats
from casetracker.domain.enums import County
from casetracker.domain.models import Base, Case, Person
from casetracker.importing import bulk_insert, people
from casetracker.importing.plan import ImportOptions
from casetracker.importing.reader import open_source
from casetracker.importing.service import run_import
from casetracker.storage.db import Database, open_database
from tests.importing.conftest import table_counts
from tests.importing.test_import import write_rows

# Set once per import: they differ between two runs by nature.
_VOLATILE = {"created_at", "stage_entered_at", "at", "imported_at", "intake_date"}
# Kept by the database on its own account (the audit chain's key and links, stamped with
# the time): not what the two ways of writing an import wrote.
_NOT_THE_IMPORTS = {"setting", "audit_chain", "audit_chain_pending"}


def _import_into(url: str, path: Path) -> dict[str, object]:
    db = open_database(url)
    try:
        with db.unit_of_work() as session:
            run_import(session, open_source(path), ImportOptions(), "tester")
        with db.unit_of_work() as session:
            stored: dict[str, object] = {}
            for table in Base.metadata.sorted_tables:
                if table.name in _NOT_THE_IMPORTS:
                    continue
                columns = [c for c in table.c if c.name not in _VOLATILE]
                rows = session.execute(select(*columns).order_by(*table.primary_key)).all()
                stored[table.name] = [tuple(row) for row in rows]
            return stored
    finally:
        db.dispose()


def _both_ways(tmp_path: Path, path: Path, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    bulk = _import_into(f"sqlite:///{tmp_path / 'bulk.sqlite'}", path)
    with monkeypatch.context() as m:
        m.setattr(bulk_insert, "sqlite_has_json", lambda connection: False)
        plain = _import_into(f"sqlite:///{tmp_path / 'plain.sqlite'}", path)
    return [bulk, plain]


def test_both_ways_store_the_same_fake_list(
    tmp_path: Path, fake_list: tuple[Path, FakeListStats], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, stats = fake_list
    bulk, plain = _both_ways(tmp_path, path, monkeypatch)
    assert len(plain["motion"]) == stats.unique_cases  # type: ignore[arg-type]
    assert len(plain["person"]) == stats.people  # type: ignore[arg-type]
    assert bulk == plain


def test_later_rows_that_add_to_earlier_ones_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A repeat far down adds a charge to the first case, and a row gives a NYSID to a
    # person first seen without one.
    rows: list[list[object]] = [["Docket No.", "Name", "D.O.B.", "NYSID", "Top Charge"]]
    rows.append(["2016KN000001", "ROE, ANA", "1/2/1990", "", "PL 221.05"])
    for n in range(2, 20):
        rows.append([f"2016KN{n:06d}", f"DOE{n}, JAN", "3/4/1985", "", "PL 221.10"])
    rows.append(["2016KN000001", "ROE, ANA", "1/2/1990", "", "PL 240.20"])
    rows.append(["2016KN000090", "ROE, ANA", "1/2/1990", "12345678A", "PL 221.05"])
    path = write_rows(tmp_path / "later.xlsx", rows)
    bulk, plain = _both_ways(tmp_path, path, monkeypatch)
    assert bulk == plain
    people = plain["person"]
    assert len(people) == 19  # type: ignore[arg-type]
    charges = [row for row in plain["charge"] if row[1] == 1]  # type: ignore[attr-defined]
    assert [row[3] for row in charges] == ["PL 221.05", "PL 240.20"]
    roe = [row for row in people if row[1] == "Roe"]  # type: ignore[attr-defined]
    assert len(roe) == 1 and "12345678A" in roe[0]


def test_a_value_the_same_on_every_row_is_stored_as_itself(db: Database, tmp_path: Path) -> None:
    # One borough and one date of birth on every row: folded out of the rows, still typed.
    path = write_rows(
        tmp_path / "one-borough.xlsx",
        [
            ["Docket No.", "Name", "D.O.B.", "Top Charge", "Boro", "Warrant Date"],
            ["2016KN016969", "SMITH, JOHN", "3/4/1980", "PL 221.05", "BK", "1/2/17"],
            ["2016KN016970", "ROE, ANA", "3/4/1980", "PL 221.05", "Brooklyn", "1/2/17"],
        ],
    )
    with db.unit_of_work() as session:
        run_import(session, open_source(path), ImportOptions(), "tester")
    with db.unit_of_work() as session:
        cases = session.scalars(select(Case).order_by(Case.import_row)).all()
        assert [c.county for c in cases] == [County.KINGS, County.KINGS]
        assert {str(c.warrant_issued_date) for c in cases} == {"2017-01-02"}
        people = session.scalars(select(Person).order_by(Person.id)).all()
        assert [str(p.date_of_birth) for p in people] == ["1980-03-04", "1980-03-04"]
        assert [p.last_name for p in people] == ["Smith", "Roe"]
        assert len({c.id for c in cases}) == 2 and cases[0].person_id != cases[1].person_id


def test_a_failure_of_the_work_beside_the_write_stops_the_import_with_nothing_kept(
    sqlite_db: Database,
    fake_list: tuple[Path, FakeListStats],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = table_counts(sqlite_db)
    seen: list[str] = []

    def broken(self: people.PeopleLinker) -> None:
        seen.append(threading.current_thread().name)
        raise RuntimeError("matching broke")

    monkeypatch.setattr(people.PeopleLinker, "find_possible_matches", broken)
    with (
        pytest.raises(RuntimeError, match="matching broke"),
        sqlite_db.unit_of_work(bulk_load=True) as session,
    ):
        run_import(session, open_source(fake_list[0]), ImportOptions(), "tester")
    # It ran beside SQLite's writing, not before or after it on the caller's thread.
    assert seen == ["import-beside"]
    assert table_counts(sqlite_db) == before


def test_work_beside_an_empty_write_still_runs() -> None:
    ran: list[bool] = []
    with bulk_insert.Beside(lambda: ran.append(True)):
        pass  # no chunk stored, so nothing started it
    assert ran == [True]
