"""The form for one move: a reason, plus exactly the fields that move takes, each with the
editor its kind calls for (date → date editor, list of choices → drop-down, text → line)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from casetracker.domain.workflow import FIELDS
from casetracker.services.motion_detail import ActionInfo

# Fields a form never asks for by hand (screening reasons come from the screening rules).
_NOT_ON_FORMS = frozenset({"screening_reasons"})


class TransitionDialog(QDialog):
    def __init__(self, action: ActionInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.setWindowTitle(action.label)
        self.editors: dict[str, QWidget] = {}
        self.blank_dates: set[str] = set()
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        form.addRow("&Reason *", self.reason)
        for name in action.requires + action.optional:
            if name in _NOT_ON_FORMS:
                continue
            editor = self._editor(name, action.current.get(name), name in action.fresh)
            required = name in action.requires
            label = FIELDS[name].label.capitalize() + (" *" if required else "")
            editor.setAccessibleName(FIELDS[name].label)
            self.editors[name] = editor
            form.addRow(label, editor)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("What is missing")
        self.error.setStyleSheet("color: #c0392b")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(action.label)
        buttons.accepted.connect(self.accept)
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

    def _editor(self, name: str, current: Any, fresh: bool) -> QWidget:
        kind = FIELDS[name].kind
        if kind is date:
            editor = QDateEdit()
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("yyyy-MM-dd")
            # An empty date shows as the minimum and reads back as "not given".
            editor.setMinimumDate(QDate(1900, 1, 1))
            editor.setSpecialValueText(" ")
            if current and not fresh:
                editor.setDate(QDate(current.year, current.month, current.day))
            else:
                editor.setDate(editor.minimumDate())
            return editor
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

    def values(self) -> dict[str, Any]:
        """What was entered; fields left empty are not sent (the motion keeps its value)."""
        values: dict[str, Any] = {}
        for name, editor in self.editors.items():
            value: Any
            if isinstance(editor, QDateEdit):
                qdate = editor.date()
                value = None if qdate == editor.minimumDate() else qdate.toPython()
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

    def reason_text(self) -> str:
        return self.reason.text().strip()

    def show_refusal(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
