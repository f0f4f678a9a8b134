"""Court lists: make a list of consented motions, mark it filed and calendared, and record the
court's decision for the whole list."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casetracker.courtlists.operations import (
    calendar_list,
    create_list,
    file_list,
    set_court_list_numbers,
)
from casetracker.courtlists.operations import (
    record_outcome as record_list_outcome,
)
from casetracker.courtlists.service import (
    CourtListRow,
    ListCandidates,
    ListOutcome,
    court_list_max,
    list_candidates,
    list_court_lists,
    motions_for_step,
    waiting_for_list,
)
from casetracker.documents.service import Request
from casetracker.domain.enums import Stage
from casetracker.domain.errors import CasetrackerError
from casetracker.domain.words import counted
from casetracker.operations import Actor, Changes
from casetracker.services.identity import current_user
from casetracker.storage.db import Database
from ui.court_lists import forms
from ui.date_field import show_date
from ui.job_runner import JobRunner
from ui.jobs import JobControl
from ui.papers.making import PapersMaker, file_stem
from ui.papers.numbers_dialog import ask_numbers
from ui.prompts import ask, warn
from ui.row_table_model import RowTableModel

COLUMNS = ("List", "Court date", "Part", "Judge", "Filed", "Motions", "Stages", "Note")
# A confirmation names this many motions, then says how many more.
NAMED = 12


def naming(names: list[str]) -> str:
    """The motions a step acts on, by person and docket, one a line."""
    lines = [f"  • {name}" for name in names[:NAMED]]
    if len(names) > NAMED:
        lines.append(f"  … and {len(names) - NAMED:,} more")
    return "\n".join(lines)


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
    # The group id of an action just saved.
    changed = Signal(str)
    # What it changed (operations.Changes), for the window to pass to every view.
    changes = Signal(object)

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, actor: Actor | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor or Actor(current_user())
        self.office_max = 150
        # Replaceable in tests: the forms and the error message.
        self.ask_new_list = forms.ask_new_list
        self.ask_motions = forms.ask_motions
        self.ask_date = forms.ask_date
        self.ask_calendar = forms.ask_calendar
        self.ask_outcome = forms.ask_outcome
        self.confirm = ask
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
        self.numbers_button = QPushButton("&Numbers…")
        self.numbers_button.setToolTip("The index and calendar numbers the court gave the list")
        self.refresh_button = QPushButton("Refresh")
        self.waiting_label = QLabel()
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.file_button,
            self.calendar_button,
            self.outcome_button,
            self.papers_button,
            self.numbers_button,
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
            self, db, lambda: self.actor, lambda made: self.changes.emit(made.changes)
        )
        self.papers_button.clicked.connect(self.make_papers)
        self.numbers_button.clicked.connect(self.set_numbers)
        self.ask_numbers = ask_numbers
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        def load(_control: JobControl) -> tuple[list[CourtListRow], int, int]:
            with self.db.reading() as session:
                return list_court_lists(session), waiting_for_list(session), court_list_max(session)

        self.runner.run("Loading court lists", load, self._show, dialog=False)

    def _show(self, result: tuple[list[CourtListRow], int, int]) -> None:
        rows, waiting, self.office_max = result
        # A reload (after a change here or elsewhere) keeps the selected list and the scroll.
        picked = self.table.selectionModel().selectedRows()
        kept = self.model.rows[picked[0].row()].id if picked else None
        scroll = self.table.verticalScrollBar().value()
        first = not self.model.rows
        self.model.set_rows(rows)
        if first:
            self.table.resizeColumnsToContents()
        for position, row in enumerate(rows):
            if row.id == kept:
                self.table.selectRow(position)
        self.table.verticalScrollBar().setValue(scroll)
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
        """Ask for the list's date and court, then show the motions it will take (by person
        and docket) for the user to change before the list is made."""
        answer = self.ask_new_list(self, self.office_max)
        if answer is None:
            return

        def look(_control: JobControl) -> ListCandidates:
            with self.db.reading() as session:
                return list_candidates(
                    session, county=answer.county, max_motions=answer.max_motions
                )

        def looked(candidates: ListCandidates) -> None:
            heading = (
                f"Court list for {show_date(answer.court_date)}, part {answer.part.strip()}, "
                f"{candidates.county.label}"
            )
            picked = self.ask_motions(self, candidates, heading)
            if not picked:
                return
            self._run(
                "Making the court list",
                lambda db, actor: create_list(
                    db,
                    actor,
                    answer.court_date,
                    answer.part,
                    judge=answer.judge,
                    county=candidates.county,
                    max_motions=answer.max_motions,
                    motion_ids=picked,
                ),
            )

        self.runner.run("Finding the motions waiting for a list", look, looked)

    def _names(self, row: CourtListRow, stage: Stage) -> list[str] | None:
        """The list's motions a step will act on, by person and docket; None (and said why)
        when it has none in that stage."""
        try:
            with self.db.reading() as session:
                return motions_for_step(session, row.id, stage)
        except CasetrackerError as error:
            self.show_error(self, str(error))
            return None

    @Slot()
    def make_papers(self) -> None:
        row = self.selected()
        if row is None:
            return
        suggested = file_stem(f"court-list-{row.court_date.isoformat()}-{row.part}-papers")
        self.papers.make(Request(list_id=row.id), suggested)

    @Slot()
    def set_numbers(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = self.ask_numbers(
            self, f"court list {row.id}", row.index_number, row.calendar_number
        )
        if answer is None:
            return
        self._run(
            "Saving the numbers",
            lambda db, actor: set_court_list_numbers(db, actor, row.id, *answer),
        )

    @Slot()
    def mark_filed(self) -> None:
        row = self.selected()
        names = self._names(row, Stage.CONSENTED) if row else None
        filed = self.ask_date(self, "Mark filed", "Filing date") if names else None
        if row is None or names is None or filed is None:
            return
        text = (
            f"Mark {counted(len(names), 'consented motion')} of court list {row.id} "
            f"({row.title}) filed on {show_date(filed)}?\n\n{naming(names)}"
        )
        if self.confirm(self, f"Mark court list {row.id} filed", text):
            self._run("Filing", lambda db, actor: file_list(db, actor, row.id, filed))

    @Slot()
    def calendar(self) -> None:
        """Ask for the court date and part (the list's, unless the court gave others), then
        confirm with the motions named."""
        row = self.selected()
        names = self._names(row, Stage.FILED) if row else None
        answer = self.ask_calendar(self, row) if row and names else None
        if row is None or names is None or answer is None:
            return
        text = (
            f"Calendar {counted(len(names), 'filed motion')} of court list {row.id} for "
            f"{show_date(answer.court_date)}, part {answer.part}?\n\n{naming(names)}"
        )
        if not self.confirm(self, f"Calendar court list {row.id}", text):
            return
        self._run(
            "Calendaring",
            lambda db, actor: calendar_list(
                db, actor, row.id, court_date=answer.court_date, part=answer.part
            ),
        )

    @Slot()
    def record_outcome(self) -> None:
        """Ask for the court's decision, then confirm it for this list, motions named."""
        row = self.selected()
        names = self._names(row, Stage.CALENDARED) if row else None
        answer = self.ask_outcome(self, row.court_date) if row and names else None
        if row is None or names is None or answer is None:
            return
        motions = f"{counted(len(names), 'calendared motion')} of court list {row.id} ({row.title})"
        if answer.outcome == ListOutcome.ADJOURNED and answer.new_date is not None:
            question = f"Adjourn {motions} to {show_date(answer.new_date)}?"
        else:
            dated = show_date(answer.order_date)
            question = f"Record {answer.outcome}, order dated {dated}, for {motions}?"
        text = f"{question}\n\n{naming(names)}"
        if not self.confirm(self, f"Court list {row.id}: {answer.outcome}", text):
            return
        self._run(
            "Recording the outcome",
            lambda db, actor: record_list_outcome(
                db,
                actor,
                row.id,
                answer.outcome,
                order_date=answer.order_date,
                new_date=answer.new_date,
            ),
        )

    def _run(self, title: str, step: Callable[[Database, Actor], Changes]) -> None:
        def work(_control: JobControl) -> Changes:
            return step(self.db, self.actor)

        self.runner.run(title, work, self._done)

    def _done(self, changes: Changes) -> None:
        self.status.setText(f"{changes.summary}.")
        self.changed.emit(changes.undo.group_id if changes.undo else "")
        self.changes.emit(changes)
        self.refresh()

    def apply_changes(self, changes: Changes) -> None:
        """Something changed (here, elsewhere in the window, or in another process): reload
        when it may touch a list's counts."""
        if changes.motions or changes.court_lists or changes.everything or changes.settings:
            self.refresh()

    def _failed(self, message: str) -> None:
        self.show_error(self, message)
