"""The Office settings dialog (Edit > Office settings, ui/office_settings_menu.py): the choices
an office makes once and everyone then shares (they live in the database): the sealing period,
the court-list maximum, whether oppositions need a supervisor's sign-off, the reason codes
prosecutors choose from, and the paper templates."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casetracker.accounts.idle import MAX_MINUTES, idle_lock_minutes, set_idle_lock_minutes
from casetracker.courtlists.service import court_list_max, set_court_list_max
from casetracker.decisions.reason_codes import (
    add_reason_code,
    checked_code,
    list_reason_codes,
    retire_reason_code,
)
from casetracker.decisions.service import set_opposition_needs_signoff
from casetracker.domain.enums import Decision
from casetracker.domain.errors import CasetrackerError
from casetracker.services.identity import current_user
from casetracker.services.office_settings import set_retention_days, set_sealing_days
from casetracker.storage.db import Database
from casetracker.storage.settings import (
    BACKUP_RETENTION_DAYS,
    ERROR_REPORT_RETENTION_DAYS,
    retention_days,
    workflow_settings,
)
from ui.papers.templates_box import TemplatesBox


class OfficeSettingsDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Office settings")
        self.resize(700, 760)

        self.sealing_days = QSpinBox()
        self.sealing_days.setRange(1, 3650)
        self.sealing_days.setSuffix(" days after the order")
        self.sealing_days.setAccessibleName("Sealing period")
        self.list_max = QSpinBox()
        self.list_max.setRange(1, 100_000)
        self.list_max.setSuffix(" motions")
        self.list_max.setAccessibleName("Court list maximum")
        self.signoff = QCheckBox("An opposition counts only after a supervisor signs it off")
        self.signoff.setAccessibleName("Oppositions need a supervisor's sign-off")
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, MAX_MINUTES)
        self.idle_minutes.setSuffix(" minutes without use")
        self.idle_minutes.setAccessibleName("Lock the window after")
        self.backup_days = QSpinBox()
        self.backup_days.setRange(1, 3650)
        self.backup_days.setSuffix(" days")
        self.backup_days.setAccessibleName("Keep daily backups for")
        self.report_days = QSpinBox()
        self.report_days.setRange(1, 3650)
        self.report_days.setSuffix(" days")
        self.report_days.setAccessibleName("Keep import error reports for")
        policy = QGroupBox("Policy")
        form = QFormLayout(policy)
        form.addRow("Sealing &deadline:", self.sealing_days)
        form.addRow("Court list &maximum:", self.list_max)
        form.addRow("", self.signoff)
        form.addRow("&Lock the window after:", self.idle_minutes)
        form.addRow("Keep daily &backups for:", self.backup_days)
        form.addRow("Keep import &error reports for:", self.report_days)

        # Code changes wait for Save like the policy settings: (code, label, decision) to add,
        # and code -> active wanted.
        self.new_codes: list[tuple[str, str, Decision | None]] = []
        self.code_active: dict[str, bool] = {}
        self.codes = QTableWidget(0, 4)
        self.codes.setHorizontalHeaderLabels(["Code", "Meaning", "For", "Status"])
        self.codes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.codes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.codes.horizontalHeader().setStretchLastSection(True)
        self.codes.setAccessibleName("Reason codes")
        self.new_code = QLineEdit()
        self.new_code.setPlaceholderText("CODE")
        self.new_code.setAccessibleName("New reason code")
        self.new_label = QLineEdit()
        self.new_label.setPlaceholderText("What it means")
        self.new_label.setAccessibleName("New reason code meaning")
        self.new_for = QComboBox()
        self.new_for.setAccessibleName("Decision the new code is for")
        self.new_for.addItem("Any decision", None)
        for decision in Decision:
            self.new_for.addItem(decision.label, decision)
        self.add_button = QPushButton("&Add")
        self.retire_button = QPushButton("&Retire selected")
        self.restore_button = QPushButton("&Bring back selected")
        self.add_button.clicked.connect(self.add_code)
        self.retire_button.clicked.connect(self.retire_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        adding = QHBoxLayout()
        for widget in (self.new_code, self.new_label, self.new_for, self.add_button):
            adding.addWidget(widget)
        codes_box = QGroupBox("Reason codes for decisions")
        codes_layout = QVBoxLayout(codes_box)
        codes_layout.addWidget(self.codes)
        codes_layout.addLayout(adding)
        code_buttons = QHBoxLayout()
        code_buttons.addWidget(self.retire_button)
        code_buttons.addWidget(self.restore_button)
        code_buttons.addStretch(1)
        codes_layout.addLayout(code_buttons)

        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        self.templates = TemplatesBox(db, self)
        self.finished.connect(self.templates.cleanup)

        layout = QVBoxLayout(self)
        layout.addWidget(policy)
        layout.addWidget(codes_box)
        layout.addWidget(self.templates)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        with self.db.reading() as session:
            settings = workflow_settings(session)
            maximum = court_list_max(session)
            self.stored_codes = list_reason_codes(session, include_retired=True)
            idle = idle_lock_minutes(session)
            backups = retention_days(session, BACKUP_RETENTION_DAYS)
            reports = retention_days(session, ERROR_REPORT_RETENTION_DAYS)
        self.loaded = (
            settings.sealing_days,
            maximum,
            settings.opposition_needs_signoff,
            idle,
            backups,
            reports,
        )
        self.backup_days.setValue(backups)
        self.report_days.setValue(reports)
        self.sealing_days.setValue(settings.sealing_days)
        self.list_max.setValue(maximum)
        self.signoff.setChecked(settings.opposition_needs_signoff)
        self.idle_minutes.setValue(idle)
        self.new_codes.clear()
        self.code_active.clear()
        self.show_codes()

    def show_codes(self) -> None:
        rows: list[tuple[str, str, str, str]] = []
        for code in self.stored_codes:
            wanted = self.code_active.get(code.code, code.active)
            status = "Active" if code.active else "Retired"
            if wanted != code.active:
                status = "Retired on Save" if code.active else "Brought back on Save"
            rows.append((code.code, code.label, _for(code.decision), status))
        rows += [
            (code, label, _for(decision), "Added on Save")
            for code, label, decision in self.new_codes
        ]
        self.codes.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.codes.setItem(row, column, QTableWidgetItem(text))
        self.codes.resizeColumnsToContents()

    def unsaved(self) -> bool:
        now = (
            self.sealing_days.value(),
            self.list_max.value(),
            self.signoff.isChecked(),
            self.idle_minutes.value(),
            self.backup_days.value(),
            self.report_days.value(),
        )
        return now != self.loaded or bool(self.new_codes) or bool(self.code_active)

    def reject(self) -> None:
        if self.unsaved() and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "Close without saving? The changes made here will be lost.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def save(self) -> None:
        """The policy settings are saved together or not at all. Only those changed are
        saved: each needs its own role (accounts), and an unchanged one must not refuse."""
        user = current_user()
        days, maximum, signoff, idle, backups, reports = self.loaded
        try:
            with self.db.unit_of_work() as session:
                if self.sealing_days.value() != days:
                    set_sealing_days(session, self.sealing_days.value(), user)
                if self.list_max.value() != maximum:
                    set_court_list_max(session, self.list_max.value(), user)
                if self.signoff.isChecked() != signoff:
                    set_opposition_needs_signoff(session, self.signoff.isChecked(), user)
                if self.idle_minutes.value() != idle:
                    set_idle_lock_minutes(session, self.idle_minutes.value(), user)
                if self.backup_days.value() != backups:
                    set_retention_days(
                        session, BACKUP_RETENTION_DAYS, self.backup_days.value(), user
                    )
                if self.report_days.value() != reports:
                    set_retention_days(
                        session, ERROR_REPORT_RETENTION_DAYS, self.report_days.value(), user
                    )
                for code, label, decision in self.new_codes:
                    add_reason_code(session, code, label, decision, user=user)
                for code, active in self.code_active.items():
                    retire_reason_code(session, code, user=user, active=active)
        except CasetrackerError as error:
            self.message.setText(str(error))
            return
        self.load()
        self.message.setText("Saved. Everyone using this database now works with these settings.")

    def add_code(self) -> None:
        try:
            code = checked_code(self.new_code.text(), self.new_label.text())
        except CasetrackerError as error:
            self.message.setText(str(error))
            return
        self.new_codes = [c for c in self.new_codes if c[0] != code]
        chosen = self.new_for.currentData()
        decision = Decision(chosen) if chosen else None
        self.new_codes.append((code, self.new_label.text().strip(), decision))
        self.new_code.clear()
        self.new_label.clear()
        self.message.setText(f"{code} will be added when you save.")
        self.show_codes()

    def retire_selected(self) -> None:
        self._mark_selected(active=False)

    def restore_selected(self) -> None:
        self._mark_selected(active=True)

    def _mark_selected(self, *, active: bool) -> None:
        rows = sorted({index.row() for index in self.codes.selectionModel().selectedRows()})
        stored = {c.code: c for c in self.stored_codes}
        codes = [
            item.text()
            for row in rows
            if (item := self.codes.item(row, 0)) is not None and item.text() in stored
        ]
        verb = "bring back" if active else "retire"
        if not codes:
            self.message.setText(f"Select the reason codes to {verb} first.")
            return
        for code in codes:
            if stored[code].active == active:
                self.code_active.pop(code, None)
            else:
                self.code_active[code] = active
        done = "brought back" if active else "retired (past decisions keep them)"
        self.message.setText(f"{', '.join(codes)} will be {done} when you save.")
        self.show_codes()


def _for(decision: Decision | None) -> str:
    return decision.label if decision else "Any"
