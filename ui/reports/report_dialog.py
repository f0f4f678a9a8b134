"""One dialog for each export: what to include, where to save it, progress and cancel while it
is written, then "Open". The work runs in casetracker.reports on a background job."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casetracker.accounts import audit
from casetracker.accounts.sealed import hides_sealed
from casetracker.domain.clock import today
from casetracker.domain.enums import County, MotionKind
from casetracker.reports.calendar import last_complete_week_end
from casetracker.reports.court_list import court_list_for, write_court_list
from casetracker.reports.defenders import defender_list_for, write_defender_list
from casetracker.reports.table_export import export_table
from casetracker.reports.weekly_data import build_weekly_report
from casetracker.reports.weekly_figures import ReportScope
from casetracker.reports.weekly_pdf import write_weekly_pdf
from casetracker.reports.weekly_xlsx import weekly_file_name, write_weekly_xlsx
from casetracker.services.identity import current_user
from casetracker.services.queries import MotionFilter
from casetracker.services.search import refresh_search
from casetracker.storage.db import Database
from ui.file_dialogs import save_file_name
from ui.jobs import Job, JobControl
from ui.reports.kinds import ReportKind

_TITLES = {
    ReportKind.WEEKLY: "Weekly status report",
    ReportKind.COURT_LIST: "Court list",
    ReportKind.DEFENDERS: "Defender notification list",
    ReportKind.TABLE: "Export the motions table",
}
_FILTERS = {
    ReportKind.WEEKLY: "Excel workbook (*.xlsx)",
    ReportKind.COURT_LIST: "Excel workbook (*.xlsx);;PDF (*.pdf)",
    ReportKind.DEFENDERS: "Excel workbook (*.xlsx)",
    ReportKind.TABLE: "Excel workbook (*.xlsx);;CSV (*.csv)",
}
_WEEKLY_NAME = re.compile(r"weekly-report-\d{4}-\d{2}-\d{2}\.xlsx")
_DEFAULT_NAMES = {
    ReportKind.WEEKLY: "weekly-report.xlsx",
    ReportKind.COURT_LIST: "court-list.xlsx",
    ReportKind.DEFENDERS: "defender-list.xlsx",
    ReportKind.TABLE: "motions.xlsx",
}


def _to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _to_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ReportDialog(QDialog):
    def __init__(self, db: Database, kind: ReportKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = kind
        self.job: Job | None = None
        self.written: Path | None = None
        self.table_filter = MotionFilter()
        self.table_search = ""
        self.setWindowTitle(_TITLES[kind])
        self.settings = QSettings()

        form = QFormLayout()
        self.week_ending = QDateEdit(_to_qdate(last_complete_week_end(today())))
        self.week_ending.setCalendarPopup(True)
        self.week_ending.setDisplayFormat("yyyy-MM-dd")
        self.county = QComboBox()
        self.county.addItem("All counties", None)
        for county in County:
            self.county.addItem(county.label, county.value)
        self.motion_kind = QComboBox()
        self.motion_kind.addItem("All kinds", None)
        for motion_kind in MotionKind:
            self.motion_kind.addItem(motion_kind.label, motion_kind.value)
        self.with_pdf = QCheckBox("Also save the summary as PDF (same name, .pdf)")
        self.with_pdf.setChecked(True)
        self.court_date = QDateEdit(_to_qdate(today()))
        self.court_date.setCalendarPopup(True)
        self.court_date.setDisplayFormat("yyyy-MM-dd")
        self.part = QLineEdit()
        self.part.setPlaceholderText("e.g. AP1")
        self.filter_note = QLabel()
        self.filter_note.setWordWrap(True)
        if kind == ReportKind.WEEKLY:
            form.addRow("Week ending", self.week_ending)
            form.addRow("County", self.county)
            form.addRow("Kind", self.motion_kind)
            form.addRow("", self.with_pdf)
        elif kind == ReportKind.COURT_LIST:
            form.addRow("Court date", self.court_date)
            form.addRow("Part", self.part)
        elif kind == ReportKind.TABLE:
            form.addRow("Rows", self.filter_note)

        self.path = QLineEdit(self._remembered_path())
        self.week_ending.dateChanged.connect(self._week_changed)
        self.browse = QPushButton("Choose…")
        self.browse.clicked.connect(self.choose_file)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.browse)
        form.addRow("Save as", where)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.create_button = QPushButton("Create")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.make_report)
        self.open_button = QPushButton("Open")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_result)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.create_button, self.open_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(560, self.sizeHint().height())

    # Replaceable in tests: the file chooser and the "open with the system" call.
    @staticmethod
    def ask_save_path(parent: QWidget, title: str, start: str, filters: str) -> str:
        return save_file_name(parent, title, start, filters)

    @staticmethod
    def open_url(url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    def set_table_filter(self, flt: MotionFilter | None, search: str) -> None:
        self.table_filter = flt or MotionFilter()
        self.table_search = search or ""
        filtered = self.table_filter != MotionFilter() or bool(self.table_search.strip())
        self.filter_note.setText(
            "The motions shown in the table, with its current filter"
            + (f" and search “{self.table_search.strip()}”." if self.table_search.strip() else ".")
            if filtered
            else "All motions (the table has no filter)."
        )

    def _settings_key(self) -> str:
        return f"reports/{self.kind.value}/path"

    def _remembered_path(self) -> str:
        value = self.settings.value(self._settings_key(), "")
        remembered = Path(value) if isinstance(value, str) and value else None
        if self.kind == ReportKind.WEEKLY:
            # A new week gets a new file in the folder used last, never last week's name.
            folder = remembered.parent if remembered is not None else Path.home()
            return str(folder / self._weekly_name())
        if remembered is not None:
            return str(remembered)
        return str(Path.home() / _DEFAULT_NAMES[self.kind])

    def _weekly_name(self) -> str:
        return weekly_file_name(_to_date(self.week_ending.date()).isoformat())

    def _week_changed(self) -> None:
        """Keep the file name in step with the week, unless the user typed another name."""
        path = Path(self.path.text().strip())
        if _WEEKLY_NAME.fullmatch(path.name):
            self.path.setText(str(path.with_name(self._weekly_name())))

    def choose_file(self) -> None:
        chosen = self.ask_save_path(self, _TITLES[self.kind], self.path.text(), _FILTERS[self.kind])
        if chosen:
            self.path.setText(chosen)

    def _target(self) -> Path | None:
        text = self.path.text().strip()
        if not text:
            self.status.setText("Choose where to save the file.")
            return None
        path = Path(text).expanduser()
        allowed = [s.split("*")[-1].rstrip(")") for s in _FILTERS[self.kind].split(";;")]
        if path.suffix.lower() not in allowed:
            path = path.with_suffix(allowed[0])
            self.path.setText(str(path))
        if not path.parent.is_dir():
            self.status.setText(f"The folder {path.parent} does not exist; choose another.")
            return None
        return path

    def make_report(self) -> None:
        path = self._target()
        if path is None:
            return
        if self.kind == ReportKind.COURT_LIST and not self.part.text().strip():
            self.status.setText("Type the court part (for example AP1).")
            return
        self.settings.setValue(self._settings_key(), str(path))
        self.written = None
        self.open_button.setEnabled(False)
        self.create_button.setEnabled(False)
        self.status.setText("Working…")
        self.job = Job(self, _TITLES[self.kind], self._work_for(path), self._done, self._failed)
        self.job.finished.connect(self._finished)
        self.job.start()

    def _work_for(self, path: Path) -> Any:
        db = self.db
        kind = self.kind
        week_end = _to_date(self.week_ending.date())
        court = _to_date(self.court_date.date())
        part = self.part.text().strip()
        county = self.county.currentData()
        motion_kind = self.motion_kind.currentData()
        scope = ReportScope(
            counties=(County(county),) if county else (),
            kinds=(MotionKind(motion_kind),) if motion_kind else (),
        )
        with_pdf = self.with_pdf.isChecked()
        flt, search = self.table_filter, self.table_search

        actor = current_user()

        def work(control: JobControl) -> Path:
            control.report(0, 0, "Reading the database…")
            rows: int | None = None
            if kind == ReportKind.TABLE:
                refresh_search(db)
            with db.reading() as session:
                if kind == ReportKind.WEEKLY:
                    report = build_weekly_report(
                        session,
                        week_end,
                        scope=scope,
                        progress=control.report,
                        hide_sealed=hides_sealed(current_user(), session),
                    )
                elif kind == ReportKind.COURT_LIST:
                    court_list, _hidden = court_list_for(session, actor, court, part)
                    rows = len(court_list.lines)
                elif kind == ReportKind.DEFENDERS:
                    lines, _hidden = defender_list_for(session, actor)
                    rows = len(lines)
                else:
                    rows = export_table(session, flt, path, search=search, title="Motions")
                    audit.record_now(
                        db,
                        actor,
                        audit.EXPORT,
                        "motions table",
                        search=search or None,
                        rows=rows,
                        file=str(path),
                        channel="window",
                    )
                    return path
            control.report(0, 0, "Writing the file…")
            if kind == ReportKind.WEEKLY:
                write_weekly_xlsx(report, path, progress=control.report)
                if with_pdf:
                    write_weekly_pdf(report, path.with_suffix(".pdf"))
            elif kind == ReportKind.COURT_LIST:
                write_court_list(court_list, path)
            else:
                write_defender_list(lines, path, "Granted motions, for notification")
            audit.record_now(
                db,
                actor,
                audit.EXPORT if kind == ReportKind.DEFENDERS else audit.REPORT,
                kind.value,
                week_ending=week_end if kind == ReportKind.WEEKLY else None,
                court_date=court if kind == ReportKind.COURT_LIST else None,
                part=part if kind == ReportKind.COURT_LIST else None,
                rows=rows,
                file=str(path),
                channel="window",
            )
            return path

        return work

    def _done(self, path: object) -> None:
        assert isinstance(path, Path)
        self.written = path
        self.open_button.setEnabled(True)
        extra = (
            " and the summary PDF"
            if self.kind == ReportKind.WEEKLY and (self.with_pdf.isChecked())
            else ""
        )
        self.status.setText(f"Saved {path}{extra}.")

    def _failed(self, message: str) -> None:
        self.status.setText(message)

    def _finished(self) -> None:
        self.create_button.setEnabled(True)
        # Neither a success nor a failure message: the job was cancelled.
        if self.written is None and self.status.text() == "Working…":
            self.status.setText("Cancelled; nothing was saved.")

    def open_result(self) -> None:
        if self.written is not None:
            self.open_url(QUrl.fromLocalFile(str(self.written)))
