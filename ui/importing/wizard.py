"""The import wizard: file -> sheet and header -> mapping -> preview -> import -> summary.

Reading, checking and saving run off the GUI thread (ui/jobs.py) with progress and Cancel;
nothing is written until the person presses Import, and then in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget, QWizard

from casetracker.importing.actions import import_file
from casetracker.importing.batches import motions_by_row
from casetracker.importing.collector import collector_paused
from casetracker.importing.locate import Location, locate
from casetracker.importing.mapping import (
    ColumnMapping,
    apply_profile,
    auto_mapping,
    load_profile,
    mapping_from_choices,
    profile_names,
)
from casetracker.importing.people import PossibleMatch
from casetracker.importing.plan import SAMPLE_ROWS, ImportOptions, ImportPlan, build_plan
from casetracker.importing.reader import Row, SourceFile, open_source
from casetracker.importing.service import (
    ImportOutcome,
    finish,
    hide_sealed_matches,
)
from casetracker.importing.validate import ERROR, Problem
from casetracker.normalize.cell import cell_text
from casetracker.services.identity import current_user
from casetracker.storage.db import Database
from ui.importing.pages import FilePage, LayoutPage, MappingPage, PreviewPage, ResultPage
from ui.jobs import Job, JobControl


class ImportWizard(QWizard):
    imported = Signal(object)  # the batch id
    # From the result page: the window shows the motion or opens the person.
    open_motion = Signal(int)
    open_person = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None, path: Path | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Import a spreadsheet")
        self.resize(980, 640)
        # Once the import has run there is nothing to cancel: Finish closes. (While it runs,
        # its progress dialog has Cancel.)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.source: SourceFile | None = None
        self.location: Location | None = None
        self.sheet = ""
        self.header_row = 1
        self.mapping: ColumnMapping | None = None
        # Columns recognised by their values: column -> (field, why).
        self.guesses: dict[int, tuple[str, str]] = {}
        self.save_profile_as: str | None = None
        self.plan: ImportPlan | None = None
        self.outcome: ImportOutcome | None = None
        self.last_error = ""
        self.jobs: list[Job] = []
        self._path: Path | None = None
        self.file_page = FilePage(self)
        self.layout_page = LayoutPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.result_page = ResultPage(self)
        for page in (
            self.file_page,
            self.layout_page,
            self.mapping_page,
            self.preview_page,
            self.result_page,
        ):
            self.addPage(page)
        if path is not None:
            self.file_page.path_edit.setText(str(path))

    # --- state the pages share ----------------------------------------------------------

    def set_path(self, path: Path) -> None:
        if path != self._path:
            self._path = path
            self.source = None
            self.location = None

    def current_rows(self) -> list[Row]:
        if self.source is None or not self.sheet:
            return []
        return self.source.sheet(self.sheet).rows

    def first_column(self) -> int:
        if self.source is None or not self.sheet:
            return 0
        return self.source.sheet(self.sheet).first_column

    def headers(self) -> Row:
        rows = self.current_rows()
        index = self.header_row - 1
        return rows[index] if 0 <= index < len(rows) else []

    def samples(self, width: int) -> list[str]:
        rows = self.current_rows()[self.header_row : self.header_row + 200]
        out = []
        for column in range(width):
            values = [cell_text(r[column]) for r in rows if column < len(r)]
            values = [v for v in values if v]
            out.append(", ".join(v[:30] for v in values[:3]))
        return out

    def choose_sheet(self, name: str) -> None:
        if self.source is None:
            return
        self.sheet = name
        self.location = locate(self.source, name)
        self.header_row = self.location.header_index + 1

    def profile_names(self) -> list[str]:
        with self.db.reading() as session:
            return profile_names(session)

    def guess_mapping(self, profile: str | None) -> dict[int, str]:
        """column -> field; the columns recognised by their values, and why, in guesses."""
        headers = self.headers()
        samples = self.current_rows()[self.header_row : self.header_row + SAMPLE_ROWS]
        if profile:
            with self.db.reading() as session:
                mapping = apply_profile(headers, load_profile(session, profile), samples)
        else:
            mapping = auto_mapping(headers, samples)
        self.guesses = {
            mapping.fields[key]: (key, why)
            for key, why in mapping.guessed.items()
            if key in mapping.fields
        }
        return {index: key for key, index in mapping.fields.items()}

    def chosen_mapping(self, choices: dict[int, str]) -> ColumnMapping:
        """The mapping chosen column by column, keeping why a column was recognised by its
        values where the choice is still the guess."""
        mapping = mapping_from_choices(self.headers(), choices)
        for index, (key, why) in self.guesses.items():
            if mapping.fields.get(key) == index:
                mapping.guessed[key] = why
        return mapping

    def import_options(self) -> ImportOptions:
        return ImportOptions(sheet=self.sheet, header_row=self.header_row, mapping=self.mapping)

    # --- background work ----------------------------------------------------------------

    def _run(
        self,
        title: str,
        fn: Callable[[JobControl], Any],
        done: Callable[[], None],
        keep: Callable[[Any], None],
    ) -> None:
        """Run fn off the GUI thread; keep(result) then done() run back on the GUI thread."""

        def succeeded(result: object) -> None:
            keep(result)
            done()

        def failed(message: str) -> None:
            self.last_error = message
            done()

        job = Job(self, title, fn, succeeded, failed)
        job.finished.connect(self._forget_job)
        self.jobs.append(job)
        job.start()

    def _forget_job(self) -> None:
        sender = self.sender()
        self.jobs = [job for job in self.jobs if job is not sender]

    def load_source(self, done: Callable[[], None]) -> None:
        path = self._path
        self.last_error = ""
        if self.source is not None and self.location is not None:
            done()
            return

        def work(control: JobControl) -> tuple[SourceFile, Location]:
            control.report(0, 0, "Reading the file")
            assert path is not None
            # Read in a child process: a file that makes the reader crash or run away ends
            # the child with a one-line refusal, never the window.
            source = open_source(path, isolate=True, cancelled=lambda: control.cancelled)
            return source, locate(source)

        def keep(result: tuple[SourceFile, Location]) -> None:
            self.source, self.location = result
            self.sheet = self.location.sheet
            self.header_row = self.location.header_index + 1

        self._run("Reading the file", work, done, keep)

    def build_preview(self, done: Callable[[], None]) -> None:
        self.plan = None
        self.last_error = ""
        source, options, user = self.source, self.import_options(), current_user()

        def work(control: JobControl) -> ImportPlan:
            assert source is not None
            # A preview never writes.
            with self.db.reading() as session:
                plan = build_plan(session, source, options, control.report)
                hide_sealed_matches(session, user, plan)
                return plan

        def keep(plan: ImportPlan) -> None:
            self.plan = plan

        self._run("Checking the rows", work, done, keep)

    def run_commit(self, done: Callable[[], None]) -> None:
        self.outcome = None
        self.last_error = ""
        source, options, profile = self.source, self.import_options(), self.save_profile_as
        user = current_user()

        def work(control: JobControl) -> ImportOutcome:
            assert source is not None
            # Paused to the commit, the audit chain's reading of the rows included (see the
            # import command).
            with collector_paused():
                outcome = import_file(
                    self.db, source, options, user, save_mapping=profile, progress=control.report
                )
            return finish(outcome)

        def keep(outcome: ImportOutcome) -> None:
            self.outcome = outcome

        def finished() -> None:
            if self.outcome is None and not self.last_error:
                self.last_error = "The import was cancelled; nothing was saved."
            if self.outcome is not None:
                self.imported.emit(self.outcome.batch_id)
            done()

        self._run("Importing", work, finished, keep)

    def warning_problems(self) -> list[Problem]:
        """The warnings on rows that were imported (a refused row's are with its errors)."""
        if self.outcome is None:
            return []
        problems = self.outcome.plan.problems
        refused = {p.row for p in problems if p.severity == ERROR}
        return [p for p in problems if p.severity != ERROR and p.row not in refused]

    def possible_matches(self) -> list[PossibleMatch]:
        return [] if self.outcome is None else self.outcome.plan.possible_matches

    def motions_by_row(self) -> dict[int, int]:
        """The motion each listed row was imported as."""
        if self.outcome is None or self.outcome.batch_id is None:
            return {}
        rows = [p.row for p in self.warning_problems()]
        for match in self.possible_matches():
            rows.append(match.row)
            if match.other_row is not None:
                rows.append(match.other_row)
        with self.db.reading() as session:
            return motions_by_row(session, self.outcome.batch_id, rows)

    def show_error_report_folder(self) -> None:
        if self.outcome is not None and self.outcome.error_report is not None:
            self.open_file(self.outcome.error_report.parent)

    def open_error_report(self) -> None:
        if self.outcome is not None and self.outcome.error_report is not None:
            self.open_file(self.outcome.error_report)

    @staticmethod
    def open_file(path: Path) -> None:
        """Open a file in its program, or a folder in the file manager; a test replaces this."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
