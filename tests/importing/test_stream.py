"""A bulk-loaded SQLite import checks and stores a part of the list at a time; it must store
exactly what checking the whole list first and storing it after stores, whatever the part
size: people met again in a later part, a later repeat adding a charge to a case already
stored, people already on file (looked up on a second connection)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, select

from casetracker.devtools.fakelist import write_fake_list
from casetracker.domain.models import Base, Person
from casetracker.importing import service, stream
from casetracker.importing.plan import ImportOptions
from casetracker.importing.reader import open_source
from casetracker.importing.service import ImportOutcome, run_import
from casetracker.storage.db import open_database
from tests.importing.conftest import table_counts
from tests.importing.test_import import write_rows

_VOLATILE = {"created_at", "stage_entered_at", "at", "imported_at", "intake_date"}
# Kept by the database on its own account (the audit chain's key and links, stamped with
# the time): not what the two ways of storing an import wrote.
_NOT_THE_IMPORTS = {"setting", "audit_chain", "audit_chain_pending"}


def _ids_free(table: Table) -> set[str]:
    # A charge a later repeat adds to a case stored in an earlier part gets a later id: what
    # counts is each case's charges, in their order.
    return _VOLATILE | ({"id"} if table.name == "charge" else set())


def _order(table: Table) -> list[Any]:
    return [table.c.case_id, table.c.position] if table.name == "charge" else [*table.primary_key]


def _import_all(url: str, paths: list[Path], *, bulk: bool) -> tuple[object, list[object]]:
    db = open_database(url)
    outcomes: list[ImportOutcome] = []
    try:
        for path in paths:
            with db.unit_of_work(bulk_load=bulk) as session:
                outcomes.append(run_import(session, open_source(path), ImportOptions(), "t"))
        with db.reading() as session:
            stored = {
                table.name: [
                    tuple(row)
                    for row in session.execute(
                        select(*[c for c in table.c if c.name not in _ids_free(table)]).order_by(
                            *_order(table)
                        )
                    )
                ]
                for table in Base.metadata.sorted_tables
                if table.name not in _NOT_THE_IMPORTS
            }
        summary = [
            (o.plan.counts, o.plan.possible_matches, o.plan.problems, o.batch_id) for o in outcomes
        ]
        return stored, summary
    finally:
        db.dispose()


def _second_list(tmp_path: Path, first: Path) -> Path:
    """People from the first list again, a case repeated 60 rows later with another charge."""
    db = open_database(f"sqlite:///{tmp_path / 'peek.sqlite'}")
    with db.unit_of_work() as session:
        run_import(session, open_source(first), ImportOptions(), "t")
    with db.reading() as session:
        known = session.execute(
            select(Person.last_name, Person.first_name, Person.date_of_birth, Person.nysid)
            .where(Person.date_of_birth.is_not(None))
            .limit(80)
        ).all()
    db.dispose()
    rows: list[list[object]] = [["Docket No.", "Name", "D.O.B.", "NYSID #", "Top Charge"]]
    for n, (last, first_name, born, nysid) in enumerate(known):
        rows.append(
            [
                f"2021KN{n + 1:06d}",
                f"{last}, {first_name}",
                born.strftime("%m/%d/%Y"),
                nysid if n % 2 else "",  # half by NYSID, half by name and date of birth
                "PL 221.05",
            ]
        )
    rows.append(["2021KN000003", "", "", "", "PL 221.10"])  # a later repeat: one more charge
    rows.append(["2021KN900001", "NEWCOMER, ANA", "1/2/1990", "", "PL 221.05"])
    rows.append(["2021KN900002", "NEWCOMER, ANA", "1/2/1990", "12345678A", "PL 221.05"])
    return write_rows(tmp_path / "second.xlsx", rows)


@pytest.mark.parametrize("part", [1, 7, 5_000])
def test_storing_part_by_part_stores_what_storing_after_checking_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: int
) -> None:
    first = tmp_path / "first.xlsx"
    write_fake_list(first, 300, seed=11)
    paths = [first, _second_list(tmp_path, first), first]  # the last adds nothing
    monkeypatch.setattr(stream, "_FIRST_PART", part)
    monkeypatch.setattr(stream, "_PART", part)
    streamed_imports: list[str] = []
    check_and_store = service.check_and_store

    def counted(*args: Any) -> Any:
        streamed_imports.append("streamed")
        return check_and_store(*args)

    monkeypatch.setattr(service, "check_and_store", counted)
    streamed, streamed_summary = _import_all(
        f"sqlite:///{tmp_path / 'streamed.sqlite'}", paths, bulk=True
    )
    assert len(streamed_imports) == len(paths)
    whole, whole_summary = _import_all(f"sqlite:///{tmp_path / 'whole.sqlite'}", paths, bulk=False)
    assert len(streamed_imports) == len(paths)
    assert streamed == whole
    assert streamed_summary == whole_summary
    counts = [summary[0] for summary in whole_summary]
    assert counts[1].people_linked == 80  # type: ignore[attr-defined]
    assert counts[1].duplicates == 1  # type: ignore[attr-defined]
    assert counts[2].already_present > 0  # type: ignore[attr-defined]


def test_only_a_bulk_load_of_a_database_file_is_stored_part_by_part(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        with db.unit_of_work(bulk_load=True) as session:
            assert stream.can_stream(session)
        with db.unit_of_work() as session:  # reference checks on: tables in order instead
            assert not stream.can_stream(session)
    finally:
        db.dispose()


class _Stop(Exception):
    pass


def test_cancelling_while_parts_are_stored_keeps_nothing(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    write_fake_list(path, 300, seed=3)
    db = open_database(f"sqlite:///{tmp_path / 'x.sqlite'}")
    saved: list[str] = []

    def cancel_after_the_first_part(_done: int, _total: int, label: str) -> None:
        # What the wizard's Cancel does: its progress report raises.
        if label.startswith("Saving"):
            saved.append(label)
            if len(saved) == 2:
                raise _Stop

    try:
        before = table_counts(db)
        with pytest.raises(_Stop), db.unit_of_work(bulk_load=True) as session:
            run_import(
                session,
                open_source(path),
                ImportOptions(),
                "t",
                progress=cancel_after_the_first_part,
            )
        assert saved == ["Saving cases", "Saving motions"]
        assert table_counts(db) == before
        # And the next import goes through whole.
        with db.unit_of_work(bulk_load=True) as session:
            outcome = run_import(session, open_source(path), ImportOptions(), "t")
        assert table_counts(db)["motion"] == outcome.plan.counts.valid > 0
    finally:
        db.dispose()
