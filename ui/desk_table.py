"""The desk table's columns (size to content, hide and reorder, remembered; Stage always
shown) and its right-click menu with the selected motion's moves."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QTableView, QWidget

from casetracker.domain.workflow import moves_forward
from ui.detail_pane import DetailPane
from ui.motion_table_model import COLUMNS

# Never hidden: without it a row says nothing about where the motion is.
ALWAYS_SHOWN = frozenset({"person", "stage"})
_WIDEST = 320


def _settings_key() -> str:
    # Saved header state is only restored onto the same columns: a new column would
    # otherwise inherit another's width and place.
    digest = hashlib.sha1(",".join(k for k, _ in COLUMNS).encode()).hexdigest()[:10]
    return f"desk/columns-{digest}"


def restore_columns(table: QTableView) -> bool:
    """Put back the user's order, widths and hidden columns; False when there is nothing saved."""
    state = QSettings().value(_settings_key())
    if state is None or not table.horizontalHeader().restoreState(state):
        return False
    for column, (key, _) in enumerate(COLUMNS):
        if key in ALWAYS_SHOWN:
            table.setColumnHidden(column, False)
    return True


def save_columns(table: QTableView) -> None:
    QSettings().setValue(_settings_key(), table.horizontalHeader().saveState())


def size_to_content(table: QTableView) -> None:
    """Widths that fit the header and the rows loaded so far, none absurdly wide."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for column in range(header.count()):
        if table.columnWidth(column) > _WIDEST:
            table.setColumnWidth(column, _WIDEST)


def install_column_menu(table: QTableView) -> None:
    header = table.horizontalHeader()
    header.setSectionsMovable(True)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(at: QPoint) -> None:
        menu = QMenu(header)
        for column, (key, title) in enumerate(COLUMNS):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not table.isColumnHidden(column))
            action.setEnabled(key not in ALWAYS_SHOWN)
            action.toggled.connect(lambda shown, c=column: table.setColumnHidden(c, not shown))
        menu.addSeparator()
        menu.addAction("Fit columns to their contents", lambda: size_to_content(table))
        menu.exec(header.mapToGlobal(at))

    header.customContextMenuRequested.connect(show_menu)


def row_menu(parent: QWidget, detail: DetailPane) -> QMenu:
    """The moves the selected motion can take now, as the detail pane offers them."""
    menu = QMenu(parent)
    shown = detail.detail
    if shown is None:
        menu.addAction("Select a motion first").setEnabled(False)
        return menu
    for button in detail.buttons.values():
        action = menu.addAction(button.text())
        action.setEnabled(button.isEnabled())
        action.setToolTip(button.toolTip())
        action.triggered.connect(button.click)
    if not detail.buttons:
        menu.addAction("No moves are possible from here").setEnabled(False)
    menu.addSeparator()
    papers = menu.addAction("Papers…")
    papers.triggered.connect(detail.papers_button.click)
    return menu


def install_row_menu(table: QTableView, detail: DetailPane) -> None:
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(at: QPoint) -> None:
        row_menu(table, detail).exec(table.viewport().mapToGlobal(at))

    table.customContextMenuRequested.connect(show_menu)
    # The next step without the mouse: the first move the pane offers that would be accepted.
    next_step = QAction("Take the next step", table)
    next_step.setShortcut(QKeySequence("Ctrl+Return"))
    next_step.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    next_step.triggered.connect(lambda: take_next_step(detail))
    table.addAction(next_step)


def take_next_step(detail: DetailPane) -> bool:
    shown = detail.detail
    if shown is None:
        return False
    for info in shown.actions:
        button = detail.buttons.get(info.action)
        forward = moves_forward(info.action, shown.stage, info.target)
        if forward and button is not None and button.isEnabled():
            button.click()
            return True
    return False
