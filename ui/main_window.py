"""The main window: the welcome state on an empty database, the motions otherwise."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QWidget,
)

from casetracker.services.demo import generate_demo
from casetracker.services.queries import count_motions, list_motions
from casetracker.storage.db import Database, describe
from ui.features import installed_features
from ui.jobs import Job, JobControl
from ui.motion_table_model import MotionTableModel
from ui.welcome import WelcomePage


class MainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.jobs: list[Job] = []
        self.setWindowTitle("Case Tracker")
        self.resize(1200, 760)

        self.welcome = WelcomePage()
        self.welcome.load_demo_requested.connect(self.load_demo)
        self.welcome.import_requested.connect(self.start_import)
        self.model = MotionTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.table)
        self.setCentralWidget(self.stack)

        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().showMessage(describe(db.url))
        self._make_menus()
        self.refresh()

    def _make_menus(self) -> None:
        # Features add their actions to these menus by name (see ui/features.py).
        self.menus: dict[str, QMenu] = {
            name: self.menuBar().addMenu(title)
            for name, title in (
                ("file", "&File"),
                ("edit", "&Edit"),
                ("view", "&View"),
                ("motions", "&Motions"),
                ("reports", "&Reports"),
                ("help", "&Help"),
            )
        }
        self.import_action = self._action("&Import spreadsheet…", self.start_import, "Ctrl+I")
        self.demo_action = self._action("Load &demo data", self.load_demo)
        for action in (self.import_action, self.demo_action):
            self.menus["file"].addAction(action)
        for feature in installed_features():
            feature.install(self)
        self.menus["file"].addSeparator()
        self.menus["file"].addAction(
            self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        )

    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def refresh(self) -> None:
        self.run_job("Loading motions", self._load_rows, self._show_rows, dialog=False)

    def _load_rows(self, control: JobControl) -> tuple[int, list[Any]]:
        with self.db.unit_of_work() as session:
            return count_motions(session), list_motions(session, limit=5000)

    def _show_rows(self, result: tuple[int, list[Any]]) -> None:
        total, rows = result
        self.model.set_rows(rows)
        self.stack.setCurrentWidget(self.table if total else self.welcome)
        self.count_label.setText(f"{total:,} motions")

    def load_demo(self) -> None:
        def work(control: JobControl) -> None:
            with self.db.unit_of_work() as session:
                for done, total in generate_demo(session, people=2000):
                    control.report(done, total, f"Creating fake people: {done:,} of {total:,}")

        self.run_job("Loading demo data", work, lambda _result: self.refresh())

    def start_import(self) -> None:
        QMessageBox.information(self, "Import", "Spreadsheet import is not available yet.")

    def run_job(self, title: str, fn: Any, on_success: Any, *, dialog: bool = True) -> Job:
        job = Job(self, title, fn, on_success, self.show_error, show_dialog=dialog)
        self.jobs.append(job)
        job.finished.connect(self._forget_finished_jobs)
        return job.start()

    def _forget_finished_jobs(self) -> None:
        sender = self.sender()
        self.jobs = [job for job in self.jobs if job is not sender]

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "Case Tracker", message)

    def closeEvent(self, event: QCloseEvent) -> None:
        for job in self.jobs:
            job.control.cancel()
        super().closeEvent(event)
