"""Selecting a table row as a click does. QTableView.selectRow picks the column under the
header's left edge, which is no column at all until the header has been laid out, so on a
busy machine it can silently select nothing."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QTableView


def select_row(table: QTableView, row: int) -> None:
    flags = QItemSelectionModel.SelectionFlag
    table.selectionModel().select(table.model().index(row, 0), flags.ClearAndSelect | flags.Rows)
