"""File > Past imports: every import batch, newest first, and undoing one whose motions have
not been worked on. Loaded on first use, not at start-up."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casetracker.domain.errors import CasetrackerError
from casetracker.importing.actions import import_batches, undo_import
from casetracker.importing.batches import BatchSummary
from casetracker.services.identity import current_user
from casetracker.storage.db import Database
from ui.row_table_model import RowTableModel

COLUMNS = (
    "Batch",
    "File",
    "Sheet",
    "Kind",
    "Imported by",
    "When",
    "Motions",
    "Worked on",
    "Status",
)
BATCH, FILE, SHEET, KIND, IMPORTED_BY, WHEN, MOTIONS, WORKED_ON, STATUS = range(len(COLUMNS))
_NUMBERS = (BATCH, MOTIONS, WORKED_ON)


def batch_cells(batch: BatchSummary) -> tuple[str, ...]:
    return (
        str(batch.id),
        batch.file_name,
        batch.sheet or "",
        batch.kind.label if batch.kind else "",
        batch.imported_by,
        f"{batch.imported_at.astimezone():%Y-%m-%d %H:%M}",
        f"{batch.motions:,}",
        "—" if batch.worked_on is None else f"{batch.worked_on:,}",
        batch.status,
    )


def batch_tooltip(batch: BatchSummary, column: int) -> str | None:
    if column == FILE:
        return f"{batch.file_name}\n{what_the_file_held(batch.counts)}"
    if column in (WORKED_ON, STATUS) and batch.why_not:
        return f"Cannot be undone: {batch.why_not}."
    return None


def what_the_file_held(counts: dict[str, Any]) -> str:
    parts = [
        f"{counts.get(key, 0):,} {words}"
        for key, words in (
            ("imported", "imported"),
            ("errors", "with errors"),
            ("duplicates", "duplicates"),
            ("already_present", "already present"),
            ("skipped", "skipped"),
        )
    ]
    return f"{counts.get('rows_read', 0):,} rows read: " + ", ".join(parts)


class BatchTableModel(RowTableModel[BatchSummary]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, batch_cells, batch_tooltip)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in _NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)


class PastImportsDialog(QDialog):
    undone = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Past imports")
        self.resize(1120, 420)
        # Replaced in tests.
        self.confirm = self._confirm
        self.show_error = self._show_error

        intro = QLabel(
            "Every list imported into this database, newest first. An import can be undone "
            "while none of its motions has been worked on: its motions are withdrawn, and "
            "their history keeps a record of the import and of the undo."
        )
        intro.setWordWrap(True)
        self.model = BatchTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Past imports")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Every column as wide as its text; the file name takes what is left, shortened in
        # the middle if it must be (its tooltip has it whole).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FILE, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.undo_button = QPushButton("&Undo import…")
        # Enter must not undo an import; only a deliberate click or Alt+U does.
        self.undo_button.setAutoDefault(False)
        self.undo_button.clicked.connect(self.undo_selected)
        # Others sharing the database import and work on motions while this is open.
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.setToolTip("Read the list again (F5)")
        self.refresh_button.clicked.connect(lambda: self.load())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        """Read the batches again, keeping the one selected (the newest if none was)."""
        chosen = self.selected()
        batches = import_batches(self.db)
        self.model.set_rows(batches)
        ids = [batch.id for batch in batches]
        row = ids.index(chosen.id) if chosen is not None and chosen.id in ids else 0
        if batches:
            # Not QTableView.selectRow, which selects nothing before the header is laid out.
            flags = QItemSelectionModel.SelectionFlag
            self.table.selectionModel().select(
                self.model.index(row, 0), flags.ClearAndSelect | flags.Rows
            )
        else:
            self.message.setText("Nothing has been imported into this database yet.")
        self._selection_changed()

    def selected(self) -> BatchSummary | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.model.rows):
            return None
        return self.model.rows[rows[0].row()]

    def _selection_changed(self) -> None:
        batch = self.selected()
        if batch is None:
            tip = "Select an import first."
        elif batch.can_undo:
            tip = f"Withdraw the {_motions(batch.motions)} of import batch {batch.id}."
        else:
            tip = f"Cannot be undone: {batch.why_not}."
        self.undo_button.setEnabled(batch is not None and batch.can_undo)
        self.undo_button.setToolTip(tip)

    def undo_selected(self) -> None:
        batch = self.selected()
        if batch is None or not batch.can_undo:
            return
        question = (
            f"Withdraw the {_motions(batch.motions)} imported from {batch.file_name}? "
            "Their history keeps a record of the undo."
        )
        if not self.confirm(question):
            return
        try:
            count = undo_import(self.db, batch.id, current_user())
        except CasetrackerError as error:
            # Someone may have worked on a motion since the list was read: show it as it is.
            self.show_error(str(error))
            self.load()
            return
        self.message.setText(f"Import batch {batch.id} undone: {_motions(count)} withdrawn.")
        self.load()
        self.undone.emit(batch.id)

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Undo import",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_error(self, text: str) -> None:
        QMessageBox.warning(self, "Undo import", text)


def _motions(count: int) -> str:
    return "1 motion" if count == 1 else f"{count:,} motions"
