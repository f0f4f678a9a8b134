"""The SQLite bulk path (rows as JSON arrays unpacked in SQL, columns the file lacks and
running ids folded out) must store exactly what row-by-row executemany stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from casetracker.domain.enums import County
from casetracker.domain.models import Base, Case, Person
from casetracker.importing import commit as commit_module
from casetracker.importing.fakelist import FakeListStats
from casetracker.importing.plan import ImportOptions
from casetracker.importing.reader import open_source
from casetracker.importing.service import run_import
from casetracker.storage.db import Database, open_database
from tests.importing.test_import import write_rows

# Set once per import: they differ between two runs by nature.
_VOLATILE = {"created_at", "stage_entered_at", "at", "imported_at", "intake_date"}


def _import_into(url: str, path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = open_database(url)
    try:
        with db.unit_of_work() as session:
            run_import(session, open_source(path), ImportOptions(), "tester")
        with db.unit_of_work() as session:
            stored = {}
            for table in Base.metadata.sorted_tables:
                columns = [c for c in table.c if c.name not in _VOLATILE]
                rows = session.execute(select(*columns).order_by(*table.primary_key)).all()
                stored[table.name] = [tuple(row) for row in rows]
            return stored
    finally:
        db.dispose()


def test_json_rows_store_what_executemany_stores(
    tmp_path: Path, fake_list: tuple[Path, FakeListStats], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, stats = fake_list
    bulk = _import_into(f"sqlite:///{tmp_path / 'bulk.sqlite'}", path)
    monkeypatch.setattr(commit_module, "_sqlite_has_json", lambda connection: False)
    plain = _import_into(f"sqlite:///{tmp_path / 'plain.sqlite'}", path)
    assert len(bulk["motion"]) == stats.unique_cases
    assert bulk == plain


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
