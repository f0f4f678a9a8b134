"""What the motion table shows: one row per motion, from plain rows (never live ORM objects)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from casetracker.services.queries import MotionRow

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "Person",
    "Date of birth",
    "NYSID",
    "Docket / summons",
    "Charge",
    "County",
    "Kind",
    "Stage",
)


class MotionTableModel(QAbstractTableModel):
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[MotionRow] = []

    def set_rows(self, rows: list[MotionRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

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
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            row.person_name,
            row.date_of_birth.isoformat() if row.date_of_birth else "",
            row.nysid or "",
            row.reference,
            row.charge or "",
            row.county.label if row.county else "",
            row.kind.label,
            row.stage.label,
        )
        return values[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None
