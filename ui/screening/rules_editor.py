"""The supervisor's editor for the eligibility rules: a form (what the set is, what it covers,
what excludes a motion, which laws expunged convictions), checked before it is saved, with a new
version required for changed rules. A problem is shown in words at the field it is about.

The form reads and writes the same rule-set document the command line loads
(casetracker/screening/rules.py); the office's own code lists are kept as they are.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from casetracker.domain.enums import County, DispositionKind, FlagKind, MotionKind, ScreeningResult
from casetracker.domain.errors import CasetrackerError
from casetracker.screening.doc_reader import RuleSetError
from casetracker.screening.rules import CASE_FACTS, RuleSet, dumps, parse_rules
from casetracker.screening.store import current_rules, rules_source, save_rules
from casetracker.services.identity import current_user
from casetracker.storage.db import Database
from ui.date_field import DateField

_RESULTS = (ScreeningResult.INELIGIBLE, ScreeningResult.NEEDS_REVIEW)
_CHECKS = (("when", "Conditions"), ("person_flag", "Person flag"), ("case_fact", "Case fact"))

# The conditions of an exclusion, in words: key, label, kind of value.
WHEN_FIELDS: tuple[tuple[str, str, Any], ...] = (
    ("other_conviction_in", "Another conviction in list", str),
    ("within_years", "Within years", int),
    ("other_open_felony", "Another open felony case", bool),
    ("case_charge_in", "This case charged in list", str),
    ("age_at_offense_under", "Age at offense under", int),
    ("age_at_offense_at_least", "Age at offense at least", int),
    ("offense_before", "Offense before", date),
    ("offense_on_or_after", "Offense on or after", date),
    ("county_in", "County one of", County),
    ("disposition_in", "Case ended in one of", DispositionKind),
)
_WHEN_BY_KEY = {key: (label, kind) for key, label, kind in WHEN_FIELDS}
_WHEN_BY_LABEL = {label.lower(): (key, kind) for key, label, kind in WHEN_FIELDS}

# Each table: (document key, title, columns as (document key, heading)).
COVERAGE = (
    ("id", "Rule name"),
    ("motion_kind", "Motion kind"),
    ("charges", "Charges"),
    ("because", "Why (shown with each result)"),
)
EXCLUSIONS = (
    ("id", "Rule name"),
    ("check", "Checks"),
    ("what", "What it looks for"),
    ("effect", "Result"),
    ("because", "Why (shown with each result)"),
)
LAWS = (
    ("id", "Rule name"),
    ("motion_kinds", "Motion kinds"),
    ("charges", "Charges"),
    ("citation", "Citation"),
    ("effective_from", "In force from"),
    ("only_if", "Only if"),
    ("because", "Why (shown with each result)"),
)
SECTIONS = {
    "coverage": ("Coverage", COVERAGE),
    "exclusions": ("Exclusions", EXCLUSIONS),
    "expunged_by_law": ("Expunged by law", LAWS),
}
# Where a document key is shown in the exclusions table.
_EXCLUSION_COLUMN = {"person_flag": "what", "case_fact": "what", "when": "what"}
_LAW_COLUMN = {"motion_kinds": "motion_kinds"}
_TOP_FIELDS = {
    "version": "Version",
    "title": "Title",
    "effective_from": "In force from",
    "counties": "Counties",
}
_PATH = re.compile(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?")


def _label(member: Any) -> str:
    return str(getattr(member, "label", member.value))


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


def when_text(when: dict[str, Any]) -> str:
    """An exclusion's conditions in words: "Another conviction in list: sex-offenses; ..."."""
    parts = []
    for key, value in when.items():
        label, kind = _WHEN_BY_KEY.get(key, (key, str))
        if kind is bool:
            shown = "yes" if value else "no"
        elif isinstance(value, list):
            shown = ", ".join(_label(kind(v)) if _is_enum(kind) else str(v) for v in value)
        else:
            shown = str(value)
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and kind not in (str, int, bool, date)


