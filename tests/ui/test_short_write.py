"""A single move that has to wait for the database (another process holds SQLite's write
lock, as a command-line import does) keeps the window painting, says what it waits for, and
saves once the lock is free."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from casetracker.domain.enums import MotionKind, Stage
from casetracker.domain.models import Motion
from casetracker.services.motion_detail import motion_detail
from casetracker.storage.db import Database
from tests.support.lock_holder import write_lock_held_elsewhere
from tests.support.motions import make_motion
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui

HOLD_S = 2.0


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database) -> Iterator[MainWindow]:
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.rows_shown, timeout=10_000):
        win.show()
    yield win
    win.close()


def test_a_move_waiting_for_another_process_keeps_the_window_alive(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database
) -> None:
    with sqlite_db.unit_of_work() as session:
        motion_id = make_motion(session, MotionKind.CONVICTION_VACATUR, verify=False)
    with sqlite_db.reading() as session:
        detail = motion_detail(session, motion_id)
    verify = next(a for a in detail.actions if a.action == "verify")

    path = sqlite_db.sqlite_path
    assert path is not None
    with write_lock_held_elsewhere(path, HOLD_S):
        seen: dict[str, object] = {}

        def during() -> None:
            # Runs only if the window's event loop turns while the save waits.
            seen["timer"] = time.monotonic()
            seen["note"] = [
                w.labelText()
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QProgressDialog) and w.isVisible()
            ]

        QTimer.singleShot(1000, during)
        started = time.monotonic()
        assert window.try_transition(detail, verify, "rap sheet checked", {}) is None
        waited = time.monotonic() - started

    assert waited >= HOLD_S * 0.8, "the move did not wait for the other process's lock"
    assert "timer" in seen, "the window's event loop stood still while the save waited"
    [note] = seen["note"]  # type: ignore[misc]
    assert "waiting for the database" in str(note)
    with sqlite_db.reading() as session:
        assert session.get_one(Motion, motion_id).stage == Stage.VERIFIED
    assert window.bulk.stack.undoText().endswith(": Intake → Record verified")
