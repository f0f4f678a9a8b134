"""Edit > Users, for administrators: the same actions as `casetracker users`, through the
same core functions (which check the administrator's role again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casetracker.accounts.roles import ROLES
from casetracker.accounts.store import (
    AccountRow,
    add_user,
    change_role,
    list_users,
    reset_password,
    set_disabled,
    unlock_user,
)
from casetracker.domain.errors import CasetrackerError, InvalidValueError
from casetracker.storage.db import Database


class UserFormDialog(QDialog):
    """A name (when adding), a role and a new password typed twice."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        name: str | None,
        ask_role: bool,
        ask_password: bool,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout()
        self.name = QLineEdit(name or "")
        self.name.setAccessibleName("User name")
        self.name.setReadOnly(name is not None)
        form.addRow("&User name", self.name)
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        self.role.addItems(list(ROLES))
        if ask_role:
            form.addRow("&Role", self.role)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("New password")
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("New password again")
        if ask_password:
            form.addRow("&Password (12 or more characters)", self.password)
            form.addRow("&Again", self.again)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class UsersDialog(QDialog):
    def __init__(self, db: Database, actor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.setWindowTitle("Users")
        self.resize(720, 420)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["User", "Role", "Status", "Last sign-in"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Users")
        self.message = QLabel()
        self.message.setWordWrap(True)
        # Tests replace it, to fill the form without a person.
        self.ask_form: Callable[..., UserFormDialog | None] = self._ask_form
        row = QHBoxLayout()
        for text, slot in (
            ("&Add…", self.add),
            ("Change &role…", self.set_role),
            ("&Disable", lambda: self._on_selected(lambda s, n: set_disabled(s, actor, n, True))),
            ("&Enable", lambda: self._on_selected(lambda s, n: set_disabled(s, actor, n, False))),
            ("&Unlock", lambda: self._on_selected(lambda s, n: unlock_user(s, actor, n))),
            ("Reset &password…", self.reset),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.rows: list[AccountRow] = []
        self.load()

    def load(self) -> None:
        try:
            with self.db.reading() as session:
                self.rows = list_users(session, self.actor)
        except CasetrackerError as error:
            self.message.setText(str(error))
            return
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            last = f"{row.last_sign_in_at:%Y-%m-%d %H:%M}" if row.last_sign_in_at else "never"
            for column, text in enumerate((row.name, row.role, row.status, last)):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()].name if rows else None

    def _run(self, work: Callable[[Any], AccountRow]) -> None:
        try:
            with self.db.unit_of_work() as session:
                done = work(session)
        except CasetrackerError as error:
            self.message.setText(str(error))
            return
        self.message.setText(f"{done.name}: {done.role}, {done.status}.")
        self.load()

    def _on_selected(self, work: Callable[[Any, str], AccountRow]) -> None:
        name = self.selected_name()
        if name is None:
            self.message.setText("Select a user first.")
            return
        self._run(lambda session: work(session, name))

    def _ask_form(self, **kw: Any) -> UserFormDialog | None:
        form = UserFormDialog(self, **kw)
        return form if form.exec() == QDialog.DialogCode.Accepted else None

    @staticmethod
    def _password(form: UserFormDialog) -> str:
        if form.password.text() != form.again.text():
            raise InvalidValueError("The two passwords differ; nothing was changed.")
        return form.password.text()

    def add(self) -> None:
        form = self.ask_form(title="Add a user", name=None, ask_role=True, ask_password=True)
        if form is not None:
            self._run(
                lambda s: add_user(
                    s, self.actor, form.name.text(), form.role.currentText(), self._password(form)
                )
            )

    def set_role(self) -> None:
        name = self.selected_name()
        if name is None:
            self.message.setText("Select a user first.")
            return
        form = self.ask_form(title=f"Role of {name}", name=name, ask_role=True, ask_password=False)
        if form is not None:
            self._run(lambda s: change_role(s, self.actor, name, form.role.currentText()))

    def reset(self) -> None:
        name = self.selected_name()
        if name is None:
            self.message.setText("Select a user first.")
            return
        form = self.ask_form(
            title=f"New password for {name}", name=name, ask_role=False, ask_password=True
        )
        if form is not None:
            self._run(lambda s: reset_password(s, self.actor, name, self._password(form)))
