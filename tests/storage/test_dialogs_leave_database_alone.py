"""Browsing the database's folder with the app's file dialogs, while the app has the database
open, must not drop SQLite's locks (issue 13, item 1): a second process that opens and closes
the database afterwards must not delete the write-ahead log under the app, and the app's later
writes must reach a third process."""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from casetracker.storage.db import open_database
from tests.core.helpers import make_motion
from ui.backups import RestoreDialog
from ui.importing.pages import FilePage
from ui.reports.report_dialog import ReportDialog

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)"),
]


def _open_import(parent: QWidget) -> str:
    return FilePage.choose_file(parent)


def _save_report(parent: QWidget) -> str:
    return ReportDialog.ask_save_path(parent, "Weekly status report", "", "Excel (*.xlsx)")


def _restore_from_file(parent: QWidget) -> str:
    dialog = RestoreDialog(Path(parent.property("database")), parent)
    dialog.choose_other()
    return "" if dialog.chosen is None else str(dialog.chosen)


# Every file dialog the app opens, called the way the app calls it.
APP_DIALOGS: list[tuple[str, Callable[[QWidget], str]]] = [
    ("import", _open_import),
    ("report", _save_report),
    ("restore", _restore_from_file),
]


def _pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def _browse(folder: Path, names: list[str]) -> Callable[[], None]:
    """What a user does in the dialog: go to the folder, show details, hover and select each
    file, then cancel."""

    def drive() -> None:
        dialogs = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QFileDialog) and w.isVisible()
        ]
        assert dialogs, "no file dialog opened"
        dialog = dialogs[0]
        dialog.setDirectory(str(folder))
        for mode in (QFileDialog.ViewMode.Detail, QFileDialog.ViewMode.List):
            dialog.setViewMode(mode)
            _pump(0.8)  # the dialog fills its list (names, sizes, icons, types) on a thread
            views = [v for v in dialog.findChildren(QAbstractItemView) if v.isVisible()]
            for name in names:
                dialog.selectFile(str(folder / name))
                for view in views:
                    index = view.currentIndex()
                    if index.isValid():
                        rect = view.visualRect(index)
                        QTest.mouseMove(view.viewport(), rect.center())
                        view.viewport().update()
                _pump(0.2)
            QTest.mouseMove(dialog, QPoint(1, 1))
        _pump(0.5)
        dialog.reject()

    return drive


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def _third_process(path: Path, motion_id: int) -> list[str]:
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "print(c.execute('pragma integrity_check').fetchall())\n"
            "print(sorted(r[0] for r in c.execute('select id from motion')))\n"
            "print(c.execute('select stage from motion where id = ?', (int(sys.argv[2]),))"
            ".fetchone()[0])\n"
            "c.close()\n",
            str(path),
            str(motion_id),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr
    return check.stdout.splitlines()


def test_browsing_the_database_folder_loses_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "import-reports").mkdir()
    (folder / "import-reports" / "list-problems.xlsx").write_bytes(b"not really a workbook")
    path = folder / "casetracker.sqlite"
    db = open_database(str(path))
    try:
        first = make_motion(db, docket="2016SN000001")
        names = sorted(p.name for p in folder.iterdir() if p.is_file())
        assert {"casetracker.sqlite", "casetracker.sqlite-wal", "casetracker.sqlite-shm"} <= set(
            names
        )
        parent = QWidget()
        parent.setProperty("database", str(path))
        qtbot.addWidget(parent)
        for _name, opener in APP_DIALOGS:
            QTimer.singleShot(300, _browse(folder, names))
            assert opener(parent) == ""

        # A second process reads, writes and closes, as `main.py motions` and `advance` do.
        listed = _run("motions", "--db", str(path), "--json")
        assert listed.returncode == 0, listed.stderr
        moved = _run(
            "advance",
            str(first.motion_ids[0]),
            "verified",
            "--reason",
            "checked",
            "--db",
            str(path),
        )
        assert moved.returncode == 0, moved.stderr

        # The app goes on saving; a third process sees it all, in a sound file, while the
        # app still has the database open (its own close would mend what was lost).
        later = [make_motion(db, docket=f"2017SN{n:06d}").motion_ids[0] for n in range(1, 21)]
        integrity, ids, stage = _third_process(path, first.motion_ids[0])
    finally:
        db.dispose()
    assert integrity == "[('ok',)]"
    assert ast.literal_eval(ids) == sorted([first.motion_ids[0], *later])
    assert stage == "verified"


def test_every_file_dialog_in_the_app_comes_from_the_one_helper() -> None:
    """A dialog made elsewhere (QFileDialog's static functions, a native dialog) would read
    the files it lists; only ui/file_dialogs.py may make one."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "ui").rglob("*.py"))
        if p.name != "file_dialogs.py" and "QFileDialog" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_helper_never_opens_the_files_it_lists(qtbot: QtBot, tmp_path: Path) -> None:
    """The same, seen directly: the write-ahead log outlives another process's close."""
    path = tmp_path / "casetracker.sqlite"
    db = open_database(str(path))
    try:
        make_motion(db)
        shm = path.with_name(path.name + "-shm")
        assert shm.exists()
        parent = QWidget()
        qtbot.addWidget(parent)
        names = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
        QTimer.singleShot(300, _browse(tmp_path, names))
        assert FilePage.choose_file(parent) == ""
        # Another process's connection deletes the WAL on closing only if it finds itself
        # the last user, which it does when this process's locks were dropped.
        _third_process(path, 1)
        assert shm.exists() and path.with_name(path.name + "-wal").exists()
    finally:
        db.dispose()
