"""Driving the views the way a user does, robustly on a busy machine."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QItemSelectionModel
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot


def select_row(table: QTableView, row: int) -> None:
    """Select a row as a click does. QTableView.selectRow picks the column under the header's
    left edge, which is no column at all until the header has been laid out, so on a busy
    machine it can silently select nothing."""
    flags = QItemSelectionModel.SelectionFlag
    table.selectionModel().select(table.model().index(row, 0), flags.ClearAndSelect | flags.Rows)


def wait_until(qtbot: QtBot, done: Callable[[], object], timeout: int = 30_000) -> None:
    """qtbot.waitUntil that also delivers events posted from worker threads: inside
    pytest-qt's short nested loops a background job's result was seen to sit undelivered
    (offscreen platform), so each check hands posted events over first."""

    def check() -> bool:
        QCoreApplication.sendPostedEvents()
        return bool(done())

    qtbot.waitUntil(check, timeout=timeout)
