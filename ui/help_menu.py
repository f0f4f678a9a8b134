"""Help menu: what this is, which database is open, and where the log file is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMessageBox

from casetracker import __version__
from casetracker.logsetup import setup_logging
from casetracker.storage.db import describe

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    slots = _HelpSlots(window)
    about = QAction("&About Case Tracker", window)
    about.triggered.connect(slots.about)
    logs = QAction("Open the &log folder", window)
    logs.triggered.connect(slots.open_logs)
    window.menus["help"].addAction(about)
    window.menus["help"].addAction(logs)


class _HelpSlots(QObject):
    """Owned by the window, so the slots are bound methods of a GUI-thread object."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window

    def about(self) -> None:
        QMessageBox.about(
            self.window_,
            "About Case Tracker",
            f"<b>Case Tracker {__version__}</b><p>Tracks motions to vacate marijuana "
            "convictions and dismiss summons warrants, from intake to sealing and "
            f"notification.</p><p>Database: {describe(self.window_.db.url)}</p>",
        )

    def open_logs(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(setup_logging().parent)))
