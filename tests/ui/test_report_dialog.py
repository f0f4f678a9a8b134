"""The Reports menu and its dialog, driven as a user would (offscreen)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, QSettings, Qt, QUrl
from pytestqt.qtbot import QtBot

from casetracker.devtools.demo import generate_demo
from casetracker.domain.clock import today
from casetracker.domain.enums import Stage
from casetracker.reports.calendar import last_complete_week_end
from casetracker.services.queries import MotionFilter
from casetracker.storage.db import Database
from ui.main_window import MainWindow
from ui.reports import ReportsFeature
from ui.reports.report_dialog import ReportDialog, ReportKind

# The offscreen platform cannot raise windows or pass size hints; a real desktop can.
pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)"),
]


@pytest.fixture
def demo_db(sqlite_db: Database) -> Database:
    with sqlite_db.unit_of_work() as session:
        for _ in generate_demo(session, people=150):
            pass
    return sqlite_db


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> MainWindow:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    return win


def _feature(window: MainWindow) -> ReportsFeature:
    feature = window.report_feature  # type: ignore[attr-defined]
    assert isinstance(feature, ReportsFeature)
    return feature


def _run(qtbot: QtBot, dialog: ReportDialog, path: Path) -> None:
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(path))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.job is not None
    with qtbot.waitSignal(dialog.job.finished, timeout=60_000):
        pass


def test_reports_menu_offers_every_export(window: MainWindow) -> None:
    texts = [a.text().replace("&", "") for a in window.menus["reports"].actions()]
    assert texts == [
        "Weekly status report…",
        "Court list…",
        "Defender notification list…",
        "Export the table as filtered…",
    ]


def test_weekly_report_from_the_dialog_then_open(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(ReportDialog, "open_url", staticmethod(opened.append))
    window.menus["reports"].actions()[0].trigger()
    dialog = _feature(window).dialogs[ReportKind.WEEKLY]
    expected = last_complete_week_end(today())
    assert dialog.week_ending.date().toString("yyyy-MM-dd") == expected.isoformat()
    assert not dialog.open_button.isEnabled()

    _run(qtbot, dialog, tmp_path / "week.xlsx")

    assert dialog.status.text().startswith("Saved"), dialog.status.text()
    assert (tmp_path / "week.xlsx").exists() and (tmp_path / "week.pdf").exists()
    assert load_workbook(tmp_path / "week.xlsx").sheetnames[0] == "Summary"
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(tmp_path / "week.xlsx"))]
    # The folder is remembered for next time; the name carries the week, so a new week never
    # overwrites the last one's file.
    again = ReportDialog(window.db, ReportKind.WEEKLY)
    qtbot.addWidget(again)
    assert again.path.text() == str(tmp_path / f"weekly-report-{expected.isoformat()}.xlsx")
    earlier = expected - timedelta(days=7)
    again.week_ending.setDate(QDate(earlier.year, earlier.month, earlier.day))
    assert again.path.text() == str(tmp_path / f"weekly-report-{earlier.isoformat()}.xlsx")


def test_court_list_needs_a_part_and_names_a_missing_one(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _feature(window).open(ReportKind.COURT_LIST)
    dialog.path.setText(str(tmp_path / "court.pdf"))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "part" in dialog.status.text()
    qtbot.keyClicks(dialog.part, "ZZ9")
    dialog.court_date.setDate(dialog.court_date.date().addYears(-30))
    _run(qtbot, dialog, tmp_path / "court.pdf")
    assert "No motion is set down" in dialog.status.text()
    assert not (tmp_path / "court.pdf").exists()


def test_table_export_uses_the_desks_current_filter(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    flt = MotionFilter(stages=(Stage.GRANTED,))
    window.current_motion_filter = lambda: (flt, "")  # type: ignore[attr-defined]
    dialog = _feature(window).open(ReportKind.TABLE)
    assert "current filter" in dialog.filter_note.text()
    _run(qtbot, dialog, tmp_path / "granted.csv")
    lines = (tmp_path / "granted.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) > 1
    assert all(",Granted," in line for line in lines[1:])
    assert date.today()  # the export ran against today's demo


def test_exports_from_the_window_are_in_the_audit_log(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from casetracker.domain.models import AuditEntry

    dialog = ReportDialog(window.db, ReportKind.DEFENDERS)
    qtbot.addWidget(dialog)
    _run(qtbot, dialog, tmp_path / "defenders.xlsx")
    with window.db.reading() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.target == "defenders"
    assert entry.detail["file"] == str(tmp_path / "defenders.xlsx")
    assert entry.detail["rows"] > 0
