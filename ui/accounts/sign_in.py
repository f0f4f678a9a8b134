"""The sign-in dialog: at start (when the database has accounts) and when the idle lock
closes the window's contents. The same core sign-in as the command line: failures counted,
five in a row lock the account, everything audited."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from casetracker.accounts.store import SignedIn, sign_in
from casetracker.domain.errors import CasetrackerError
from casetracker.storage.db import Database


class SignInDialog(QDialog):
    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        locked_for: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.signed_in: SignedIn | None = None
        self.locked_for = locked_for
        self.setWindowTitle("Case Tracker: locked" if locked_for else "Case Tracker: sign in")
        self.setModal(True)
        self.name = QLineEdit()
        self.name.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Sign-in message")
        intro = QLabel(
            f"The window was locked after a time without use. {locked_for}, type your "
            "password to go on where you left off."
            if locked_for
            else "Sign in with your Case Tracker user name and password."
        )
        intro.setWordWrap(True)
        if locked_for:
            self.name.setText(locked_for)
            self.name.setReadOnly(True)
        form = QFormLayout()
        form.addRow("&User name", self.name)
        form.addRow("&Password", self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Unlock" if locked_for else "Sign in"
        )
        if locked_for:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Quit")
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password if locked_for else self.name).setFocus()

    def try_sign_in(self) -> None:
        try:
            who = sign_in(
                self.db,
                self.name.text(),
                self.password.text(),
                channel="window (unlock)" if self.locked_for else "window",
            )
        except CasetrackerError as error:
            self.password.clear()
            self.message.setText(f"<b>{_capital(str(error))}.</b>")
            self.password.setFocus()
            return
        self.signed_in = who
        self.password.clear()
        self.accept()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
