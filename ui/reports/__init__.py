"""The Reports menu: the weekly status report, court list, defender list and table export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from ui.reports.kinds import ReportKind

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.reports.report_dialog import ReportDialog

_ACTIONS = (
    (ReportKind.WEEKLY, "&Weekly status report…"),
    (ReportKind.COURT_LIST, "&Court list…"),
    (ReportKind.DEFENDERS, "&Defender notification list…"),
    (ReportKind.TABLE, "Export the &table as filtered…"),
)


class ReportsFeature(QObject):
    """Keeps one dialog per kind, so a second click brings the same one back."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs: dict[ReportKind, ReportDialog] = {}
        window.report_feature = self  # type: ignore[attr-defined]
        menu = window.menus["reports"]
        for kind, text in _ACTIONS:
            action = QAction(text, window)
            action.setData(kind.value)
            action.triggered.connect(self.open_from_action)
            menu.addAction(action)

    @Slot()
    def open_from_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open(ReportKind(action.data()))

    def open(self, kind: ReportKind) -> ReportDialog:
        # Imported on first use: the PDF and chart libraries cost ~0.9 s and ~100 MB at start-up.
        from ui.reports.report_dialog import ReportDialog

        dialog = self.dialogs.get(kind)
        if dialog is None:
            dialog = ReportDialog(self.window.db, kind, self.window)
            self.dialogs[kind] = dialog
        if kind == ReportKind.TABLE:
            # The desk provides the table's current filter and search; without it, everything.
            current = getattr(self.window, "current_motion_filter", None)
            dialog.set_table_filter(*(current() if callable(current) else (None, "")))
        dialog.show()
        dialog.raise_()
        return dialog


def install(window: MainWindow) -> None:
    ReportsFeature(window)
