"""File > Back up now… and File > Restore… in the window (offscreen)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from casetracker.storage.backup import list_backups
from casetracker.storage.db import open_database
from tests.core.helpers import make_motion
from tests.storage.cli_runner import ROOT
from tests.ui.helpers import wait_until
from ui.backups import BackupActions, RestoreDialog
from ui.main_window import MainWindow

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)"),
]


def _count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("select count(*) from motion").fetchone()[0])


def test_back_up_now_then_restore_from_the_list(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "casetracker.sqlite"
    db = open_database(str(path))
    make_motion(db, docket="2016SN000001")
    window = MainWindow(db)
    qtbot.addWidget(window)
    actions = window.backups  # type: ignore[attr-defined]
    assert isinstance(actions, BackupActions)
    file_menu = [a.text() for a in window.menus["file"].actions()]
    assert "&Back up now…" in file_menu and "&Restore…" in file_menu

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    actions.backup_action.trigger()
    wait_until(qtbot, lambda: actions.last_backup is not None)
    made = actions.last_backup
    assert made is not None and made.is_file()

    make_motion(db, docket="2017SN000002")
    assert _count(path) == 2

    dialog = actions.open_restore()
    assert isinstance(dialog, RestoreDialog)
    items = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any("made by hand" in text for text in items)
    dialog.close()

    quit_calls: list[bool] = []
    errors: list[str] = []
    monkeypatch.setattr(QApplication, "quit", lambda *a: quit_calls.append(True))
    monkeypatch.setattr(window, "show_error", errors.append)
    assert actions.restore(made) is True, errors
    assert quit_calls
    assert _count(path) == 1
    assert any(b.kind == "before-restore" for b in list_backups(path))
    db.dispose()


def test_restore_is_refused_while_a_command_has_the_database_open_and_work_goes_on(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "casetracker.sqlite"
    db = open_database(str(path))
    make_motion(db, docket="2016SN000001")
    window = MainWindow(db)
    qtbot.addWidget(window)
    actions = window.backups  # type: ignore[attr-defined]
    from casetracker.storage.backup import make_backup

    made = make_backup(path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1]); c.execute('select 1 from motion').fetchall()\n"
            "print('open', flush=True); time.sleep(120)\n",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    errors: list[str] = []
    monkeypatch.setattr(window, "show_error", errors.append)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert actions.restore(made) is False
    finally:
        holder.kill()
        holder.wait()
    assert errors and "open" in errors[0]
    # The window's database still works.
    make_motion(db, docket="2017SN000002")
    assert _count(path) == 2
    db.dispose()
