"""A change made by another process shows in the open window without F5, and the window
keeps the selection, the scroll position and what is being typed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from casetracker.domain.enums import Stage
from casetracker.storage.db import Database
from tests.desk_data import add_people
from tests.ui.helpers import wait_until
from ui.main_window import MainWindow
from ui.motion_table_model import COLUMNS

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
