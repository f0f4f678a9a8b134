"""What an import leaves behind in memory: once its outcome is dropped, the plan, the records
and the rows are freed at once; and, where nothing was frozen before (the command line), what
it still holds is not walked again by the next young collection (a 0.2 s pause after a
100,000-row import)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from casetracker.cli.main import run
from casetracker.devtools.fakelist import FakeListStats
from casetracker.importing.collector import collector_paused
from casetracker.importing.plan import ImportOptions
from casetracker.importing.reader import open_source
from casetracker.importing.service import run_import
from casetracker.importing.validate import ImportRecord
from casetracker.storage.db import open_database


@pytest.fixture
def collector_off() -> Iterator[None]:
    # Only reference counting may free anything while a test looks.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.parametrize("bulk", [True, False], ids=["streamed", "ordered"])
def test_a_dropped_import_is_freed_without_the_collector(
    tmp_path: Path, fake_list: tuple[Path, FakeListStats], collector_off: None, bulk: bool
) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'memory.sqlite'}")
    try:
        with db.unit_of_work(bulk_load=bulk) as session:
            outcome = run_import(session, open_source(fake_list[0]), ImportOptions(), "t")
        assert outcome.plan.records and outcome.plan.counts.people_created
        plan = weakref.ref(outcome.plan)
        del outcome
        assert plan() is None
    finally:
        db.dispose()


def test_the_import_command_into_a_new_database_leaves_nothing_for_the_collector(
    tmp_path: Path,
    fake_list: tuple[Path, FakeListStats],
    collector_off: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A new database is found to be new, not learnt from a failed query: that error's
    # traceback held the command's frames, and every record of the import with them, in
    # a cycle only the collector frees (a second at 100,000 rows).
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    report = tmp_path / "report.xlsx"
    before = sum(isinstance(o, ImportRecord) for o in gc.get_objects())
    assert run(["import", str(fake_list[0]), "--db", url, "--error-report", str(report)]) == 0
    capsys.readouterr()
    assert sum(isinstance(o, ImportRecord) for o in gc.get_objects()) == before


@contextmanager
def first_young_collection_after(held: list[list[int]]) -> Iterator[list[int]]:
    """How many of held the first young-generation collection after they were made looks
    at; watched from before the import lets go, as the collector runs at its first chance."""
    seen: list[int] = []

    def look(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 0 and held and not seen:
            ids = {id(item) for item in held}
            seen.append(sum(1 for obj in gc.get_objects(0) if id(obj) in ids))

    gc.callbacks.append(look)
    try:
        yield seen
        gc.collect(0)
    finally:
        gc.callbacks.remove(look)


@pytest.fixture
def nothing_frozen() -> Iterator[None]:
    # The window freezes what it made at start-up; a test process has not, unless told.
    frozen = gc.get_freeze_count()
    gc.unfreeze()
    try:
        yield
    finally:
        if frozen:
            gc.freeze()


def test_what_an_import_holds_is_moved_past_the_young_generation(nothing_frozen: None) -> None:
    held: list[list[int]] = []
    with first_young_collection_after(held) as walked, collector_paused():
        held.extend([i] for i in range(5_000))
    assert gc.isenabled()
    assert walked == [0]
    assert gc.get_freeze_count() == 0  # in the oldest generation: a full collection sees it


def test_where_the_window_froze_its_start_up_that_stays_frozen_and_nothing_more(
    nothing_frozen: None,
) -> None:
    start_up = [[1], [2], [3]]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        held: list[list[int]] = []
        with collector_paused():
            held.extend([i] for i in range(5_000))
        assert gc.isenabled()
        assert gc.get_freeze_count() == frozen  # what the import made can still be collected
        assert start_up
    finally:
        gc.unfreeze()
