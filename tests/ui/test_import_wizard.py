"""The import wizard driven as a person would: pick a file, check sheet and mapping, preview,
import, see the summary; and dropping a file on the window starts it."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from casetracker.devtools.fakelist import write_fake_list
from casetracker.storage.db import Database
from tests.importing.conftest import table_counts
from ui.importing.pages import FilePage
from ui.importing.wizard import ImportWizard
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.count_label.text() == "0 motions", timeout=10_000)
    return window


def _wizard(window: MainWindow) -> ImportWizard:
    wizard = window.import_opener.wizard  # type: ignore[attr-defined]
    assert isinstance(wizard, ImportWizard)
    return wizard


def _run_through(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.layout_page, timeout=5_000)
    qtbot.waitUntil(wizard.layout_page.isComplete, timeout=15_000)
    assert wizard.layout_page.sheet_combo.currentText() == "Warrants"  # not the read-me sheet
    assert wizard.layout_page.header_spin.value() == 4  # below the title block
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    chosen = set(wizard.mapping_page.choices().values())
    assert {"docket", "full_name", "charge", "date_of_birth", "nysid"} <= chosen
    wizard.next()
    qtbot.waitUntil(wizard.preview_page.isComplete, timeout=15_000)
    assert "to import" in wizard.preview_page.counts.text()
    assert wizard.preview_page.model.rowCount() > 0
    wizard.next()
    qtbot.waitUntil(wizard.result_page.isComplete, timeout=30_000)


def test_import_through_the_wizard(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "list.xlsx"
    stats = write_fake_list(path, 200, seed=13)
    assert stats.error_rows > 0  # so there is an error report to open
    monkeypatch.setattr(FilePage, "choose_file", staticmethod(lambda _parent: str(path)))
    opened: list[Path] = []
    monkeypatch.setattr(ImportWizard, "open_file", staticmethod(opened.append))
    window = _window(qtbot, sqlite_db)
    qtbot.mouseClick(window.welcome.import_button, Qt.MouseButton.LeftButton)
    wizard = _wizard(window)
    qtbot.mouseClick(wizard.file_page.browse, Qt.MouseButton.LeftButton)
    assert wizard.file_page.path_edit.text() == str(path)
    wizard.next()
    _run_through(qtbot, wizard)
    assert wizard.outcome is not None
    assert wizard.outcome.summary["imported"] == stats.unique_cases
    assert f"Imported {stats.unique_cases:,}" in wizard.result_page.summary.text()
    assert table_counts(sqlite_db)["motion"] == stats.unique_cases
    qtbot.mouseClick(wizard.result_page.open_report, Qt.MouseButton.LeftButton)
    assert opened == [wizard.outcome.error_report]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.desk, timeout=10_000)
    wizard.close()


def test_dropping_a_file_on_the_window_starts_the_wizard(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "list.xlsx"
    write_fake_list(path, 50, seed=12)
    window = _window(qtbot, sqlite_db)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    # Through the window system's side, as a real drag arrives: enter, then drop.
    target = window.windowHandle()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Qt's only QPoint constructor
        enter = QDragEnterEvent(
            QPoint(20, 20),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    assert QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    wizard = _wizard(window)
    assert wizard.file_page.path_edit.text() == str(path)
    _run_through(qtbot, wizard)
    assert wizard.outcome is not None and wizard.outcome.summary["imported"] > 0
    wizard.close()


def test_a_column_recognised_by_its_values_is_shown_as_a_guess(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.importing.test_import import write_rows

    path = write_rows(
        tmp_path / "respondents.xlsx",
        [
            ["Docket", "Respondent", "Charge"],
            ["2016KN000001", "RUIZ, ANA M", "PL 221.05"],
            ["2016KN000002", "NGO, ANH", "PL 221.10"],
        ],
        title=False,
    )
    monkeypatch.setattr(FilePage, "choose_file", staticmethod(lambda _parent: str(path)))
    window = _window(qtbot, sqlite_db)
    qtbot.mouseClick(window.welcome.import_button, Qt.MouseButton.LeftButton)
    wizard = _wizard(window)
    qtbot.mouseClick(wizard.file_page.browse, Qt.MouseButton.LeftButton)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.layout_page, timeout=5_000)
    qtbot.waitUntil(wizard.layout_page.isComplete, timeout=15_000)
    wizard.next()
    assert wizard.mapping_page.choices()[1] == "full_name"
    column = wizard.mapping_page.table.item(1, 0)
    assert "by its values" in column.text() and "LAST, FIRST" in column.toolTip()
    wizard.next()
    qtbot.waitUntil(wizard.preview_page.isComplete, timeout=15_000)
    assert "Recognised column 2 ('Respondent') as Name" in wizard.preview_page.counts.text()
    wizard.close()
