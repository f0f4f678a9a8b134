"""The pages of the import wizard: file, sheet and header, mapping, preview, result."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from casetracker.accounts.sealed import sealed_matches_note
from casetracker.domain.words import counted
from casetracker.importing.mapping import FIELD_LABELS, FIELDS, mapping_from_choices
from casetracker.importing.people import PossibleMatch
from casetracker.importing.plan import preview_rows
from casetracker.importing.reader import SUFFIXES
from casetracker.importing.validate import column_letter
from casetracker.normalize.cell import cell_text
from ui.file_dialogs import open_file_name

if TYPE_CHECKING:
    from ui.importing.wizard import ImportWizard

PREVIEW_SOURCE_ROWS = 40
FILE_FILTER = "Spreadsheets (" + " ".join(f"*{s}" for s in sorted(SUFFIXES)) + ")"
IGNORE = "— not imported —"


def _table() -> QTableView:
    view = QTableView()
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    return view


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Choose the spreadsheet")
        self.setSubTitle(
            "A list of open warrants or convictions: .xlsx, .xlsm, .xls, .xlsb, .ods or .csv."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File")
        self.browse = QPushButton("&Browse…")
        self.browse.clicked.connect(self._browse)
        self.path_edit.textChanged.connect(self.completeChanged)
        row = QHBoxLayout()
        row.addWidget(self.path_edit)
        row.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addStretch()

    @staticmethod
    def choose_file(parent: QWidget) -> str:
        """The file dialog; a test replaces this."""
        return open_file_name(parent, "Import spreadsheet", "", FILE_FILTER)

    @Slot()
    def _browse(self) -> None:
        path = self.choose_file(self)
        if path:
            self.path_edit.setText(path)

    def isComplete(self) -> bool:
        return Path(self.path_edit.text().strip()).is_file()

    def validatePage(self) -> bool:
        self.owner.set_path(Path(self.path_edit.text().strip()))
        return True


class LayoutPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Where the data is")
        self.setSubTitle("The sheet and header row were found; change them if they are wrong.")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Sheet")
        self.header_spin = QSpinBox()
        self.header_spin.setAccessibleName("Header row")
        self.header_spin.setMinimum(1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.model = QStandardItemModel(self)
        self.view = _table()
        self.view.setModel(self.model)
        form = QFormLayout()
        form.addRow("&Sheet:", self.sheet_combo)
        form.addRow("&Header row:", self.header_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.view)
        self.sheet_combo.currentTextChanged.connect(self._sheet_changed)
        self.header_spin.valueChanged.connect(self._show_rows)
        self._filling = False

    def initializePage(self) -> None:
        self._filling = True
        self.sheet_combo.clear()
        self.model.clear()
        self.status.setText("Reading the file…")
        self._filling = False
        self.owner.load_source(self._loaded)

    def _loaded(self) -> None:
        source, location = self.owner.source, self.owner.location
        if source is None or location is None:
            self.status.setText(self.owner.last_error)
            self.completeChanged.emit()
            return
        self._filling = True
        self.sheet_combo.addItems(source.sheet_names)
        self.sheet_combo.setCurrentText(location.sheet)
        self.header_spin.setValue(location.header_index + 1)
        self._filling = False
        self.owner.sheet = location.sheet
        self.owner.header_row = location.header_index + 1
        self._show_rows()

    @Slot(str)
    def _sheet_changed(self, name: str) -> None:
        if self._filling or not name:
            return
        self.owner.choose_sheet(name)
        if self.owner.location is not None:
            self.header_spin.setValue(self.owner.location.header_index + 1)
        self._show_rows()

    @Slot()
    def _show_rows(self) -> None:
        if self._filling or self.owner.source is None:
            return
        self.owner.header_row = self.header_spin.value()
        rows = self.owner.current_rows()
        self.header_spin.setMaximum(max(len(rows), 1))
        self.model.clear()
        width = max((len(r) for r in rows[:PREVIEW_SOURCE_ROWS]), default=0)
        self.model.setColumnCount(width)
        first = self.owner.first_column()
        self.model.setHorizontalHeaderLabels([column_letter(first + i) for i in range(width)])
        for index, row in enumerate(rows[:PREVIEW_SOURCE_ROWS]):
            items = [QStandardItem(cell_text(c)[:60]) for c in row]
            if index + 1 == self.header_spin.value():
                for item in items:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
            self.model.appendRow(items)
        self.model.setVerticalHeaderLabels([str(i + 1) for i in range(self.model.rowCount())])
        self.view.verticalHeader().show()
        self.status.setText(
            f"{len(rows):,} rows on sheet '{self.owner.sheet}'. Header on row "
            f"{self.header_spin.value()} (bold)."
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.owner.source is not None and bool(self.owner.current_rows())


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Which column is which")
        self.setSubTitle(
            "Recognised columns are filled in. Docket or summons number, last name and "
            "charge are needed."
        )
        self.profile_combo = QComboBox()
        self.profile_combo.setAccessibleName("Mapping profile")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Column", "First values", "Imported as"])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.save_check = QCheckBox("Save this mapping as a profile named:")
        self.save_name = QLineEdit()
        self.save_name.setAccessibleName("Profile name")
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_check)
        save_row.addWidget(self.save_name)
        form = QFormLayout()
        form.addRow("&Profile:", self.profile_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table)
        layout.addWidget(self.missing)
        layout.addLayout(save_row)
        self.combos: list[QComboBox] = []
        self.profile_combo.currentIndexChanged.connect(self._profile_chosen)

    def initializePage(self) -> None:
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        # "" rather than None: PySide6 6.12 on Python 3.11 under-counts None returned as data.
        self.profile_combo.addItem("Recognised automatically", "")
        for name in self.owner.profile_names():
            self.profile_combo.addItem(name, name)
        self.profile_combo.blockSignals(False)
        self._fill(self.owner.guess_mapping(None))

    @Slot(int)
    def _profile_chosen(self, _index: int) -> None:
        self._fill(self.owner.guess_mapping(self.profile_combo.currentData() or None))

    def _fill(self, chosen: dict[int, str]) -> None:
        headers = self.owner.headers()
        samples = self.owner.samples(len(headers))
        first = self.owner.first_column()
        self.table.setRowCount(len(headers))
        self.combos = []
        for index, header in enumerate(headers):
            label = f"{column_letter(first + index)}  {cell_text(header)}"
            column_item = QTableWidgetItem(label)
            guess = self.owner.guesses.get(index)
            if guess is not None and chosen.get(index) == guess[0]:
                # Recognised by its values, not its header: say so, and why.
                column_item.setText(f"{label}  (by its values)")
                column_item.setToolTip(f"Recognised as {FIELD_LABELS[guess[0]]}: {guess[1]}")
            self.table.setItem(index, 0, column_item)
            self.table.setItem(index, 1, QTableWidgetItem(samples[index]))
            combo = QComboBox()
            combo.addItem(IGNORE, "")
            for field in FIELDS:
                combo.addItem(field.label, field.key)
            combo.setCurrentIndex(max(combo.findData(chosen.get(index, "")), 0))
            combo.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        self.table.resizeColumnToContents(0)
        self._changed()

    def choices(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}

    @Slot()
    def _changed(self) -> None:
        mapping = mapping_from_choices(self.owner.headers(), self.choices())
        missing = mapping.missing_required()
        self.missing.setText("Still needed: " + ", ".join(missing) if missing else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        mapping = mapping_from_choices(self.owner.headers(), self.choices())
        return not mapping.missing_required()

    def validatePage(self) -> bool:
        self.owner.mapping = self.owner.chosen_mapping(self.choices())
        name = self.save_name.text().strip()
        self.owner.save_profile_as = name if self.save_check.isChecked() and name else None
        return True


class PreviewPage(QWizardPage):
    COLUMNS = (
        "Row",
        "Docket / summons",
        "Name",
        "Date of birth",
        "NYSID",
        "Charge",
        "County",
        "Warrant date",
        "Person",
    )

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Preview")
        self.setSubTitle("Nothing has been saved yet. Check the counts and the first rows.")
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = QStandardItemModel(0, len(self.COLUMNS), self)
        self.view = _table()
        self.view.setModel(self.model)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.view)
        self.setCommitPage(True)
        self.setButtonText(self.owner.WizardButton.CommitButton, "&Import")

    def initializePage(self) -> None:
        self.model.clear()
        self.model.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.counts.setText("Checking every row…")
        self.owner.build_preview(self._shown)

    def _shown(self) -> None:
        plan = self.owner.plan
        if plan is None:
            self.counts.setText(self.owner.last_error)
            self.completeChanged.emit()
            return
        c = plan.counts
        self.counts.setText(
            f"<b>{c.valid:,}</b> to import · {c.errors:,} with errors (not imported) · "
            f"{c.warnings:,} with warnings · {c.duplicates:,} duplicates · "
            f"{c.already_present:,} already present · {c.skipped:,} skipped "
            f"(blank or totals) · {c.people_created:,} new people, {c.people_linked:,} "
            f"already on file · {c.possible_matches:,} possible matches to review"
            + (f" ({sealed_matches_note(c.sealed_matches)})" if c.sealed_matches else "")
            + "".join(
                f"<br>Recognised {escape(guess, quote=False)}" for guess in plan.mapping.guesses()
            )
        )
        for row in preview_rows(plan):
            values: list[Any] = [
                row.row,
                row.case,
                row.name,
                row.date_of_birth,
                row.nysid,
                row.charges,
                row.county,
                row.warrant_date,
                row.person,
            ]
            self.model.appendRow([QStandardItem(str(v)) for v in values])
        self.view.resizeColumnsToContents()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.owner.plan is not None and self.owner.plan.counts.valid > 0


class ResultPage(QWizardPage):
    """What the import did: the counts as a small table, the rows imported with warnings and
    the possible matches (each opens the motion or the person), and the error report."""

    WARNING_COLUMNS = ("Row", "Column", "Value", "Warning")
    MATCH_COLUMNS = ("Row", "Name", "Born", "May be", "Born ", "Why")

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Import")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts = QTableWidget(0, 2)
        self.counts.setAccessibleName("Counts")
        self.counts.setHorizontalHeaderLabels(["", "Rows"])
        self.counts.verticalHeader().hide()
        self.counts.horizontalHeader().hide()
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.counts.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.counts.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.counts.setShowGrid(False)
        self.warnings = self._list_table(self.WARNING_COLUMNS, "Rows imported with warnings")
        self.matches = self._list_table(self.MATCH_COLUMNS, "Possible matches")
        self.warnings_label = QLabel()
        self.matches_label = QLabel()
        self.open_motion_button = QPushButton("Open the &motion")
        self.open_motion_button.setToolTip("The motion this row was imported as")
        self.open_match_button = QPushButton("Open the &person on file")
        self.open_match_button.setToolTip("The person already on file this row may be")
        self.warnings.doubleClicked.connect(self._open_warning)
        self.matches.doubleClicked.connect(self._open_match)
        self.open_motion_button.clicked.connect(self._open_match_motion)
        self.open_match_button.clicked.connect(self._open_match)
        self.matches.itemSelectionChanged.connect(self._match_chosen)
        self.report_path = QLabel()
        self.report_path.setWordWrap(True)
        self.report_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_report = QPushButton("Open the &error report")
        self.show_folder = QPushButton("Show in &folder")
        self.open_report.clicked.connect(self.owner.open_error_report)
        self.show_folder.clicked.connect(self.owner.show_error_report_folder)
        self.details = QWidget()
        lists = QVBoxLayout(self.details)
        lists.setContentsMargins(0, 0, 0, 0)
        lists.addWidget(self.warnings_label)
        lists.addWidget(self.warnings, 1)
        lists.addWidget(self.matches_label)
        lists.addWidget(self.matches, 1)
        match_buttons = QHBoxLayout()
        match_buttons.addWidget(self.open_motion_button)
        match_buttons.addWidget(self.open_match_button)
        match_buttons.addStretch()
        lists.addLayout(match_buttons)
        top = QHBoxLayout()
        top.addWidget(self.counts)
        top.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignTop)
        report_row = QHBoxLayout()
        report_row.addWidget(self.report_path, 1)
        report_row.addWidget(self.open_report)
        report_row.addWidget(self.show_folder)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addLayout(report_row)
        self._done = False
        self._motions: dict[int, int] = {}
        self._show_report(None)
        self.details.hide()
        self.counts.hide()

    @staticmethod
    def _list_table(columns: tuple[str, ...], name: str) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setAccessibleName(name)
        table.setHorizontalHeaderLabels(list(columns))
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def initializePage(self) -> None:
        self._done = False
        self.summary.setText("Importing…")
        self.details.hide()
        self.counts.hide()
        self._show_report(None)
        self.owner.run_commit(self._finished)

    def _finished(self) -> None:
        self._done = True
        outcome = self.owner.outcome
        if outcome is None:
            self.summary.setText(self.owner.last_error)
        else:
            s = outcome.summary
            self._motions = self.owner.motions_by_row()
            self._fill_counts(s)
            batch = (
                f"Saved as import batch {s['batch_id']} (File &gt; Past imports… can undo it)."
                if s["batch_id"] is not None
                else "Nothing new was saved."
            )
            self.summary.setText(
                f"<b>{escape(s['file'])}</b>, sheet '{escape(s['sheet'])}': "
                f"{counted(s['rows_read'], 'row')} read.<br>{batch}"
            )
            self._fill_lists()
            self._show_report(outcome.error_report, s.get("report_warning"))
        self.completeChanged.emit()

    def _fill_counts(self, s: dict[str, Any]) -> None:
        lines = [
            ("Motions created", s["imported"]),
            ("New people", s["people_created"]),
            ("Already present (not imported again)", s["already_present"]),
            ("Imported with warnings", s["warnings"]),
            ("Possible matches to review", s["possible_matches"]),
            ("Refused (errors, not imported)", s["errors"]),
            ("Duplicate rows (merged)", s["duplicates"]),
            ("Skipped (blank or totals)", s["skipped"]),
        ]
        self.counts.setRowCount(len(lines))
        for row, (label, number) in enumerate(lines):
            self.counts.setItem(row, 0, QTableWidgetItem(label))
            figure = QTableWidgetItem(f"{number:,}")
            figure.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.counts.setItem(row, 1, figure)
        self.counts.resizeColumnsToContents()
        self.counts.resizeRowsToContents()
        frame = 2 * self.counts.frameWidth()
        self.counts.setFixedSize(
            self.counts.horizontalHeader().length() + frame + 4,
            self.counts.verticalHeader().length() + frame,
        )
        self.counts.show()

    def count_of(self, label: str) -> int:
        """The figure on the counts table's line that starts with `label` (for tests)."""
        for row in range(self.counts.rowCount()):
            name, figure = self.counts.item(row, 0), self.counts.item(row, 1)
            if name is not None and figure is not None and name.text().startswith(label):
                return int(figure.text().replace(",", ""))
        raise KeyError(label)

    def _fill_lists(self) -> None:
        warned = self.owner.warning_problems()
        matches = self.owner.possible_matches()
        self._fill(
            self.warnings,
            [(p.row, p.column, p.value, p.problem) for p in warned],
        )
        self._fill(
            self.matches,
            [
                (
                    m.row,
                    m.name,
                    m.date_of_birth or "",
                    m.other_name + (" (on file)" if m.person_id is not None else f" ({m.other})"),
                    m.other_date_of_birth or "",
                    m.why,
                )
                for m in matches
            ],
        )
        self.warnings_label.setText(
            f"{counted(len(warned), 'warning')} on imported rows: double-click one to open "
            "its motion."
        )
        sealed = self.owner.outcome.plan.counts.sealed_matches if self.owner.outcome else 0
        self.matches_label.setText(
            f"{counted(len(matches), 'possible match', 'possible matches')}: the same person "
            "twice? Open the motion and the other to compare (double-click opens the other)."
            + (f" {sealed_matches_note(sealed)}" if sealed else "")
        )
        self.warnings_label.setVisible(bool(warned))
        self.warnings.setVisible(bool(warned))
        for widget in (
            self.matches_label,
            self.matches,
            self.open_motion_button,
            self.open_match_button,
        ):
            widget.setVisible(bool(matches))
        self._match_chosen()
        self.details.setVisible(bool(warned or matches))

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[Any, ...]]) -> None:
        table.setRowCount(len(rows))
        for index, values in enumerate(rows):
            for column, value in enumerate(values):
                table.setItem(index, column, QTableWidgetItem(str(value)))
        table.resizeColumnsToContents()
        if rows:
            table.selectRow(0)

    def _show_report(self, path: Path | None, warning: str | None = None) -> None:
        if path is not None:
            self.report_path.setText(
                f"Error report (refused rows, warnings, possible matches): {path}"
            )
        else:
            self.report_path.setText(f"Note: {warning}." if warning else "")
        self.report_path.setVisible(path is not None or bool(warning))
        self.open_report.setVisible(path is not None)
        self.show_folder.setVisible(path is not None)

    def _motion_of_row(self, row: int) -> int | None:
        return self._motions.get(row)

    @Slot()
    def _match_chosen(self) -> None:
        match = self._current_match()
        self.open_motion_button.setEnabled(
            match is not None and self._motion_of_row(match.row) is not None
        )
        self.open_match_button.setEnabled(
            match is not None
            and (match.person_id is not None or self._other_row_motion(match) is not None)
        )
        if match is not None and match.person_id is None:
            self.open_match_button.setText("Open the &other row's motion")
        else:
            self.open_match_button.setText("Open the &person on file")

    def _current_match(self) -> PossibleMatch | None:
        rows = self.matches.selectionModel().selectedRows()
        matches = self.owner.possible_matches()
        if not rows or rows[0].row() >= len(matches):
            return None
        return matches[rows[0].row()]

    def _other_row_motion(self, match: PossibleMatch) -> int | None:
        return None if match.other_row is None else self._motion_of_row(match.other_row)

    @Slot()
    def _open_warning(self) -> None:
        rows = self.warnings.selectionModel().selectedRows()
        warned = self.owner.warning_problems()
        if rows and rows[0].row() < len(warned):
            motion_id = self._motion_of_row(warned[rows[0].row()].row)
            if motion_id is not None:
                self.owner.open_motion.emit(motion_id)

    @Slot()
    def _open_match_motion(self) -> None:
        match = self._current_match()
        motion_id = None if match is None else self._motion_of_row(match.row)
        if motion_id is not None:
            self.owner.open_motion.emit(motion_id)

    @Slot()
    def _open_match(self) -> None:
        match = self._current_match()
        if match is None:
            return
        if match.person_id is not None:
            self.owner.open_person.emit(match.person_id)
            return
        motion_id = self._other_row_motion(match)
        if motion_id is not None:
            self.owner.open_motion.emit(motion_id)

    def isComplete(self) -> bool:
        return self._done
