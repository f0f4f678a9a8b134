"""The prosecutors' part of the window: the queue, court lists, screening and the rules,
all reached from the Motions menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMessageBox, QWidget

from casetracker.domain.clock import today
from casetracker.operations import Changes, UndoEntry
from ui.jobs import JobControl

# The views, dialogs and the screening engine load on first use: the window's start
# (`bench desk`, launch to first rows) should not wait for them.
if TYPE_CHECKING:
    from casetracker.services.motion_detail import MotionDetail
    from ui.court_lists.court_lists_view import CourtListsWidget
    from ui.main_window import MainWindow
    from ui.queue.queue_view import QueueWidget
    from ui.screening.screen_dialog import ScreenDialog


class ScreeningFeature(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.docks: dict[str, QDockWidget] = {}
        menu = window.menus["motions"]
        self.queue_action = self._add("Prosecutor's &queue", self.show_queue, "Ctrl+Shift+Q")
        self.lists_action = self._add("Court &lists", self.show_court_lists)
        menu.addSeparator()
        self.screen_action = self._add("&Screen motions not yet screened", self.screen_all)
        self.rescreen_action = self._add("&Re-screen with the rules in force…", self.rescreen)
        self.rules_action = self._add("Eligibility &rules…", self.edit_rules)

    def _add(self, text: str, slot: object, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        self.window.menus["motions"].addAction(action)
        return action

    def _dock(self, name: str, title: str, make: Callable[[], QWidget]) -> QDockWidget:
        """The named dock, made on first use and brought to the front after."""
        dock = self.docks.get(name)
        if dock is None:
            dock = QDockWidget(title, self.window)
            dock.setObjectName(f"{name}_dock")
            dock.setWidget(make())
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            # Side by side both would be too narrow to read; tabs keep each full width.
            if self.docks:
                self.window.tabifyDockWidget(next(iter(self.docks.values())), dock)
            self.docks[name] = dock
        dock.show()
        dock.raise_()
        return dock

    @Slot()
    def show_queue(self) -> None:
        self._dock("queue", "Prosecutor's queue", self._make_queue)

    def _make_queue(self) -> QWidget:
        from ui.queue.queue_view import QueueWidget

        queue = QueueWidget(self.window.db, actor=self.window.actor)
        self._connect(queue)
        return queue

    def _connect(self, view: QueueWidget | CourtListsWidget) -> None:
        """A view passes what its actions change up to the window, and is told, as every
        view is, of each change made anywhere (the window's one signal)."""
        view.changes.connect(self.window.apply_changes)
        self.window.changes_applied.connect(view.apply_changes)

    @Slot()
    def show_court_lists(self) -> None:
        self._dock("court_lists", "Court lists", self._make_court_lists)

    def _make_court_lists(self) -> QWidget:
        from ui.court_lists.court_lists_view import CourtListsWidget

        lists = CourtListsWidget(self.window.db, actor=self.window.actor)
        self._connect(lists)
        return lists

    @Slot()
    def screen_all(self) -> None:
        from casetracker.screening.ops import screen as screen_op

        db = self.window.db
        actor = self.window.actor

        def work(control: JobControl) -> Changes:
            return screen_op(
                db,
                actor,
                None,
                progress=lambda done, total: control.report(
                    done, total, f"Screening {done:,} of {total:,}"
                ),
            )

        self.window.run_job("Screening motions", work, self._screened)

    def _screened(self, changes: Changes) -> None:
        from casetracker.screening.ops import ScreenChanges
        from casetracker.services.motion_ops import count

        report = changes.report if isinstance(changes, ScreenChanges) else None
        if report is None:
            return
        counts = ", ".join(f"{n:,} {result.label.lower()}" for result, n in report.results.items())
        skipped = (
            f"\n{len(report.skipped):,} convictions wait for their record to be verified."
            if report.skipped
            else ""
        )
        QMessageBox.information(
            self.window,
            "Screening",
            f"Screened {len(report.screened):,} motions with rules {report.ruleset}"
            f"{': ' + counts if counts else ''}.{skipped}",
        )
        label = f"Screen {count(len(report.screened))}"
        undo = (
            UndoEntry(label, report.group_id, frozenset(report.screened))
            if report.group_id
            else None
        )
        self.window.apply_changes(Changes(frozenset(report.screened), summary=label, undo=undo))

    def screen_one(self, detail: MotionDetail) -> ScreenDialog:
        """The Screen button of the detail pane: the rules run, the user saves the result."""
        from ui.screening.screen_dialog import ScreenDialog

        dialog = ScreenDialog(
            self.window.db,
            self.window.actor,
            detail.motion_id,
            detail.version,
            detail.intake_date or today(),
            self.window,
            who=detail.who,
        )
        dialog.saved.connect(self._one_screened)
        dialog.open()
        self.screen_dialog = dialog
        return dialog

    def _one_screened(self, changes: Changes) -> None:
        # The window refreshes its views and puts the action on the undo stack.
        self.window.apply_changes(changes)

    @Slot()
    def rescreen(self) -> None:
        from ui.screening.rescreen_dialog import RescreenDialog

        dialog = RescreenDialog(self.window.db, self.window)
        dialog.saved.connect(self._rescreened)
        dialog.open()

    @Slot()
    def edit_rules(self) -> None:
        from ui.screening.rules_editor import RulesEditorDialog

        dialog = RulesEditorDialog(self.window.db, self.window)
        dialog.saved.connect(self._rules_saved)
        dialog.open()

    @Slot(str)
    def _rules_saved(self, version: str) -> None:
        answer = QMessageBox.question(
            self.window,
            "Rules saved",
            f"Rules version {version} are in force. See what re-screening would change now?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.rescreen()

    @Slot(str)
    def _rescreened(self, _group: str = "") -> None:
        self.window.apply_changes(Changes(everything=True, summary="Re-screened"))


def install(window: MainWindow) -> None:
    window.screening = ScreeningFeature(window)  # type: ignore[attr-defined]
