"""A read-only table of plain rows: given the column titles and a function from a row to the
text of its cells (and optionally to a cell's tooltip)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui.date_field import show_date

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class RowTableModel(QAbstractTableModel, Generic[Row]):
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(
        self,
        columns: Sequence[str],
        cells: Callable[[Row], Sequence[str]],
        tooltip: Callable[[Row, int], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self.cells = cells
        self.tooltip = tooltip
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == self.ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and self.tooltip is not None:
            return self.tooltip(row, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.cells(row)[index.column()]
            # Qt would show a date in the locale's short form; the app shows one format.
            return show_date(value) if isinstance(value, date) else value
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None
