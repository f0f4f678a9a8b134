"""A damaged database is noticed, not used (issue 13, item 3): one plain message naming the
newest good backup and how to restore it, from the command line and from the window."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from casetracker.storage.backup import make_backup
from casetracker.storage.db import open_database
from tests.core.helpers import make_motion
from tests.storage.cli_runner import cli, one_line_refusal
from tests.ui.helpers import wait_until

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)")

PAGE = 4096


def _office(tmp_path: Path) -> tuple[Path, Path]:
    """A database with a few motions and a good backup of it, then the database damaged."""
    path = tmp_path / "office" / "casetracker.sqlite"
    path.parent.mkdir()
    db = open_database(str(path))
    for n in range(30):
        make_motion(db, docket=f"2016SN{n:06d}", last=f"Testperson{n}")
    db.dispose()
    backup = make_backup(path)
    with sqlite3.connect(path) as connection:
        root = connection.execute(
            "select rootpage from sqlite_master where type = 'table' and name = 'motion'"
        ).fetchone()[0]
        connection.execute("pragma wal_checkpoint(truncate)")
    with path.open("r+b") as handle:  # the database is closed: nobody holds its locks
        handle.seek((root - 1) * PAGE)
        handle.write(b"\xa5" * PAGE)
    return path, backup


def test_a_command_on_a_damaged_database_names_the_backup(tmp_path: Path) -> None:
    path, backup = _office(tmp_path)
    result = cli("motions", "--db", str(path))
    text = one_line_refusal(result, "damaged", backup.name, "restore")
    assert "unexpected" not in text


def test_malformed_met_later_is_the_same_message(tmp_path: Path) -> None:
    """With today's backup already made, the damage is met by a query, not by the check."""
    path, backup = _office(tmp_path)
    # As if today's daily backup had been made before the damage.
    from datetime import datetime

    from casetracker.storage.backup import DAILY, backup_name

    backup.with_name(backup_name(path, DAILY, datetime.now())).write_bytes(backup.read_bytes())
    result = cli("motions", "--db", str(path))
    one_line_refusal(result, "damaged", "restore")


def test_the_window_refuses_a_damaged_database_at_start(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    from casetracker.storage.backup import DAILY, backup_name
    from ui.app import run_gui

    path, backup = _office(tmp_path)
    # Today's daily backup exists, so only the start-up check can notice.
    daily = backup.with_name(backup_name(path, DAILY, datetime.now()))
    daily.write_bytes(backup.read_bytes())
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    assert run_gui(str(path)) == 2
    assert shown and "damaged" in shown[0] and "restore" in shown[0]


def test_a_big_database_is_checked_in_the_background(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.app import _check_in_background
    from ui.main_window import MainWindow

    path = tmp_path / "casetracker.sqlite"
    db = open_database(str(path))
    make_motion(db)
    window = MainWindow(db)
    qtbot.addWidget(window)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    monkeypatch.setattr("ui.app.check_sqlite", lambda *_a, **_k: ["row 1 missing from index"])
    _check_in_background(window, path)
    wait_until(qtbot, lambda: bool(shown))
    assert "damaged" in shown[0]
    db.dispose()
