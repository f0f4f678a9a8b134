"""The window makes the day's backup after it opens, not before: nobody waits for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from casetracker.storage.backup import DAILY, list_backups
from casetracker.storage.db import open_database
from tests.core.helpers import make_motion
from tests.ui.helpers import wait_until
from ui.app import _backup_in_background
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_the_window_opens_first_and_backs_up_while_in_use(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    first = open_database(f"sqlite:///{path}", daily_backup=False)
    make_motion(first)
    first.dispose()

    db = open_database(f"sqlite:///{path}", daily_backup=False)
    assert list_backups(path) == []
    window = MainWindow(db)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.rows_shown, timeout=10_000):
        window.show()
    _backup_in_background(window, db)
    wait_until(qtbot, lambda: any(b.kind == DAILY for b in list_backups(path)))
    window.close()
    db.dispose()