def parse_when(text: str, at: str) -> dict[str, Any]:
    """The conditions typed in words back to the document's form."""
    when: dict[str, Any] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        label, _, value = part.partition(":")
        found = _WHEN_BY_LABEL.get(label.strip().lower())
        if found is None:
            known = ", ".join(label for _, label, _ in WHEN_FIELDS)
            raise _error(at, f"'{label.strip()}' is not a condition (conditions: {known})")
        key, kind = found
        value = value.strip()
        if kind is bool:
            when[key] = value.lower() in ("yes", "true", "y")
        elif kind is int:
            if not value.isdigit():
                raise _error(at, f"{label.strip()}: '{value}' is not a whole number")
            when[key] = int(value)
        elif _is_enum(kind):
            chosen = []
            for item in _split(value):
                try:
                    chosen.append(_choice(kind, item).value)
                except ValueError:
                    raise _error(
                        at, f"{label.strip()}: '{item}' is not one of the choices"
                    ) from None
            when[key] = chosen
        else:
            when[key] = value
    return when


def _choice(kind: Any, text: str) -> Any:
    """The member of `kind` named by its label or value, in any case; ValueError if none."""
    wanted = text.strip().lower()
    for member in kind:
        if wanted in (_label(member).lower(), str(member.value).lower()):
            return member
    return kind.parse(text)


def _error(at: str, problem: str) -> RuleSetError:
    return RuleSetError(f"{problem}.", at, problem)


