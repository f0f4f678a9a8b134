"""The idle lock: after the office's idle minutes without a key press or mouse use, the
window's contents are hidden behind the sign-in dialog, and so is every other window the
app has open (the intake form, a transition dialog, Office settings, a message box): each
is covered by a blank panel, not closed or hidden, since hiding a dialog that is waiting
for an answer would end it. Nothing is closed: open dialogs, half-typed forms and the
table's selection are where they were once the user signs in again. Only the signed-in
user can unlock; "Quit" closes the window as File > Quit does."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget

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


class Cover(QWidget):
    """A blank panel over the whole of one of the app's windows while the lock is on."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("idleLockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName("Locked")
        note = QLabel("Locked: sign in to continue.")
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
            self.raise_()
        return False

    def lift(self) -> None:
        window = self.parentWidget()
        if window is not None:
            window.removeEventFilter(self)
        self.hide()
        self.setParent(None)
        self.deleteLater()


def cover_windows(main: QWidget) -> list[Cover]:
    """Cover every visible window of the app but `main` (whose contents the lock hides)."""
    popup = QApplication.activePopupWidget()
    while popup is not None:  # an open menu or list: closed, as a click elsewhere would
        popup.close()
        popup = QApplication.activePopupWidget()
    return [
        Cover(widget)
        for widget in QApplication.topLevelWidgets()
        if widget is not main and widget.isVisible() and widget.isWindow()
    ]


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
        self.covers: list[Cover] = []
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
        status = self.window_.statusBar()
        status_shown = status.isVisible()
        status.setVisible(False)
        self.covers = cover_windows(self.window_)
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
            for cover in self.covers:
                cover.lift()
            self.covers = []
            central.setVisible(True)
            status.setVisible(status_shown)
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
