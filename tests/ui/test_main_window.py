"""The window a user first sees: the welcome state, demo data loading, the motions shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from casetracker.storage.db import Database
from ui.main_window import MainWindow


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def test_empty_database_offers_demo_and_import(qtbot: QtBot, sqlite_db: Database) -> None:
    window = _window(qtbot, sqlite_db)
    qtbot.waitUntil(lambda: window.count_label.text() == "0 motions", timeout=10_000)
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.demo_button.isVisible() and window.welcome.import_button.isVisible()
    # Nothing to move, report or chart yet.
    assert not window.menus["motions"].isEnabled()
    assert not window.menus["reports"].isEnabled()
    assert not window.dashboard_action.isEnabled()


def test_load_demo_data_from_the_welcome_page(qtbot: QtBot, sqlite_db: Database) -> None:
    window = _window(qtbot, sqlite_db)
    qtbot.waitUntil(lambda: window.count_label.text() == "0 motions", timeout=10_000)
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is not window.welcome, timeout=60_000)
    assert window.count_label.text().endswith("motions")
    assert int(window.count_label.text().split()[0].replace(",", "")) >= 2000
    assert window.menus["motions"].isEnabled() and window.dashboard_action.isEnabled()
