"""The administrator's editor for the eligibility rules: the JSON document, checked before it
is saved, with a new version required for changed rules."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casetracker.domain.errors import CasetrackerError
from casetracker.screening.rules import RuleSet, parse_rules_text
from casetracker.screening.store import current_rules, rules_source, save_rules
from casetracker.services.identity import current_user
from casetracker.storage.db import Database


class RulesEditorDialog(QDialog):
    """Small and quick database work (one row), so it runs on the GUI thread."""

    saved = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Eligibility rules")
        self.resize(760, 640)
        with db.reading() as session:
            rules = current_rules(session)
            source = rules_source(session)
        self.source_label = QLabel(
            f"Last saved: version {rules.version} ({rules.scope}), {source}. Each motion is "
            'screened by the set in force for its county on its date: give "effective_from" '
            'and "counties" to add a set for some counties or from a later date.'
        )
        self.source_label.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setPlainText(rules.to_json())
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Why the rules change (kept with the version)")
        self.check_button = QPushButton("Check")
        self.status = QLabel(
            'Edit the rules, give them a new "version", check, then save. Screened motions '
            "keep their results until you re-screen."
        )
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.check_button.clicked.connect(self.check)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def check(self) -> RuleSet | None:
        try:
            rules = parse_rules_text(self.editor.toPlainText(), "the edited rules")
        except CasetrackerError as error:
            self.status.setText(str(error))
            return None
        self.status.setText(
            f"The rules are valid: version {rules.version} for {rules.scope}, "
            f"{len(rules.coverage)} coverage rules, {len(rules.exclusions)} exclusions."
        )
        return rules

    @Slot()
    def save(self) -> None:
        if self.check() is None:
            return
        try:
            with self.db.unit_of_work() as session:
                rules = save_rules(
                    session,
                    self.editor.toPlainText(),
                    user=current_user(),
                    note=self.note_edit.text().strip() or None,
                )
        except CasetrackerError as error:
            self.status.setText(str(error))
            return
        self.saved.emit(rules.version)
        self.accept()
