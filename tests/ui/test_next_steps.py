"""The next step taken in the same dialog, through the real window: filed and calendared,
notified and closed, verified then screened and consented, intake saved and closed. Each pair
is two history rows, and one undo (Ctrl+Z) takes back both."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casetracker.domain.enums import Stage
from casetracker.domain.models import Motion, MotionEvent
from casetracker.storage.db import Database
from tests.core.helpers import make_motion, walk_to
from tests.support import motions as support
from tests.ui.dialogs import when_dialog
from ui.main_window import MainWindow
from ui.transition_dialog import TransitionDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)"),
]


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[MainWindow]]:
    made: list[MainWindow] = []
    yield made
    for win in made:
        win.close()


def _open(qtbot: QtBot, db: Database, windows: list[MainWindow]) -> MainWindow:
    """The window on the motion made, showing its detail (the row clicked, if not already)."""
    win = MainWindow(db)
    qtbot.addWidget(win)
    windows.append(win)
    with qtbot.waitSignal(win.rows_shown, timeout=5000):
        win.show()
    win.table.setFocus()
    if win.detail.detail is None:
        rect = win.table.visualRect(win.model.index(0, 0))
        qtbot.mouseClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: win.detail.detail is not None, timeout=5000)
    return win


def _take(win: MainWindow, action: str) -> None:
    detail = win.detail.detail
    assert detail is not None
    win.perform_action(next(a for a in detail.actions if a.action == action))


def _stage(db: Database, motion_id: int) -> Stage:
    with db.reading() as session:
        return session.get_one(Motion, motion_id).stage


def _last_group(db: Database, motion_id: int) -> list[str]:
    with db.reading() as session:
        events = session.scalars(
            select(MotionEvent)
            .where(MotionEvent.motion_id == motion_id)
            .order_by(MotionEvent.id.desc())
        ).all()
    group = events[0].group_id
    return [e.action for e in reversed(events) if e.group_id == group]


def _undo(qtbot: QtBot, win: MainWindow) -> None:
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    win.table.setFocus()
    with qtbot.waitSignal(win.bulk.finished, timeout=5000):
        qtbot.keyClick(win.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_filed_with_the_court_date_is_calendared_too_and_undone_as_one(
    qtbot: QtBot, windows: list[MainWindow], sqlite_db: Database
) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    walk_to(sqlite_db, motion_id, Stage.CONSENTED)
    window = _open(qtbot, sqlite_db, windows)

    def fill(dialog: TransitionDialog) -> None:
        dialog.editors["filed_date"].line.setText("1/5/2026")  # type: ignore[attr-defined]
        dialog.then_editors["court_date"].line.setText("2026-02-03")  # type: ignore[attr-defined]
        qtbot.keyClicks(dialog.then_editors["court_part"], "AP1")
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    when_dialog(TransitionDialog, fill)
    _take(window, "file")
    assert _last_group(sqlite_db, motion_id) == ["file", "calendar"]
    with sqlite_db.reading() as session:
        motion = session.get_one(Motion, motion_id)
        assert motion.stage == Stage.CALENDARED
        assert (motion.filed_date, motion.court_date, motion.court_part) == (
            date(2026, 1, 5),
            date(2026, 2, 3),
            "AP1",
        )
    _undo(qtbot, window)
    assert _stage(sqlite_db, motion_id) == Stage.CONSENTED


def test_filed_without_a_court_date_is_only_filed(
    qtbot: QtBot, windows: list[MainWindow], sqlite_db: Database
) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    walk_to(sqlite_db, motion_id, Stage.CONSENTED)
    window = _open(qtbot, sqlite_db, windows)

    def fill(dialog: TransitionDialog) -> None:
        dialog.editors["filed_date"].line.setText("1/5/2026")  # type: ignore[attr-defined]
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    when_dialog(TransitionDialog, fill)
    _take(window, "file")
    assert _stage(sqlite_db, motion_id) == Stage.FILED


@pytest.mark.parametrize("close_too", [True, False])
def test_notified_and_closed_when_the_box_is_ticked(
    qtbot: QtBot, windows: list[MainWindow], sqlite_db: Database, close_too: bool
) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    walk_to(sqlite_db, motion_id, Stage.SEALED)
    window = _open(qtbot, sqlite_db, windows)

    def fill(dialog: TransitionDialog) -> None:
        assert dialog.close_too is not None and dialog.close_too.isChecked()
        dialog.close_too.setChecked(close_too)
        dialog.editors["notification_date"].line.setText("3/2/2026")  # type: ignore[attr-defined]
        qtbot.keyClicks(dialog.editors["notification_outcome"], "Reached")
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    when_dialog(TransitionDialog, fill)
    _take(window, "notify")
    if not close_too:
        assert _stage(sqlite_db, motion_id) == Stage.NOTIFIED
        return
    assert _stage(sqlite_db, motion_id) == Stage.CLOSED
    assert _last_group(sqlite_db, motion_id) == ["notify", "close"]
    _undo(qtbot, window)
    assert _stage(sqlite_db, motion_id) == Stage.SEALED


def test_verified_then_screened_eligible_and_consented_with_enter(
    qtbot: QtBot, windows: list[MainWindow], sqlite_db: Database
) -> None:
    with sqlite_db.unit_of_work() as session:
        motion_id = support.make_motion(session, charges=["PL 221.05"])
    window = _open(qtbot, sqlite_db, windows)
    when_dialog(TransitionDialog, lambda d: qtbot.keyClick(d, Qt.Key.Key_Return))
    _take(window, "verify")
    assert _stage(sqlite_db, motion_id) == Stage.VERIFIED
    dialog = window.screening.screen_dialog  # type: ignore[attr-defined]
    assert dialog.isVisible() and dialog.consent_button.isDefault()
    assert "POLICY" in dialog.consent_button.text()
    with qtbot.waitSignal(window.detail_shown, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert _stage(sqlite_db, motion_id) == Stage.CONSENTED
    assert _last_group(sqlite_db, motion_id) == ["screen", "consent"]
    # One undo takes back the screening and the consent; the verification stays.
    _undo(qtbot, window)
    with sqlite_db.reading() as session:
        motion = session.get_one(Motion, motion_id)
        assert motion.stage == Stage.VERIFIED and motion.screening_result is None


def test_a_motion_screened_ineligible_is_not_offered_consent(
    qtbot: QtBot, windows: list[MainWindow], sqlite_db: Database
) -> None:
    with sqlite_db.unit_of_work() as session:
        motion_id = support.make_motion(session, charges=["PL 165.15"])
    window = _open(qtbot, sqlite_db, windows)
    when_dialog(TransitionDialog, lambda d: qtbot.keyClick(d, Qt.Key.Key_Return))
    _take(window, "verify")
    dialog = window.screening.screen_dialog  # type: ignore[attr-defined]
    assert not dialog.consent_button.isEnabled()
    assert dialog.save_button.isDefault()
    with qtbot.waitSignal(window.detail_shown, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert _stage(sqlite_db, motion_id) == Stage.SCREENED


def test_intake_save_and_close_goes_to_the_new_motion(
    qtbot: QtBot, windows: list[MainWindow], sqlite_db: Database
) -> None:
    with sqlite_db.unit_of_work() as session:
        support.make_motion(session, charges=["PL 221.05"])
    window = _open(qtbot, sqlite_db, windows)
    window.open_intake()
    form = window.intake_form
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow, timeout=5000)
    qtbot.keyClicks(form.last, "Okafor")
    qtbot.keyClicks(form.summons, "4401234567")
    qtbot.keyClicks(form.charges, "PL 221.05")
    qtbot.keyClick(form.last, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible()
    qtbot.waitUntil(
        lambda: (
            window.detail.detail is not None
            and window.detail.detail.person_name.startswith("Okafor")
        ),
        timeout=10_000,
    )
    detail = window.detail.detail
    assert detail is not None and detail.person_name.startswith("Okafor")
    assert detail.stage == Stage.INTAKE


def test_a_refused_calendar_asks_again_keeping_what_was_typed(
    qtbot: QtBot, windows: list[MainWindow], sqlite_db: Database
) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    walk_to(sqlite_db, motion_id, Stage.CONSENTED)
    window = _open(qtbot, sqlite_db, windows)
    seen: list[TransitionDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, TransitionDialog) or dialog in seen:
            return
        seen.append(dialog)
        if len(seen) == 1:
            # A court date without its part: the calendar step refuses, nothing is saved.
            dialog.editors["filed_date"].line.setText("1/5/2026")  # type: ignore[attr-defined]
            dialog.then_editors["court_date"].line.setText("2026-02-03")  # type: ignore[attr-defined]
        else:
            assert "part" in dialog.error.text()
            court = dialog.then_editors["court_date"]
            assert court.date() == date(2026, 2, 3)  # type: ignore[attr-defined]
            assert dialog.editors["filed_date"].date() == date(2026, 1, 5)  # type: ignore[attr-defined]
            qtbot.keyClicks(dialog.then_editors["court_part"], "AP1")
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(answer)
    timer.start()
    try:
        _take(window, "file")
    finally:
        timer.stop()
    assert len(seen) == 2
    assert _stage(sqlite_db, motion_id) == Stage.CALENDARED
    assert _last_group(sqlite_db, motion_id) == ["file", "calendar"]
