"""Papers… for the motion in the detail pane (its button, and Motions > Papers for this motion,
Ctrl+P)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence

from ui.papers.making import PapersMaker

if TYPE_CHECKING:
    from casetracker.documents.service import Generated
    from ui.main_window import MainWindow


class MotionPapers(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.maker = PapersMaker(window, window.db, lambda: window.actor, self._made)
        window.detail.papers_requested.connect(self.make)
        self.action = QAction("&Papers for this motion…", window)
        self.action.setShortcut(QKeySequence("Ctrl+P"))
        self.action.triggered.connect(self._for_current)
        window.menus["motions"].addSeparator()
        window.menus["motions"].addAction(self.action)

    @Slot()
    def _for_current(self) -> None:
        detail = self.window.detail.detail
        if detail is None:
            self.maker.show_error(self.window, "Select a motion first.")
            return
        self.make(detail.motion_id)

    @Slot(int)
    def make(self, motion_id: int) -> None:
        from casetracker.documents.service import Request

        self.maker.make(Request(motion_id=motion_id), f"motion-{motion_id}-papers")

    def _made(self, made: Generated) -> None:
        self.window.apply_changes(made.changes)


def install(window: MainWindow) -> None:
    window.papers = MotionPapers(window)  # type: ignore[attr-defined]
