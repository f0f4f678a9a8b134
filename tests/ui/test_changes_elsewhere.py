"""A change made by another process shows in the open window without F5 (SQLite's
PRAGMA data_version, read about once a second): in the desk, the detail pane, the queue and
the court-lists view, and the window keeps the selection, the scroll position and what is
being typed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from casetracker.domain.enums import County, Stage
from casetracker.screening.service import screen_motions
from casetracker.storage.db import Database
from tests.desk_data import add_people
from tests.support.motions import make_motion
from tests.ui.helpers import select_row, wait_until
from ui.court_lists.court_lists_view import CourtListsWidget
from ui.main_window import MainWindow
from ui.motion_table_model import COLUMNS
from ui.queue.queue_view import QueueWidget

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    add_people(db)
    win = MainWindow(db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.rows_shown, timeout=10_000):
        win.show()
    yield win
    win.close()


def _elsewhere(db: Database, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args, "--user", "ada.smith"]
        + ["--db", db.url.render_as_string(hide_password=False)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr


def test_another_process_moves_the_motion_on_screen(qtbot: QtBot, window: MainWindow) -> None:
    # The user has searched, selected both rows found, and opened the first.
    with qtbot.waitSignal(window.rows_shown, timeout=10_000):
        window.filters.search.setText("smith")
    ids = list(window.model.ids)
    assert len(ids) == 2
    watched = ids[0]
    with qtbot.waitSignal(window.detail_shown, timeout=10_000):
        window.select_motion(watched)
    selection = window.table.selectionModel()
    selection.select(
        window.model.index(1, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows
    )
    assert window.detail.detail is not None and window.detail.detail.stage == Stage.INTAKE

    _elsewhere(window.db, "advance", str(watched), "verified", "--reason", "checked the file")

    wait_until(
        qtbot,
        lambda: window.detail.detail is not None and window.detail.detail.stage == Stage.VERIFIED,
        timeout=20_000,
    )
    assert "ada.smith" in window.detail.text.toPlainText()
    stage = [key for key, _title in COLUMNS].index("stage")
    wait_until(
        qtbot,
        lambda: (
            window.model.index(window.model.row_of(watched), stage).data() == Stage.VERIFIED.label
        ),
    )
    # Nothing the user set up was lost.
    assert window.filters.search.text() == "smith"
    assert list(window.model.ids) == ids
    assert window._current_id() == watched
    assert set(window.selected_motion_ids()) == set(ids)


@pytest.fixture
def busy_window(qtbot: QtBot, sqlite_db: Database) -> Iterator[MainWindow]:
    """More motions than the table shows at once, screened, so the queue holds them too."""
    with sqlite_db.unit_of_work() as session:
        for _ in range(80):
            make_motion(session, county=County.KINGS)
        screen_motions(session, None, user="screener")
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.rows_shown, timeout=10_000):
        win.show()
    yield win
    for name in ("queue", "court_lists"):
        dock = win.screening.docks.get(name)  # type: ignore[attr-defined]
        if dock is not None:
            wait_until(qtbot, lambda d=dock: not d.widget().runner.busy, timeout=60_000)
    win.close()


def test_a_decision_made_elsewhere_reaches_every_view_and_keeps_scroll_and_typing(
    qtbot: QtBot, busy_window: MainWindow
) -> None:
    window = busy_window
    window.screening.show_queue()  # type: ignore[attr-defined]
    window.screening.show_court_lists()  # type: ignore[attr-defined]
    queue = window.screening.docks["queue"].widget()  # type: ignore[attr-defined]
    lists = window.screening.docks["court_lists"].widget()  # type: ignore[attr-defined]
    assert isinstance(queue, QueueWidget) and isinstance(lists, CourtListsWidget)
    wait_until(qtbot, lambda: not queue.runner.busy and queue.model.rowCount() == 80)
    wait_until(qtbot, lambda: lists.waiting_label.text().startswith("0 consented"))

    # The user has opened a motion half-way down the desk and scrolled on a little, the motion
    # still in view; picked another motion in the queue and is typing a note for it.
    watched = window.model.motion_id(40)
    with qtbot.waitSignal(window.detail_shown, timeout=10_000):
        window.select_motion(watched)
    bar = window.table.verticalScrollBar()
    bar.setValue(bar.value() + 2)
    scroll = bar.value()
    assert scroll > 0 and not window.table.visualRect(window.model.index(40, 0)).isEmpty()
    picked = next(r.id for r in queue.model.rows if r.id != watched)
    select_row(queue.table, next(i for i, r in enumerate(queue.model.rows) if r.id == picked))
    queue.note_edit.setFocus()
    queue.note_edit.setText("spoke to the defender about")
    queue.note_edit.setCursorPosition(5)

    _elsewhere(window.db, "decide", str(watched), "--decision", "consent", "--reason", "POLICY")

    # Each view shows the consent, without F5.
    wait_until(
        qtbot,
        lambda: window.detail.detail is not None and window.detail.detail.stage == Stage.CONSENTED,
        timeout=20_000,
    )
    wait_until(qtbot, lambda: watched not in {r.id for r in queue.model.rows})
    wait_until(qtbot, lambda: lists.waiting_label.text().startswith("1 consented"))
    stage = [key for key, _title in COLUMNS].index("stage")
    wait_until(
        qtbot,
        lambda: (
            window.model.index(window.model.row_of(watched), stage).data() == Stage.CONSENTED.label
        ),
    )
    # Nothing the user was doing was lost: the desk's scroll and selection, the queue's
    # selection, and the note being typed, cursor where it was.
    assert window.table.verticalScrollBar().value() == scroll
    assert window._current_id() == watched
    assert [r.id for r in queue.selected_rows()] == [picked]
    assert queue.note_edit.text() == "spoke to the defender about"
    assert queue.note_edit.cursorPosition() == 5
