"""Court lists: make a list of consented motions, mark it filed and calendared, and record the
court's decision for the whole list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casetracker.courtlists.service import (
    CourtListRow,
    ListChange,
    calendar_court_list,
    court_list_max,
    create_court_list,
    file_court_list,
    list_court_lists,
    record_list_outcome,
    waiting_for_list,
)
from casetracker.documents.service import Request
from casetracker.operations import Actor
from casetracker.services.identity import current_user
from casetracker.storage.db import Database
from ui.court_lists import forms
from ui.job_runner import JobRunner
from ui.jobs import JobControl
from ui.papers.making import PapersMaker, file_stem
from ui.prompts import warn
from ui.row_table_model import RowTableModel

COLUMNS = ("List", "Court date", "Part", "Judge", "Filed", "Motions", "Stages", "Note")


def list_cells(row: CourtListRow) -> tuple[str, ...]:
    return (
        str(row.id),
        row.court_date.isoformat(),
        row.part,
        row.judge or "",
        row.filed_date.isoformat() if row.filed_date else "",
        str(row.total),
        row.status,
        row.note or "",
    )


class CourtListsWidget(QWidget):
    loaded = Signal(int)
    changed = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.office_max = 150
        # Replaceable in tests: the forms and the error message.
        self.ask_new_list = forms.ask_new_list
        self.ask_date = forms.ask_date
        self.ask_outcome = forms.ask_outcome
        self.show_error = warn
        self.runner = JobRunner(self, self._failed)

        self.model = RowTableModel[CourtListRow](COLUMNS, list_cells)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.new_button = QPushButton("New list…")
        self.file_button = QPushButton("Mark filed…")
        self.calendar_button = QPushButton("Calendar")
        self.outcome_button = QPushButton("Record outcome…")
        self.papers_button = QPushButton("&Papers…")
        self.papers_button.setToolTip(
            "The omnibus motion with Exhibit A and the order for the selected list "
            "(.docx or .pdf); ready as soon as the list is made"
        )
        self.refresh_button = QPushButton("Refresh")
        self.waiting_label = QLabel()
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.file_button,
            self.calendar_button,
            self.outcome_button,
            self.papers_button,
            self.refresh_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.waiting_label)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

        self.new_button.clicked.connect(self.new_list)
        self.file_button.clicked.connect(self.mark_filed)
        self.calendar_button.clicked.connect(self.calendar)
        self.outcome_button.clicked.connect(self.record_outcome)
        self.refresh_button.clicked.connect(self.refresh)
        self.papers = PapersMaker(
            self, db, lambda: Actor(current_user()), lambda _made: self.changed.emit("")
        )
        self.papers_button.clicked.connect(self.make_papers)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        def load(_control: JobControl) -> tuple[list[CourtListRow], int, int]:
            with self.db.reading() as session:
                return list_court_lists(session), waiting_for_list(session), court_list_max(session)

        self.runner.run("Loading court lists", load, self._show, dialog=False)

    def _show(self, result: tuple[list[CourtListRow], int, int]) -> None:
        rows, waiting, self.office_max = result
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.waiting_label.setText(f"{waiting:,} consented motions wait for a list")
        self.loaded.emit(len(rows))

    def selected(self) -> CourtListRow | None:
        picked = self.table.selectionModel().selectedRows()
        if not picked:
            self.show_error(self, "Select a court list first.")
            return None
        return self.model.rows[picked[0].row()]

    @Slot()
    def new_list(self) -> None:
        answer = self.ask_new_list(self, self.office_max)
        if answer is None:
            return
        user = current_user()
        self._run(
            "Making the court list",
            lambda s: create_court_list(
                s,
                answer.court_date,
                answer.part,
                user=user,
                judge=answer.judge,
                max_motions=answer.max_motions,
            ),
        )

    @Slot()
    def make_papers(self) -> None:
        row = self.selected()
        if row is None:
            return
        suggested = file_stem(f"court-list-{row.court_date.isoformat()}-{row.part}-papers")
        self.papers.make(Request(list_id=row.id), suggested)

    @Slot()
    def mark_filed(self) -> None:
        row = self.selected()
        filed = self.ask_date(self, "Mark filed", "Filing date") if row else None
        if row is None or filed is None:
            return
        user = current_user()
        self._run("Filing", lambda s: file_court_list(s, row.id, filed, user=user))

    @Slot()
    def calendar(self) -> None:
        row = self.selected()
        if row is None:
            return
        user = current_user()
        self._run("Calendaring", lambda s: calendar_court_list(s, row.id, user=user))

    @Slot()
    def record_outcome(self) -> None:
        row = self.selected()
        answer = self.ask_outcome(self, row.court_date) if row else None
        if row is None or answer is None:
            return
        user = current_user()
        self._run(
            "Recording the outcome",
            lambda s: record_list_outcome(
                s,
                row.id,
                answer.outcome,
                user=user,
                order_date=answer.order_date,
                new_date=answer.new_date,
            ),
        )

    def _run(self, title: str, step: Any) -> None:
        def work(_control: JobControl) -> ListChange:
            with self.db.unit_of_work() as session:
                return step(session)

        self.runner.run(title, work, self._done)

    def _done(self, change: ListChange) -> None:
        moved = f" (carried to list {change.new_list_id})" if change.new_list_id else ""
        self.status.setText(
            f"Court list {change.list_id}: {len(change.motion_ids):,} motions{moved}."
        )
        self.changed.emit(change.group_id or "")
        self.refresh()

    def _failed(self, message: str) -> None:
        self.show_error(self, message)
