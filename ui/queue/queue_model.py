"""What the queue table shows: one motion waiting for a decision per row, oldest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from casetracker.decisions.queue import QueueRow
from casetracker.domain.enums import ScreeningResult

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Waiting", "Person", "Docket / summons", "Charge", "County", "Kind", "Screening", "Why")


class QueueTableModel(QAbstractTableModel):
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[QueueRow] = []

    def set_rows(self, rows: list[QueueRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def eligible_rows(self) -> list[QueueRow]:
        return [r for r in self.rows if r.screening_result == ScreeningResult.ELIGIBLE]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == self.ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == len(COLUMNS) - 1:
            return row.reasons_text
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        first = row.screening_reasons[0].get("because", "") if row.screening_reasons else ""
        values = (
            f"{row.waiting_days} d",
            row.person_name,
            row.reference,
            row.charge or "",
            row.county.label if row.county else "",
            row.kind.label,
            row.screening_result.label if row.screening_result else "Not screened",
            first,
        )
        return values[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None
