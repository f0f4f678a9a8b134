"""The form for one move: a reason, plus exactly the fields that move takes, each with the
editor its kind calls for (date → date editor, list of choices → drop-down, text → line).

A decision (consent, oppose, ask for information) takes its reason from the office's list of
reason codes, as the queue does, with an optional note; other moves take a typed reason."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from casetracker.decisions.reason_codes import ReasonCodeRow, decision_reason
from casetracker.domain.clock import today
from casetracker.domain.enums import Stage
from casetracker.domain.workflow import FIELDS, decision_of
from casetracker.services.motion_detail import ActionInfo
from casetracker.services.motion_ops import NextStep
from ui.date_field import DateField

# Fields a form never asks for by hand (screening reasons come from the screening rules).
_NOT_ON_FORMS = frozenset({"screening_reasons"})

# The usual why of a routine step, filled in and selected so typing replaces it. Steps whose
# why differs each time (oppose, withdraw, adjourn, deny, a change) start blank.
USUAL_REASONS = {
    "verify": "Record checked against the court's records",
    "consent": "Consent under the office's policy",
    "file": "Motion filed with the court",
    "calendar": "Calendared by the court",
    "grant": "Granted by the court",
    "seal": "Sealing confirmed",
    "notify": "Person told of the outcome",
    "close": "Nothing more to do",
}


# The court often gives the date and part when the motion is filed: the filing form takes
# them too (optional), and calendars the motion in the same action.
CALENDAR_FIELDS = ("court_date", "court_part")


class TransitionDialog(QDialog):
    def __init__(
        self,
        action: ActionInfo,
        parent: QWidget | None = None,
        codes: list[ReasonCodeRow] | None = None,
    ) -> None:
        super().__init__(parent)
        self.action = action
        self.setWindowTitle(action.label)
        self.editors: dict[str, QWidget] = {}
        self.blank_dates: set[str] = set()
        self.required = set(action.requires)
        form = QFormLayout()
        self.reason = QLineEdit(USUAL_REASONS.get(action.action, ""))
        self.reason.setAccessibleName("Reason")
        # A decision's reason is a code from the office's list (those that fit it).
        self.decision = decision_of(action.action)
        self.codes = [
            c for c in codes or [] if self.decision and c.decision in (None, self.decision)
        ]
        self.code_combo: QComboBox | None = None
        skip = set(_NOT_ON_FORMS)
        fields = action.requires + action.optional
        if self.decision is not None and "decision_reason_code" in fields:
            self.code_combo = QComboBox()
            self.code_combo.setAccessibleName("Reason code")
            self.code_combo.addItem("Choose a reason…", None)
            for code in self.codes:
                self.code_combo.addItem(code.text, code.code)
            # The code the motion has, else the office's first for this decision (as the
            # queue offers it).
            kept = self.code_combo.findData(action.current.get("decision_reason_code"))
            self.code_combo.setCurrentIndex(kept if kept > 0 else min(1, len(self.codes)))
            form.addRow("&Reason *", self.code_combo)
            skip.add("decision_reason_code")
        else:
            form.addRow("&Reason *", self.reason)
        for name in action.requires + action.optional:
            if name in skip:
                continue
            editor = self._editor(name, action.current.get(name), name in action.fresh)
            required = name in action.requires
            label = FIELDS[name].label.capitalize() + (" *" if required else "")
            editor.setAccessibleName(FIELDS[name].label)
            self.editors[name] = editor
            form.addRow(label, editor)
        # The step that naturally follows, taken in the same action (two history rows, one
        # undo): calendared when filing with the court date given; closed after notifying;
        # screened after verifying (its own dialog, as screening always is).
        self.then_editors: dict[str, QWidget] = {}
        self.close_too: QCheckBox | None = None
        self.screen_next: QCheckBox | None = None
        if action.action == "file":
            for name in CALENDAR_FIELDS:
                editor = DateField(None) if FIELDS[name].kind is date else QLineEdit()
                editor.setAccessibleName(FIELDS[name].label)
                editor.setToolTip("If the court gave it: the motion is calendared as well")
                self.then_editors[name] = editor
                form.addRow(FIELDS[name].label.capitalize() + " (calendars it)", editor)
        elif action.action == "notify":
            self.close_too = QCheckBox("&Close the motion too (nothing more to do)")
            self.close_too.setChecked(True)
            form.addRow("", self.close_too)
        elif action.action == "verify":
            self.screen_next = QCheckBox("&Screen it next")
            self.screen_next.setChecked(True)
            form.addRow("", self.screen_next)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("What is missing")
        self.error.setStyleSheet("color: #c0392b")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(action.label)
        buttons.accepted.connect(self._accept_if_dates_read)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if action.action == "change":
            intro = QLabel("Why? The reason goes into each motion's history.")
        else:
            intro = QLabel(f"Move to <b>{action.target.label}</b>. Fields marked * are needed.")
        layout.addWidget(intro)
        if action.blocked_by:
            blocked = QLabel("This move will be refused: " + "; ".join(action.blocked_by) + ".")
            blocked.setWordWrap(True)
            layout.addWidget(blocked)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._focus_first_needed(buttons.button(QDialogButtonBox.StandardButton.Ok))

    def _focus_first_needed(self, ok: QWidget) -> None:
        """Start where typing is needed: the first field the step needs, else the reason when
        blank; with nothing to type, Enter takes the step."""
        first = next((self.editors[n] for n in self.action.requires if n in self.editors), None)
        if first is None and not self.reason.text():
            first = self.reason
        target = first or ok
        target.setFocus()
        line = target.line if isinstance(target, DateField) else target
        if isinstance(line, QLineEdit):
            line.selectAll()

    def _editor(self, name: str, current: Any, fresh: bool) -> QWidget:
        kind = FIELDS[name].kind
        if kind is date:
            # A date the step records starts at today (the usual answer); one it keeps from
            # before starts at what the motion has.
            keep = current if current and not fresh else None
            return DateField(keep or self._default_date(name), required=name in self.required)
        if isinstance(kind, type) and issubclass(kind, Enum):
            combo = QComboBox()
            combo.addItem("", None)
            for member in kind:
                combo.addItem(getattr(member, "label", member.value), member)
            if current is not None:
                combo.setCurrentIndex(max(combo.findData(current), 0))
            return combo
        if kind is bool:
            box = QCheckBox()
            box.setChecked(bool(current))
            return box
        if kind is int:
            spin = QSpinBox()
            spin.setRange(0, 2_000_000_000)
            spin.setSpecialValueText(" ")
            spin.setValue(int(current or 0))
            return spin
        line = QLineEdit("" if current is None else str(current))
        return line

    def _default_date(self, name: str) -> date:
        # The order is usually dated the court date, once that day has come.
        court_date = self.action.current.get("court_date")
        if name == "order_date" and isinstance(court_date, date) and court_date <= today():
            return court_date
        return today()

    def _accept_if_dates_read(self) -> None:
        if self.code_combo is not None and self.code_combo.currentData() is None:
            self.show_refusal(
                "Choose a reason from the list."
                if self.codes
                else "The office has no reason code for this decision; add one in "
                "Edit > Office settings first."
            )
            self.code_combo.setFocus()
            return
        for name, editor in (*self.editors.items(), *self.then_editors.items()):
            why = editor.problem() if isinstance(editor, DateField) else None
            if why:
                self.show_refusal(f"{FIELDS[name].label.capitalize()}: {why}.")
                editor.setFocus()
                return
        self.accept()

    def next_steps(self) -> tuple[NextStep, ...]:
        """The steps to take right after this one, in the same action."""
        if self.close_too is not None and self.close_too.isChecked():
            return (NextStep(Stage.CLOSED, "close", USUAL_REASONS["close"]),)
        values: dict[str, Any] = {}
        for name, editor in self.then_editors.items():
            value: Any = None
            if isinstance(editor, DateField):
                value = editor.date()
            elif isinstance(editor, QLineEdit):
                value = editor.text().strip() or None
            if value is not None:
                values[name] = value
        if values:
            # Part without a date (or the reverse) is refused by the calendar step's check.
            return (NextStep(Stage.CALENDARED, "calendar", USUAL_REASONS["calendar"], values),)
        return ()

    def fill_next(self, steps: tuple[NextStep, ...]) -> None:
        """Put back what the user chose for the following step (asking again after a
        refusal): the calendar fields typed, the Close box as it was."""
        if self.close_too is not None:
            self.close_too.setChecked(any(s.action == "close" for s in steps))
        for step in steps:
            for name, value in step.values.items():
                editor = self.then_editors.get(name)
                if isinstance(editor, DateField) and isinstance(value, date):
                    editor.setDate(value)
                elif isinstance(editor, QLineEdit):
                    editor.setText(str(value))

    def wants_screening_next(self) -> bool:
        return self.screen_next is not None and self.screen_next.isChecked()

    def values(self) -> dict[str, Any]:
        """What was entered; fields left empty are not sent (the motion keeps its value)."""
        values: dict[str, Any] = {}
        if self.code_combo is not None and self.code_combo.currentData() is not None:
            values["decision_reason_code"] = self.code_combo.currentData()
        for name, editor in self.editors.items():
            value: Any
            if isinstance(editor, DateField):
                value = editor.date()
            elif isinstance(editor, QComboBox):
                value = editor.currentData()
            elif isinstance(editor, QCheckBox):
                value = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                value = editor.value() or None
            else:
                assert isinstance(editor, QLineEdit)
                value = editor.text().strip() or None
            if value is not None:
                values[name] = value
        return values

    def fill(self, reason: str, values: dict[str, Any]) -> None:
        """Put back what the user typed before (asking again after a refusal)."""
        self.reason.setText(reason)
        if self.code_combo is not None and "decision_reason_code" in values:
            index = self.code_combo.findData(values["decision_reason_code"])
            self.code_combo.setCurrentIndex(max(index, 0))
        for name, value in values.items():
            editor = self.editors.get(name)
            if isinstance(editor, DateField) and isinstance(value, date):
                editor.setDate(value)
            elif isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(editor.findData(value), 0))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QSpinBox) and isinstance(value, int):
                editor.setValue(value)
            elif isinstance(editor, QLineEdit):
                editor.setText("" if value is None else str(value))

    def reason_text(self) -> str:
        """The reason for the history: typed, or said from the chosen code and the note."""
        if self.code_combo is None or self.decision is None:
            return self.reason.text().strip()
        code = next((c for c in self.codes if c.code == self.code_combo.currentData()), None)
        if code is None:
            return ""
        return decision_reason(self.decision, code, self.values().get("decision_note"))

    def show_refusal(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
