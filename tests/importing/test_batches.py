"""The list of past imports, on SQLite and PostgreSQL: what each batch brought, how much of it
has been worked on since, and whether it can still be undone."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from casetracker.devtools.fakelist import FakeListStats, write_fake_list
from casetracker.domain.enums import MotionKind, Stage
from casetracker.domain.errors import TransitionError
from casetracker.domain.models import Motion
from casetracker.importing.batches import list_batches
from casetracker.importing.commit import undo_batch
from casetracker.services.motions import advance, change_fields
from casetracker.storage.db import Database
from tests.importing.test_import import do_import


def test_a_fresh_batch_can_be_undone(db: Database, fake_list: tuple[Path, FakeListStats]) -> None:
    path, stats = fake_list
    outcome = do_import(db, path)
    with db.unit_of_work() as session:
        (batch,) = list_batches(session)
    assert batch.id == outcome.batch_id
    assert (batch.file_name, batch.imported_by) == ("warrants.xlsx", "tester")
    assert batch.sheet and batch.kind is MotionKind.WARRANT_DISMISSAL
    assert batch.motions == stats.unique_cases == batch.counts["imported"]
    assert batch.counts["errors"] == stats.error_rows
    assert batch.worked_on == 0
    assert batch.can_undo and batch.why_not == "" and batch.status == "Active"


def test_worked_on_motions_are_counted_and_block_the_undo(
    db: Database, fake_list: tuple[Path, FakeListStats]
) -> None:
    path, stats = fake_list
    do_import(db, path)
    with db.unit_of_work() as session:
        first, second = session.scalars(select(Motion.id).order_by(Motion.id).limit(2)).all()
        advance(session, first, Stage.VERIFIED, reason="checked", user="clerk")
        # Still in intake, but its history shows someone changed it.
        change_fields(
            session,
            [second],
            {"assigned_prosecutor": "ADA Example"},
            action="assign",
            reason="assigned",
            user="clerk",
        )
    with db.unit_of_work() as session:
        (batch,) = list_batches(session)
    assert batch.worked_on == 2
    assert not batch.can_undo
    assert batch.why_not == f"2 of its {stats.unique_cases:,} motions have been worked on"
    # The same rule as the undo itself.
    with pytest.raises(TransitionError, match="cannot be undone"), db.unit_of_work() as session:
        undo_batch(session, batch.id, "boss")


def test_an_undone_batch_says_who_undid_it(
    db: Database, tmp_path: Path, fake_list: tuple[Path, FakeListStats]
) -> None:
    path, _stats = fake_list
    older = do_import(db, path).batch_id
    assert older is not None
    with db.unit_of_work() as session:
        undo_batch(session, older, "boss")
    other = tmp_path / "convictions.xlsx"
    write_fake_list(other, 30, seed=11)
    newer = do_import(db, other).batch_id
    with db.unit_of_work() as session:
        batches = list_batches(session)
    assert [b.id for b in batches] == [newer, older]
    undone = batches[1]
    assert undone.undone_by == "boss" and undone.undone_at is not None
    assert undone.worked_on is None and not undone.can_undo
    assert undone.why_not.startswith("already undone by boss on ")
    assert undone.status.startswith("Undone by boss on ")
    assert batches[0].can_undo
