"""Edit case: court, county, part, dates, disposition (the wording and, when the app cannot
read it, its kind), sentence, defense counsel; and its charges: those it was brought on and
those it ended in (untick one to remove it, Space on a selected one to keep it, R to switch
its role)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casetracker.domain.enums import ChargeRole, County, DispositionKind
from casetracker.normalize import classify_disposition
from ui.records.editing import EditDialog, Submit, changed_text, choice, line


@dataclass
class CaseEdit:
    case_id: int
    version: int
    values: dict[str, Any] = field(default_factory=dict)
    add_charges: list[tuple[str, ChargeRole]] = field(default_factory=list)
    edit_charges: list[tuple[int, str | None, ChargeRole]] = field(default_factory=list)
    remove_charges: list[int] = field(default_factory=list)
    reason: str = ""


_LINES = (
    ("&Docket", "docket", "Docket number", ""),
    ("&Summons", "summons_number", "Summons number", ""),
    ("C&ourt", "court", "Court", "e.g. Criminal Court"),
    ("&Part", "court_part", "Court part", ""),
    ("&Arrest date", "arrest_date", "Arrest date", "YYYY-MM-DD"),
    ("D&isposition", "disposition", "Disposition", "as written, e.g. PG 240.20, DISM, ACD"),
    ("Disposition da&te", "disposition_date", "Disposition date", "YYYY-MM-DD"),
    ("S&entence", "sentence", "Sentence", ""),
    ("Defense &counsel", "defense_counsel", "Defense counsel", ""),
    ("&Warrant date", "warrant_issued_date", "Warrant date", "YYYY-MM-DD"),
)
_READ = "(read from the wording)"


class CaseDialog(EditDialog):
    def __init__(self, record: dict[str, Any], submit: Submit, parent: QWidget | None = None):
        super().__init__(f"Edit case {record['reference']}", submit, parent)
        self.record = record
        self.editors = {
            name: self.add_row(label, line(record[name], hint), accessible)
            for label, name, accessible, hint in _LINES
        }
        county = County(record["county"]) if record["county"] else None
        self.county = self.add_row("Co&unty", choice(County, county), "County")
        stored = DispositionKind(record["disposition_kind"]) if record["disposition_kind"] else None
        read = classify_disposition(record["disposition"]).value if record["disposition"] else None
        # The stored kind is shown only when staff chose it (it is not what the wording says).
        self.initial_kind = None if stored == read else stored
        self.kind = self.add_row(
            "Disposition &kind",
            choice(DispositionKind, self.initial_kind, _READ),
            "Disposition kind",
        )

        box = QGroupBox("Charges (untick to remove; R switches arrest / conviction)")
        column = QVBoxLayout(box)
        self.charges = QListWidget()
        self.charges.setAccessibleName("Charges")
        for charge in record["charges"]:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, charge["id"])
            item.setData(Qt.ItemDataRole.UserRole + 1, charge["role"])
            item.setData(Qt.ItemDataRole.UserRole + 2, charge)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self._label(item)
            self.charges.addItem(item)
        self.charges.setMaximumHeight(110)
        column.addWidget(self.charges)
        switch = QPushButton("Switch &role")
        switch.clicked.connect(self.switch_role)
        column.addWidget(switch)
        # Only while the list has the focus: R typed in a field is a letter.
        QShortcut(
            QKeySequence("R"), self.charges, self.switch_role, Qt.ShortcutContext.WidgetShortcut
        )
        self.body.addWidget(box)
        self.add_arrest = self.add_row(
            "Add a&rrest charges",
            line(None, "e.g. PL 221.10; several separated by ;"),
            "Add arrest charges",
        )
        self.add_conviction = self.add_row(
            "Add co&nviction charges", line(None, "e.g. PL 240.20"), "Add conviction charges"
        )
        self.finish_layout([self.charges, switch])
        self.resize(620, 640)
        self.editors["court"].setFocus()

    def _label(self, item: QListWidgetItem) -> None:
        charge = item.data(Qt.ItemDataRole.UserRole + 2)
        role = ChargeRole(item.data(Qt.ItemDataRole.UserRole + 1))
        words = " ".join(
            p for p in (charge["section"] or charge["as_typed"], charge["description"] or "") if p
        )
        item.setText(f"{words} — {role.label.lower()}")

    def switch_role(self) -> None:
        item = self.charges.currentItem()
        if item is None:
            return
        role = ChargeRole(item.data(Qt.ItemDataRole.UserRole + 1))
        other = ChargeRole.CONVICTION if role == ChargeRole.ARREST else ChargeRole.ARREST
        item.setData(Qt.ItemDataRole.UserRole + 1, other.value)
        self._label(item)

    def payload(self) -> CaseEdit | None:
        edit = CaseEdit(self.record["id"], self.record["version"], reason=self.reason.text())
        for name, editor in self.editors.items():
            typed = changed_text(editor, self.record[name])
            if typed is not None:
                edit.values[name] = typed
        county = self.county.currentData()
        # Combo boxes hand enum members back as their text value.
        if county != self.record["county"]:
            edit.values["county"] = county
        if self.kind.currentData() != self.initial_kind:
            edit.values["disposition_kind"] = self.kind.currentData()
        for row in range(self.charges.count()):
            item = self.charges.item(row)
            charge_id = int(item.data(Qt.ItemDataRole.UserRole))
            charge = item.data(Qt.ItemDataRole.UserRole + 2)
            role = ChargeRole(item.data(Qt.ItemDataRole.UserRole + 1))
            if item.checkState() != Qt.CheckState.Checked:
                edit.remove_charges.append(charge_id)
            elif role.value != charge["role"]:
                edit.edit_charges.append((charge_id, None, role))
        for editor, role in (
            (self.add_arrest, ChargeRole.ARREST),
            (self.add_conviction, ChargeRole.CONVICTION),
        ):
            if editor.text().strip():
                edit.add_charges.append((editor.text().strip(), role))
        if not (edit.values or edit.add_charges or edit.edit_charges or edit.remove_charges):
            return None
        return edit
