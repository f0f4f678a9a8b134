"""Edit > Audit log, for administrators: who did or saw what, newest first, and a check that
no history or audit row was changed, removed or slipped in."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casetracker.accounts.audit_review import review_audit_log, verify_audit_chain
from casetracker.domain.errors import CasetrackerError
from casetracker.storage.db import Database

SHOWN = 2000


class AuditViewer(QDialog):
    def __init__(self, db: Database, actor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.setWindowTitle("Audit log")
        self.resize(980, 560)
        self.user = QLineEdit()
        self.user.setPlaceholderText("Only this user (any spelling)")
        self.user.setAccessibleName("Only this user")
        self.user.returnPressed.connect(self.load)
        show = QPushButton("&Show")
        show.clicked.connect(self.load)
        verify = QPushButton("&Verify the chain")
        verify.clicked.connect(self.verify)
        top = QHBoxLayout()
        top.addWidget(self.user, 1)
        top.addWidget(show)
        top.addWidget(verify)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["When (UTC)", "User", "What", "About", "Details"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Audit entries")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Audit message")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.load()

    def load(self) -> None:
        try:
            with self.db.reading() as session:
                rows = review_audit_log(
                    session, self.actor, user=self.user.text().strip() or None, limit=SHOWN
                )
        except CasetrackerError as error:
            self.message.setText(str(error))
            return
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            detail = ", ".join(f"{k}={v}" for k, v in row.detail.items())
            values = (f"{row.at:%Y-%m-%d %H:%M:%S}", row.user, row.action, row.target or "", detail)
            for column, text in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        more = f" (the newest {SHOWN:,})" if len(rows) == SHOWN else ""
        self.message.setText(f"{len(rows):,} entries{more}.")

    def verify(self) -> None:
        try:
            result = verify_audit_chain(self.db, self.actor)
        except CasetrackerError as error:
            self.message.setText(str(error))
            return
        self.message.setText(result.message if result.ok else f"<b>{result.message}</b>")
