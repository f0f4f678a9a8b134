"""Private by default (issue 13, item 4): owner-only files and folders, temporary files in a
private folder removed after a killed process, old error reports deleted at start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casetracker.paths import data_dir
from casetracker.services.office_settings import set_retention_days
from casetracker.storage.db import open_database
from casetracker.storage.private_files import remove_leftover_scratch, scratch_root
from casetracker.storage.settings import ERROR_REPORT_RETENTION_DAYS
from tests.core.helpers import make_motion
from tests.storage.cli_runner import ROOT, cli

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@posix_only
def test_an_export_is_owner_only_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    db = open_database(str(path))
    make_motion(db)
    db.dispose()
    out = tmp_path / "table.xlsx"
    result = cli("report", "table", "--out", str(out), "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert _mode(out) == 0o600
    assert _mode(path) == 0o600
    scratch = data_dir() / "tmp"
    assert [p for p in scratch.rglob("*") if p.is_file()] == []
    assert _mode(data_dir()) == 0o700 and _mode(scratch) == 0o700


@posix_only
def test_a_stricter_umask_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    db = open_database(str(path))
    make_motion(db)
    db.dispose()
    out = tmp_path / "table.csv"
    script = (
        "import os, sys; os.umask(0o277); from casetracker.cli.main import run; "
        "sys.exit(run(sys.argv[1:]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "report", "table", "--out", str(out), "--db", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert _mode(out) == 0o400


def test_temporary_folders_of_ended_processes_are_removed() -> None:
    root = scratch_root()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    left = root / f"{dead.stdout.strip()}-deadbeef"
    left.mkdir()
    (left / "openpyxl.tmp").write_text("Testperson, Alex 1980-05-17")
    alive = root / f"{os.getpid()}-cafecafe"
    alive.mkdir()
    assert remove_leftover_scratch() >= 1
    assert not left.exists()
    assert alive.exists()


def test_old_error_reports_are_deleted_at_start(tmp_path: Path) -> None:
    reports = data_dir() / "import-reports"
    reports.mkdir()
    old = reports / "list-problems-old.xlsx"
    new = reports / "list-problems-new.xlsx"
    for path in (old, new):
        path.write_bytes(b"x")
    ninety_one_days = time.time() - 91 * 86_400
    os.utime(old, (ninety_one_days, ninety_one_days))
    ten_days = time.time() - 10 * 86_400
    os.utime(new, (ten_days, ten_days))
    path = tmp_path / "office.sqlite"
    db = open_database(str(path))
    assert not old.exists() and new.exists()
    with db.unit_of_work() as session:
        set_retention_days(session, ERROR_REPORT_RETENTION_DAYS, 7, "tester")
    db.dispose()
    open_database(str(path)).dispose()
    assert not new.exists()


def test_retention_days_are_office_settings_in_the_window(qtbot: object, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from casetracker.storage.settings import BACKUP_RETENTION_DAYS, retention_days
    from ui.office_settings import OfficeSettingsDialog

    db = open_database(str(tmp_path / "office.sqlite"))
    dialog = OfficeSettingsDialog(db)
    dialog.confirm_discard = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.backup_days.value() == 14 and dialog.report_days.value() == 90
    dialog.backup_days.setValue(30)
    dialog.report_days.setValue(45)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert dialog.message.text().startswith("Saved")
    with db.reading() as session:
        assert retention_days(session, BACKUP_RETENTION_DAYS) == 30
        assert retention_days(session, ERROR_REPORT_RETENTION_DAYS) == 45
    db.dispose()
