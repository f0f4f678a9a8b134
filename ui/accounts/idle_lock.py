"""The idle lock: after the office's idle minutes without a key press or mouse use, the
window's contents are hidden behind the sign-in dialog. Nothing is closed: open dialogs,
half-typed forms and the table's selection are where they were once the user signs in again.
Only the signed-in user can unlock; "Quit" closes the window as File > Quit does."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from casetracker.accounts import audit
from casetracker.accounts.idle import idle_lock_minutes
from casetracker.accounts.names import same_user
from ui.accounts.sign_in import SignInDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleLock(QObject):
    def __init__(self, window: MainWindow, name: str) -> None:
        super().__init__(window)
        self.window_ = window
        self.name = name
        self.locked = False
        self.last_input = time.monotonic()
        with window.db.reading() as session:
            self.minutes = idle_lock_minutes(session)
        # Tests (and nothing else) replace it, to answer the dialog without a person.
        self.ask = self._ask
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT and not self.locked:
            self.last_input = time.monotonic()
        return False

    def check(self) -> None:
        if self.locked:
            return
        if time.monotonic() - self.last_input >= self.minutes * 60:
            self.lock()

    def lock(self) -> None:
        """Hide what the window shows and ask for the password again."""
        self.locked = True
        central = self.window_.centralWidget()
        assert central is not None
        central.setVisible(False)
        audit.record_now(
            self.window_.db,
            self.name,
            audit.SCREEN_LOCKED,
            channel="window",
            idle_minutes=self.minutes,
        )
        try:
            unlocked = self.ask()
        finally:
            self.locked = False
        if unlocked:
            central.setVisible(True)
            self.last_input = time.monotonic()
            with self.window_.db.reading() as session:
                self.minutes = idle_lock_minutes(session)
        else:
            self.timer.stop()
            self.window_.close()

    def _ask(self) -> bool:
        while True:
            dialog = SignInDialog(self.window_.db, self.window_, locked_for=self.name)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            if dialog.signed_in is not None and same_user(dialog.signed_in.name, self.name):
                return True
