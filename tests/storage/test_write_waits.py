"""How long a write waits for SQLite's write lock held by another process (an import from the
command line): a save waits it out instead of failing after a few seconds; the background
upkeep of a view (folding the search queue) gives up after a moment and leaves it for later."""

from __future__ import annotations

import time

from sqlalchemy import func, select, text

from casetracker.domain.enums import MotionKind, Stage
from casetracker.domain.models import Motion, SearchDirty
from casetracker.services.search import refresh_search
from casetracker.storage.db import Database
from tests.support.lock_holder import write_lock_held_elsewhere
from tests.support.motions import make_motion


def test_a_save_waits_far_longer_than_a_large_import_takes(sqlite_db: Database) -> None:
    # 100,000 rows hold the lock 11 s on an idle machine and 44 s on a loaded one.
    with sqlite_db.unit_of_work() as session:
        assert session.execute(text("PRAGMA busy_timeout")).scalar_one() >= 60_000


def test_a_save_waits_for_another_process_and_then_saves(sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as session:
        motion_id = make_motion(session, MotionKind.CONVICTION_VACATUR, verify=False)
    path = sqlite_db.sqlite_path
    assert path is not None
    with write_lock_held_elsewhere(path, 3.0):
        started = time.monotonic()
        with sqlite_db.unit_of_work() as session:
            session.get_one(Motion, motion_id).stage = Stage.VERIFIED
        waited = time.monotonic() - started
    assert waited >= 2.0
    with sqlite_db.reading() as session:
        assert session.get_one(Motion, motion_id).stage == Stage.VERIFIED


def test_a_views_search_upkeep_does_not_wait_for_an_import(sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as session:
        make_motion(session, MotionKind.CONVICTION_VACATUR, verify=False)
    path = sqlite_db.sqlite_path
    assert path is not None
    with sqlite_db.reading() as session:
        queued = session.scalar(select(func.count()).select_from(SearchDirty))
    assert queued, "the new motion should wait in the search queue"
    with write_lock_held_elsewhere(path, 4.0):
        started = time.monotonic()
        assert refresh_search(sqlite_db, busy_ok=True) == 0
        gave_up_after = time.monotonic() - started
        # The next write of this process waits as long as a save should, not a moment.
        with sqlite_db.unit_of_work() as session:
            assert session.execute(text("PRAGMA busy_timeout")).scalar_one() >= 60_000
    assert gave_up_after < 3.0
    # Left for later, not lost: the next fold empties the queue.
    assert refresh_search(sqlite_db) > 0
    with sqlite_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(SearchDirty)) == 0
