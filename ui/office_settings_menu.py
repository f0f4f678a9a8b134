"""Edit > Office settings…: the menu entry. The dialog (ui/office_settings.py) loads when it
is first opened, not while the window starts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    opener = _Opener(window)
    action = QAction("Office &settings…", window)
    action.triggered.connect(opener.open)
    window.menus["edit"].addSeparator()
    window.menus["edit"].addAction(action)


class _Opener(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def open(self) -> None:
        from ui.office_settings import OfficeSettingsDialog

        OfficeSettingsDialog(self.window.db, self.window).exec()
