"""Re-screening after a rule change: what would change is shown, and saved only on request."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casetracker.screening.service import (
    RescreenItem,
    ScreenReport,
    apply_rescreen,
    preview_rescreen,
)
from casetracker.services.identity import current_user
from casetracker.storage.db import Database
from ui.job_runner import JobRunner
from ui.jobs import JobControl
from ui.row_table_model import RowTableModel

COLUMNS = ("Motion", "Before", "After", "Deciding reason now")


def rescreen_cells(item: RescreenItem) -> tuple[str, ...]:
    outcome = item.outcome
    deciding = next((r for r in outcome.reasons if r.effect == outcome.result), None)
    return (
        str(item.motion_id),
        f"{item.old_result.label if item.old_result else '—'} ({item.old_ruleset})",
        f"{outcome.result.label} ({outcome.ruleset})",
        deciding.because if deciding else "",
    )


class RescreenDialog(QDialog):
    previewed = Signal(int)
    saved = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.items: list[RescreenItem] = []
        self.setWindowTitle("Re-screen with the rules in force")
        self.resize(900, 520)
        self.runner = JobRunner(self, self._failed)
        self.summary = QLabel("Working out what would change…")
        self.summary.setWordWrap(True)
        self.model = RowTableModel[RescreenItem](COLUMNS, rescreen_cells)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save re-screen")
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.runner.run("Previewing the re-screen", self._preview, self._show)

    def _preview(self, control: JobControl) -> list[RescreenItem]:
        with self.db.reading() as session:
            # Each motion by the rule set in force for its county as of its screening date.
            return preview_rescreen(
                session, None, lambda done, total: control.report(done, total, "Screening")
            )

    def _show(self, items: list[RescreenItem]) -> None:
        self.items = items
        changed = [item for item in items if item.changed]
        self.model.set_rows(changed)
        stamp_only = len(items) - len(changed)
        self.summary.setText(
            f"{len(changed):,} screened motions would change result or reasons (listed); "
            f"{stamp_only:,} more keep their result and get the new rule-set version. "
            "Nothing is saved until you press Save."
        )
        self.save_button.setEnabled(bool(items))
        self.previewed.emit(len(changed))

    def save(self) -> None:
        items = self.items
        user = current_user()

        def work(_control: JobControl) -> ScreenReport:
            with self.db.unit_of_work() as session:
                return apply_rescreen(session, items, user=user)

        self.save_button.setEnabled(False)
        self.runner.run("Saving the re-screen", work, self._saved)

    def _saved(self, report: ScreenReport) -> None:
        self.saved.emit(report.group_id or "")
        self.accept()

    def _failed(self, message: str) -> None:
        QMessageBox.warning(self, "Case Tracker", message)
