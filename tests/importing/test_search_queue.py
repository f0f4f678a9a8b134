"""An import's motions are found by the desk's search, though on SQLite they are queued for the
search index in one statement instead of by the insert triggers: the triggers are back, as
they were, after the import and after a failed one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from casetracker.devtools.fakelist import FakeListStats
from casetracker.domain.models import Case, Charge, Motion, Person, SearchDirty
from casetracker.importing import bulk_insert
from casetracker.importing.plan import ImportOptions
from casetracker.importing.reader import open_source
from casetracker.importing.service import run_import
from casetracker.services.search import refresh_search, search_condition
from casetracker.storage.db import Database
from tests.importing.conftest import table_counts

_TRIGGERS = text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")


def _import(db: Database, path: Path) -> None:
    with db.unit_of_work(bulk_load=True) as session:
        run_import(session, open_source(path), ImportOptions(), "tester")


def test_every_imported_motion_is_queued_once_and_found_by_search(
    db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    path, stats = fake_list
    _import(db, path)
    with db.reading() as session:
        queued = session.scalars(select(SearchDirty.motion_id)).all()
        motions = session.scalars(select(Motion.id)).all()
        assert sorted(queued) == sorted(motions)
        assert len(motions) == stats.unique_cases
        last, docket = session.execute(
            select(Person.last_name, Case.docket)
            .join(Case, Case.person_id == Person.id)
            .where(Case.docket.is_not(None))
            .order_by(Case.id.desc())
            .limit(1)
        ).one()
    assert docket is not None
    refresh_search(db)
    with db.reading() as session:
        for typed in (last, docket):
            condition = search_condition(session, typed)
            assert condition is not None
            found = session.scalars(select(Motion.id).where(condition)).all()
            assert found, f"search for an imported {typed!r} found nothing"


def test_the_insert_triggers_are_back_after_an_import_and_after_a_failed_one(
    sqlite_db: Database,
    fake_list: tuple[Path, FakeListStats],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with sqlite_db.reading() as session:
        triggers = session.execute(_TRIGGERS).all()
    assert {"search_motion_insert", "search_charge_insert"} <= {name for name, _ in triggers}
    _import(sqlite_db, fake_list[0])
    with sqlite_db.reading() as session:
        assert session.execute(_TRIGGERS).all() == triggers

    written = bulk_insert.BulkWriter.execute

    def fail_on_motions(self: bulk_insert.BulkWriter, chunk: bulk_insert.Chunk) -> None:
        if chunk.label == "Saving motions":
            raise OSError("disk full")
        written(self, chunk)

    monkeypatch.setattr(bulk_insert.BulkWriter, "execute", fail_on_motions)
    second = fake_list[0].with_name("again.xlsx")
    second.write_bytes(fake_list[0].read_bytes())
    with sqlite_db.unit_of_work() as session:  # a case on file that the list can name anew
        session.execute(text("UPDATE motion SET kind = 'conviction_vacatur'"))
    before = table_counts(sqlite_db)
    with pytest.raises(OSError, match="disk full"):
        _import(sqlite_db, second)
    assert table_counts(sqlite_db) == before
    with sqlite_db.reading() as session:
        assert session.execute(_TRIGGERS).all() == triggers
    # And they still queue ordinary work: a charge added by hand queues its case's motion.
    with sqlite_db.unit_of_work() as session:
        session.execute(text("DELETE FROM search_dirty"))
        motion = session.execute(select(Motion.id, Motion.case_id).limit(1)).one()
        session.add(Charge(case_id=motion.case_id, position=5, as_typed="PL 221.10"))
    with sqlite_db.reading() as session:
        assert session.scalars(select(SearchDirty.motion_id)).all() == [motion.id]
        assert session.execute(select(func.count()).select_from(SearchDirty)).scalar_one() == 1


def test_rows_written_by_hand_are_queued_after_an_import(
    db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    """The queue triggers (per statement on PostgreSQL, per row on SQLite) also serve the
    desk: two charges added to a case in one flush, a charge changed, a case moved."""
    _import(db, fake_list[0])
    with db.unit_of_work() as session:
        session.execute(text("DELETE FROM search_dirty"))
        first, second = session.execute(
            select(Motion.id, Motion.case_id).order_by(Motion.id).limit(2)
        ).all()
        session.add_all(
            [
                Charge(case_id=first.case_id, position=5, as_typed="PL 221.10"),
                Charge(case_id=first.case_id, position=6, as_typed="PL 221.05"),
            ]
        )
    with db.reading() as session:
        assert set(session.scalars(select(SearchDirty.motion_id))) == {first.id}
    with db.unit_of_work() as session:
        session.execute(text("DELETE FROM search_dirty"))
        charge = session.scalars(select(Charge).where(Charge.case_id == second.case_id)).first()
        assert charge is not None
        charge.as_typed = "PL 221.10"
        session.flush()
        assert set(session.scalars(select(SearchDirty.motion_id))) == {second.id}
        session.execute(text("DELETE FROM search_dirty"))
        session.execute(
            text("UPDATE motion SET case_id = :case WHERE id = :id"),
            {"case": first.case_id, "id": second.id},
        )
        assert set(session.scalars(select(SearchDirty.motion_id))) == {second.id}