class RulesEditorDialog(QDialog):
    """Small and quick database work (one row), so it runs on the GUI thread."""

    saved = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Eligibility rules")
        self.resize(1100, 680)
        with db.reading() as session:
            rules = current_rules(session)
            source = rules_source(session)
        self.rules = rules
        self.source_label = QLabel(
            f"In force: version {rules.version} ({rules.scope}), {source}. Each motion is "
            "screened by the set in force for its county on its date: give a date and counties "
            "to add a set for some counties or from a later date. Changed rules need a new "
            "version; screened motions keep their results until you re-screen."
        )
        self.source_label.setWordWrap(True)

        self.version = QLineEdit()
        self.title_edit = QLineEdit()
        self.effective = DateField()
        self.counties: dict[County, QCheckBox] = {c: QCheckBox(c.label) for c in County}
        county_row = QHBoxLayout()
        for box in self.counties.values():
            county_row.addWidget(box)
        county_row.addWidget(QLabel("(none ticked: every county)"))
        county_row.addStretch(1)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Why the rules change (kept with the version)")
        about = QFormLayout()
        for label, widget, name in (
            ("&Version *", self.version, "Version"),
            ("&Title", self.title_edit, "Title"),
            ("In force &from", self.effective, "In force from"),
        ):
            widget.setAccessibleName(name)
            about.addRow(label, widget)
        about.addRow("Counties", county_row)

        self.tables: dict[str, QTableWidget] = {}
        self.tabs = QTabWidget()
        for key, (title, columns) in SECTIONS.items():
            self.tabs.addTab(self._section(key, title, columns), title)
        self.other: dict[MotionKind, QComboBox] = {}
        other_page = QWidget()
        other_form = QFormLayout(other_page)
        other_form.addRow(QLabel("A motion whose charge no coverage rule names is screened as:"))
        for kind in MotionKind:
            combo = QComboBox()
            for result in _RESULTS:
                combo.addItem(result.label, result.value)
            combo.setAccessibleName(f"Other charges, {kind.label}")
            self.other[kind] = combo
            other_form.addRow(kind.label, combo)
        self.tabs.addTab(other_page, "Other charges")

        self.status = QLabel("Change the rules, give them a new version, then save.")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Problem")
        self.check_button = QPushButton("Chec&k")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addLayout(about)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.check_button.clicked.connect(self.check)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        self.load(rules)
        self.loaded = self._snapshot()

    # -- building the form ------------------------------------------------------------------

    def _section(self, key: str, title: str, columns: tuple[tuple[str, str], ...]) -> QWidget:
        table = QTableWidget(0, len(columns))
        table.setAccessibleName(title)
        table.setHorizontalHeaderLabels([heading for _, heading in columns])
        table.verticalHeader().setVisible(True)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.tables[key] = table
        add = QPushButton(f"&Add a rule to {title.lower()}")
        remove = QPushButton("&Remove the selected rule")
        add.clicked.connect(lambda: self.add_row(key))
        remove.clicked.connect(lambda: self._remove_row(key))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        if key == "exclusions":
            hint = QLabel(
                "Conditions are written as 'Another conviction in list: violent-felony-offenses;"
                " Within years: 10'. Conditions: "
                + ", ".join(label for _, label, _ in WHEN_FIELDS)
                + ". Lists: "
                + ", ".join(sorted(self.rules.code_lists))
                + ". Person flags: "
                + ", ".join(f.label for f in FlagKind)
                + ". Case facts: "
                + ", ".join(f.replace("_", " ") for f in CASE_FACTS)
                + "."
            )
            hint.setWordWrap(True)
        else:
            hint = QLabel("Charges as written on records, several separated by commas.")
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.addWidget(hint)
        page_layout.addWidget(table, 1)
        page_layout.addLayout(buttons)
        return page

    def add_row(self, key: str, values: dict[str, Any] | None = None) -> int:
        table = self.tables[key]
        row = table.rowCount()
        table.insertRow(row)
        values = values or {}
        for column, (name, _) in enumerate(SECTIONS[key][1]):
            combo = self._combo_for(key, name)
            if combo is not None:
                combo.setCurrentIndex(max(combo.findData(values.get(name)), 0))
                table.setCellWidget(row, column, combo)
            else:
                item = QTableWidgetItem(str(values.get(name, "")))
                item.setToolTip(item.text())
                table.setItem(row, column, item)
        table.setCurrentCell(row, 0)
        return row

    @staticmethod
    def _combo_for(key: str, name: str) -> QComboBox | None:
        combo = QComboBox()
        if key == "coverage" and name == "motion_kind":
            for kind in MotionKind:
                combo.addItem(kind.label, kind.value)
        elif key == "exclusions" and name == "check":
            for value, label in _CHECKS:
                combo.addItem(label, value)
        elif key == "exclusions" and name == "effect":
            for result in _RESULTS:
                combo.addItem(result.label, result.value)
        else:
            return None
        combo.setFrame(False)
        return combo

    def _remove_row(self, key: str) -> None:
        table = self.tables[key]
        if table.currentRow() >= 0:
            table.removeRow(table.currentRow())

    def load(self, rules: RuleSet) -> None:
        doc = rules.document
        self.version.setText(str(doc.get("version", "")))
        self.title_edit.setText(str(doc.get("title", "")))
        self.effective.setDate(rules.effective_from)
        for county, box in self.counties.items():
            box.setChecked(county in rules.counties)
        for kind, combo in self.other.items():
            combo.setCurrentIndex(max(combo.findData(rules.other_charges[kind].value), 0))
        for item in doc.get("coverage", []):
            self.add_row("coverage", {**item, "charges": ", ".join(item.get("charges", []))})
        for item in doc.get("exclusions", []):
            check = next((k for k, _ in _CHECKS if k in item), "when")
            what = item.get(check)
            if check == "when":
                shown = when_text(what or {})
            elif check == "person_flag":
                shown = FlagKind(what).label if what in {f.value for f in FlagKind} else str(what)
            else:
                shown = str(what).replace("_", " ")
            self.add_row(
                "exclusions",
                {
                    **item,
                    "check": check,
                    "what": shown,
                    "effect": item.get("effect", ScreeningResult.INELIGIBLE.value),
                },
            )
        laws = doc.get("expunged_by_law", [])
        for item in [laws] if isinstance(laws, dict) else laws:
            kinds = [MotionKind(k).label for k in item.get("motion_kinds", [])]
            self.add_row(
                "expunged_by_law",
                {
                    **item,
                    "motion_kinds": ", ".join(kinds),
                    "charges": ", ".join(item.get("charges", [])),
                },
            )
        for table in self.tables.values():
            table.resizeColumnsToContents()
            # Rule names in full; longer text wraps in its row rather than being cut.
            for column in range(1, table.columnCount() - 1):
                table.setColumnWidth(column, min(table.columnWidth(column), 230))
            table.resizeRowsToContents()

    # -- reading the form back --------------------------------------------------------------

    def _cell(self, key: str, row: int, name: str) -> str:
        table = self.tables[key]
        column = [n for n, _ in SECTIONS[key][1]].index(name)
        widget = table.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            return str(widget.currentData())
        item = table.item(row, column)
        return item.text().strip() if item is not None else ""

    def document(self) -> dict[str, Any]:
        """The rule-set document the form says; a typed value the form cannot read raises
        RuleSetError with the place, as the rules' own checks do."""
        doc: dict[str, Any] = {
            "version": self.version.text().strip(),
            "title": self.title_edit.text().strip() or self.version.text().strip(),
        }
        problem = self.effective.problem()
        if problem:
            raise _error("effective_from", problem)
        if self.effective.date() is not None:
            doc["effective_from"] = self.effective.date().isoformat()  # type: ignore[union-attr]
        counties = [c.value for c, box in self.counties.items() if box.isChecked()]
        if counties:
            doc["counties"] = counties
        doc["coverage"] = [
            {
                "id": self._cell("coverage", row, "id"),
                "motion_kind": self._cell("coverage", row, "motion_kind"),
                "charges": _split(self._cell("coverage", row, "charges")),
                "because": self._cell("coverage", row, "because"),
            }
            for row in range(self.tables["coverage"].rowCount())
        ]
        doc["other_charges"] = {
            kind.value: str(combo.currentData()) for kind, combo in self.other.items()
        }
        doc["exclusions"] = [
            self._exclusion(row) for row in range(self.tables["exclusions"].rowCount())
        ]
        doc["expunged_by_law"] = [
            self._law(row) for row in range(self.tables["expunged_by_law"].rowCount())
        ]
        if "code_lists" in self.rules.document:
            doc["code_lists"] = self.rules.document["code_lists"]
        return doc

    def _exclusion(self, row: int) -> dict[str, Any]:
        at = f"exclusions[{row}]"
        check = self._cell("exclusions", row, "check")
        what = self._cell("exclusions", row, "what")
        entry: dict[str, Any] = {"id": self._cell("exclusions", row, "id")}
        if check == "when":
            entry["when"] = parse_when(what, f"{at}.when")
        elif check == "person_flag":
            try:
                entry["person_flag"] = _choice(FlagKind, what).value
            except ValueError:
                flags = ", ".join(f.label for f in FlagKind)
                raise _error(f"{at}.person_flag", f"'{what}' is not a flag ({flags})") from None
        else:
            entry["case_fact"] = what.strip().lower().replace(" ", "_")
        effect = self._cell("exclusions", row, "effect")
        if effect != ScreeningResult.INELIGIBLE.value:
            entry["effect"] = effect
        entry["because"] = self._cell("exclusions", row, "because")
        return entry

    def _law(self, row: int) -> dict[str, Any]:
        at = f"expunged_by_law[{row}]"
        kinds = []
        for text in _split(self._cell("expunged_by_law", row, "motion_kinds")):
            try:
                kinds.append(_choice(MotionKind, text).value)
            except ValueError:
                choices = ", ".join(k.label for k in MotionKind)
                raise _error(
                    f"{at}.motion_kinds", f"'{text}' is not a motion kind ({choices})"
                ) from None
        entry: dict[str, Any] = {
            "id": self._cell("expunged_by_law", row, "id"),
            "motion_kinds": kinds,
            "charges": _split(self._cell("expunged_by_law", row, "charges")),
        }
        for name in ("citation", "effective_from", "only_if"):
            value = self._cell("expunged_by_law", row, name)
            if value:
                entry[name] = value
        entry["because"] = self._cell("expunged_by_law", row, "because")
        return entry

    def _snapshot(self) -> str:
        try:
            return dumps(self.document())
        except CasetrackerError as error:
            return f"unreadable: {error}"

    @property
    def dirty(self) -> bool:
        return self._snapshot() != self.loaded or bool(self.note_edit.text().strip())

    # -- checking, saving, leaving ----------------------------------------------------------

    @Slot()
    def check(self) -> RuleSet | None:
        try:
            rules = parse_rules(self.document(), "the edited rules")
        except RuleSetError as error:
            self.point_at(error)
            return None
        self.status.setText(
            f"The rules are valid: version {rules.version} for {rules.scope}, "
            f"{len(rules.coverage)} coverage rules, {len(rules.exclusions)} exclusions, "
            f"{len(rules.expunged_by_law)} laws."
        )
        self.status.setStyleSheet("")
        return rules

    def point_at(self, error: RuleSetError) -> None:
        """Say what is wrong in words, at the field: select it and show the problem."""
        where, widget = self._place(error.at)
        self.status.setText(f"{where}: {error.problem}. Nothing was saved.")
        self.status.setStyleSheet("color: #c0392b")
        if widget is not None:
            widget.setFocus()

    def _place(self, at: str) -> tuple[str, QWidget | None]:
        match = _PATH.match(at)
        if match is None:
            return "The rules", None
        section, index, key = match.group(1), match.group(2), match.group(3)
        if section in _TOP_FIELDS:
            widget = {
                "version": self.version,
                "title": self.title_edit,
                "effective_from": self.effective,
            }.get(section)
            if widget is None:
                widget = next(iter(self.counties.values()))
            return _TOP_FIELDS[section], widget
        if section == "other_charges":
            self.tabs.setCurrentIndex(self.tabs.count() - 1)
            return "Other charges", self.other[MotionKind.CONVICTION_VACATUR]
        if section not in SECTIONS or index is None:
            return SECTIONS.get(section, ("The rules",))[0], None
        title, columns = SECTIONS[section]
        names = [n for n, _ in columns]
        row = int(index)
        name = key or "id"
        if section == "exclusions":
            name = _EXCLUSION_COLUMN.get(name, name)
        if name not in names:
            name = "id"
        column = names.index(name)
        table = self.tables[section]
        self.tabs.setCurrentIndex(list(SECTIONS).index(section))
        if row < table.rowCount():
            table.setCurrentCell(row, column)
            table.scrollTo(table.model().index(row, column))
        rule = self._cell(section, row, "id") if row < table.rowCount() else ""
        named = f" ({rule})" if rule else ""
        return f"{title}, rule {row + 1}{named}, {columns[column][1]}", table

    @Slot()
    def save(self) -> None:
        if self.check() is None:
            return
        try:
            text = dumps(self.document())
            with self.db.unit_of_work() as session:
                rules = save_rules(
                    session, text, user=current_user(), note=self.note_edit.text().strip() or None
                )
        except RuleSetError as error:
            self.point_at(error)
            return
        except CasetrackerError as error:
            self.status.setText(str(error))
            self.status.setStyleSheet("color: #c0392b")
            return
        self.loaded = self._snapshot()
        self.note_edit.clear()
        self.saved.emit(rules.version)
        self.accept()

    def reject(self) -> None:
        if self.dirty and not self.ask_discard():
            return
        super().reject()

    def ask_discard(self) -> bool:
        """Leave with unsaved changes? A test replaces this."""
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "The rules have changes that are not saved. Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard
