"""Edit person: names, aliases, date of birth, NYSID, contact, language, interpreter, consent
to contact, and flags (each with its source and a note). Only what was changed is sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casetracker.domain.enums import FlagKind
from ui.records.editing import EditDialog, Submit, changed_text, check, choice, line


@dataclass
class PersonEdit:
    person_id: int
    version: int
    values: dict[str, Any] = field(default_factory=dict)
    add_flags: list[tuple[Any, str, str | None]] = field(default_factory=list)
    remove_flags: list[int] = field(default_factory=list)
    reason: str = ""


_LINES = (
    ("&Last name *", "last_name", "Last name", ""),
    ("&First name", "first_name", "First name", ""),
    ("&Middle name", "middle_name", "Middle name", ""),
    ("&Aliases", "aliases", "Aliases", "several separated by ;"),
    ("Date of &birth", "date_of_birth", "Date of birth", "YYYY-MM-DD"),
    ("&NYSID", "nysid", "NYSID", "8 digits and a letter"),
    ("A&ddress", "address", "Address", ""),
    ("&Phone", "phone", "Phone", ""),
    ("&Email", "email", "Email", ""),
    ("Lan&guage", "language", "Language", "e.g. Spanish"),
)


class PersonDialog(EditDialog):
    def __init__(self, record: dict[str, Any], submit: Submit, parent: QWidget | None = None):
        super().__init__(f"Edit person: {record['name']}", submit, parent)
        self.record = record
        self.editors = {}
        for label, name, accessible, hint in _LINES:
            value = record[name]
            if name == "aliases":
                value = "; ".join(value or [])
            self.editors[name] = self.add_row(label, line(value, hint), accessible)
        self.interpreter = self.add_row(
            "&Interpreter needed", check(record["interpreter_needed"]), "Interpreter needed"
        )
        self.consent = self.add_row(
            "&Consent to contact", check(record["consent_to_contact"]), "Consent to contact"
        )

        flags_box = QGroupBox("Flags (untick one to remove it)")
        flags_layout = QVBoxLayout(flags_box)
        self.flags = QListWidget()
        self.flags.setAccessibleName("Flags")
        for flag in record["flags"]:
            note = f" — {flag['note']}" if flag["note"] else ""
            item = QListWidgetItem(
                f"{FlagKind(flag['kind']).label} ({flag['source']}){note}, by {flag['recorded_by']}"
            )
            item.setData(Qt.ItemDataRole.UserRole, flag["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.flags.addItem(item)
        self.flags.setMaximumHeight(90)
        flags_layout.addWidget(self.flags)
        adding = QHBoxLayout()
        self.flag_kind = choice(FlagKind, None, "(add a flag…)")
        self.flag_kind.setAccessibleName("New flag")
        self.flag_source = line(None, "source, e.g. DCJS rap sheet 2026-11-30")
        self.flag_source.setAccessibleName("New flag's source")
        self.flag_note = line(None, "note")
        self.flag_note.setAccessibleName("New flag's note")
        for widget in (self.flag_kind, self.flag_source, self.flag_note):
            adding.addWidget(widget)
        flags_layout.addLayout(adding)
        self.body.addWidget(flags_box)
        self.finish_layout([self.flags, self.flag_kind, self.flag_source, self.flag_note])
        self.resize(620, 560)
        self.editors["last_name"].setFocus()

    def payload(self) -> PersonEdit | None:
        edit = PersonEdit(self.record["id"], self.record["version"], reason=self.reason.text())
        for name, editor in self.editors.items():
            original = self.record[name]
            if name == "aliases":
                original = "; ".join(original or [])
            typed = changed_text(editor, original)
            if typed is not None:
                edit.values[name] = typed
        for name, box in (
            ("interpreter_needed", self.interpreter),
            ("consent_to_contact", self.consent),
        ):
            if box.isChecked() != bool(self.record[name]):
                edit.values[name] = box.isChecked()
        for row in range(self.flags.count()):
            item = self.flags.item(row)
            if item.checkState() != Qt.CheckState.Checked:
                edit.remove_flags.append(int(item.data(Qt.ItemDataRole.UserRole)))
        kind = self.flag_kind.currentData()
        if kind is not None:
            edit.add_flags.append(
                (kind, self.flag_source.text().strip(), self.flag_note.text().strip() or None)
            )
        elif self.flag_source.text().strip() or self.flag_note.text().strip():
            raise ValueError("Choose the kind of the new flag, or clear its source and note.")
        if not (edit.values or edit.add_flags or edit.remove_flags):
            return None
        return edit
