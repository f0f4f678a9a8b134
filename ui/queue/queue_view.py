"""The prosecutor's queue: motions waiting for a decision, oldest first, the screening reasons
beside each; decide the selected motions, or consent to every eligible motion in the view."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casetracker.decisions.operations import decide_motions, sign_off_motions
from casetracker.decisions.queue import QueueFilter, QueueRow, list_queue
from casetracker.decisions.reason_codes import ReasonCodeRow, list_reason_codes
from casetracker.domain.enums import County, Decision, MotionKind, ScreeningResult
from casetracker.operations import Actor, Changes
from casetracker.services.identity import current_user
from casetracker.storage.db import Database
from casetracker.storage.settings import workflow_settings
from ui.job_runner import JobRunner
from ui.jobs import JobControl
from ui.prompts import ask, warn
from ui.queue.queue_model import QueueTableModel


class QueueWidget(QWidget):
    loaded = Signal(int)
    # The group id of a decision or sign-off just saved.
    decided = Signal(str)
    # What a decision changed (operations.Changes), for the window to pass to every view.
    changes = Signal(object)

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, actor: Actor | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor or Actor(current_user())
        # Replaceable in tests: the confirmation and the error message.
        self.confirm = ask
        self.show_error = warn
        self.runner = JobRunner(self, self._failed)
        self.codes: list[ReasonCodeRow] = []
        self.signoff_required = False

        self.kind_combo = self._combo("All kinds", MotionKind)
        self.county_combo = self._combo("All counties", County)
        self.result_combo = self._combo("All results", ScreeningResult)
        self.signoff_check = QCheckBox("Oppositions awaiting sign-off")
        self.refresh_button = QPushButton("Refresh")
        filters = QHBoxLayout()
        for widget in (
            self.kind_combo,
            self.county_combo,
            self.result_combo,
            self.signoff_check,
            self.refresh_button,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)

        self.model = QueueTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.reasons_view = QPlainTextEdit()
        self.reasons_view.setReadOnly(True)
        self.reasons_view.setPlaceholderText("Select a motion to see why it screened as it did.")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.reasons_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        self.decision_combo = QComboBox()
        for decision in Decision:
            self.decision_combo.addItem(decision.label, decision)
        self.reason_combo = QComboBox()
        self.reason_combo.setMinimumContentsLength(24)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Note (optional)")
        self.decide_button = QPushButton("Decide selected")
        self.bulk_button = QPushButton()
        self.signoff_button = QPushButton("Sign off selected")
        actions = QHBoxLayout()
        for control in (
            QLabel("Decision:"),
            self.decision_combo,
            QLabel("Reason:"),
            self.reason_combo,
            self.note_edit,
            self.decide_button,
            self.signoff_button,
        ):
            actions.addWidget(control)
        self.note_edit.setMinimumWidth(220)
        self.status = QLabel()
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.bulk_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        layout.addLayout(footer)

        for combo in (self.kind_combo, self.county_combo, self.result_combo):
            combo.currentIndexChanged.connect(self.refresh)
        self.signoff_check.toggled.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.decision_combo.currentIndexChanged.connect(self._fill_reasons)
        self.decide_button.clicked.connect(self.decide_selected)
        self.bulk_button.clicked.connect(self.consent_all_eligible)
        self.signoff_button.clicked.connect(self.sign_off_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._update_buttons()
        self.refresh()

    @staticmethod
    def _combo(everything: str, enum: Any) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, None)
        for member in enum:
            combo.addItem(member.label, member)
        return combo

    def current_filter(self) -> QueueFilter:
        # Qt hands enum data back as plain text, so it is turned back into the enum here.
        def chosen(combo: QComboBox, enum: Any) -> tuple[Any, ...]:
            value = combo.currentData()
            return () if value is None else (enum(value),)

        return QueueFilter(
            kinds=chosen(self.kind_combo, MotionKind),
            counties=chosen(self.county_combo, County),
            results=chosen(self.result_combo, ScreeningResult),
            awaiting_signoff=self.signoff_check.isChecked(),
        )

    # -- loading ----------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        flt = self.current_filter()

        def load(_control: JobControl) -> tuple[list[QueueRow], list[ReasonCodeRow], bool]:
            with self.db.reading() as session:
                # All of them: "consent to all eligible" must mean all, not a first page.
                rows = list_queue(session, flt)
                required = workflow_settings(session).opposition_needs_signoff
                return rows, list_reason_codes(session), required

        self.runner.run("Loading the queue", load, self._show, dialog=False)

    def _show(self, result: tuple[list[QueueRow], list[ReasonCodeRow], bool]) -> None:
        rows, self.codes, self.signoff_required = result
        # A reload (after a change here or elsewhere) keeps the selection and the scroll.
        kept = {row.id for row in self.selected_rows()}
        scroll = self.table.verticalScrollBar().value()
        first = not self.model.rows
        self.model.set_rows(rows)
        if first:
            self.table.resizeColumnsToContents()
        self._reselect(kept)
        self.table.verticalScrollBar().setValue(scroll)
        if not kept:
            self.reasons_view.clear()
        self._fill_reasons()
        self._update_buttons()
        self.status.setText(f"{len(rows):,} motions in this view.")
        self.loaded.emit(len(rows))

    def _reselect(self, ids: set[int]) -> None:
        if not ids:
            return
        selection = self.table.selectionModel()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for position, row in enumerate(self.model.rows):
            if row.id in ids:
                selection.select(self.model.index(position, 0), flags)

    def apply_changes(self, changes: Changes) -> None:
        """Something changed (here, elsewhere in the window, or in another process): reload
        if it may touch the queue."""
        if changes.motions or changes.everything or changes.settings:
            self.refresh()

    def current_decision(self) -> Decision:
        return Decision(self.decision_combo.currentData())

    @Slot()
    def _fill_reasons(self) -> None:
        decision = self.current_decision()
        kept = self.reason_combo.currentData()
        self.reason_combo.clear()
        for code in self.codes:
            if code.decision in (None, decision):
                self.reason_combo.addItem(code.text, code.code)
        index = self.reason_combo.findData(kept)
        if index >= 0:
            self.reason_combo.setCurrentIndex(index)

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.selected_rows()
        if len(rows) == 1:
            row = rows[0]
            result = row.screening_result.label if row.screening_result else ""
            head = f"{row.person_name} · {row.reference} — {result}"
            self.reasons_view.setPlainText(
                f"{head} (rules {row.screening_ruleset})\n\n{row.reasons_text}"
            )
        else:
            self.reasons_view.setPlainText(f"{len(rows)} motions selected." if rows else "")
        self._update_buttons()

    def selected_rows(self) -> list[QueueRow]:
        picked = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.rows[i] for i in picked]

    def _update_buttons(self) -> None:
        eligible = 0 if self.signoff_check.isChecked() else len(self.model.eligible_rows())
        self.bulk_button.setText(f"Consent to all {eligible:,} eligible in this view")
        self.bulk_button.setEnabled(eligible > 0)
        selected = bool(self.table.selectionModel().selectedRows())
        self.decide_button.setEnabled(selected and not self.signoff_check.isChecked())
        self.signoff_button.setVisible(self.signoff_required)
        self.signoff_button.setEnabled(selected and self.signoff_check.isChecked())

    # -- deciding ---------------------------------------------------------------------------

    @Slot()
    def decide_selected(self) -> None:
        rows = self.selected_rows()
        decision = self.current_decision()
        code = self.reason_combo.currentData()
        if not rows or code is None:
            self.show_error(self, "Choose the motions and a reason code first.")
            return
        self._decide(rows, decision, code, only_eligible=False)

    @Slot()
    def consent_all_eligible(self) -> None:
        rows = self.model.eligible_rows()
        if not rows:
            return
        code = self._consent_code()
        if code is None:
            self.show_error(self, "The office has no reason code for consent; add one first.")
            return
        counties = {row.county for row in rows}
        if len(counties) != 1 or None in counties:
            # Each county's court is separate: consent to all acts within one county.
            self.show_error(
                self,
                "The eligible motions in this view come from "
                + ("cases with no county" if None in counties else f"{len(counties)} counties")
                + ". Choose one county in the filter above, then consent to all.",
            )
            return
        (county,) = counties
        assert county is not None
        text = (
            f"Consent to all {len(rows):,} eligible {county.label} motions in this view, "
            f"with reason {code.text}?\n\nThis is one action; Undo takes it back as one."
        )
        if self.confirm(self, "Consent to all eligible", text):
            self._decide(rows, Decision.CONSENT, code.code, only_eligible=True)

    def _consent_code(self) -> ReasonCodeRow | None:
        consent = [c for c in self.codes if c.decision in (None, Decision.CONSENT)]
        if self.current_decision() == Decision.CONSENT:
            chosen = [c for c in consent if c.code == self.reason_combo.currentData()]
            consent = chosen or consent
        return consent[0] if consent else None

    def _decide(
        self, rows: list[QueueRow], decision: Decision, code: str, *, only_eligible: bool
    ) -> None:
        ids = [row.id for row in rows]
        versions = {row.id: row.version for row in rows}
        note = self.note_edit.text()
        actor = self.actor

        def work(_control: JobControl) -> Changes:
            return decide_motions(
                self.db,
                actor,
                ids,
                decision,
                reason_code=code,
                note=note,
                expected_versions=versions,
                only_eligible=only_eligible,
            )

        self.runner.run(f"{decision.label}: {len(ids):,} motions", work, self._decided)

    def _decided(self, changes: Changes) -> None:
        # The note is kept on a refusal (to try again) and cleared once it is saved.
        self.note_edit.clear()
        self.status.setText(f"{changes.summary}.")
        self.decided.emit(changes.undo.group_id if changes.undo else "")
        self.changes.emit(changes)
        self.refresh()

    @Slot()
    def sign_off_selected(self) -> None:
        ids = [row.id for row in self.selected_rows()]
        note = self.note_edit.text()
        actor = self.actor

        def work(_control: JobControl) -> Changes:
            return sign_off_motions(self.db, actor, ids, note=note)

        self.runner.run("Signing off", work, self._decided)

    def _failed(self, message: str) -> None:
        self.show_error(self, message)
        self.refresh()
