"""What the correction dialogs share: a form whose Save hands what was typed to a submit
function, stays open showing the refusal if there is one (nothing typed is lost), and closes
once saved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

W = TypeVar("W", bound=QWidget)

# Called with what the dialog collected; returns the refusal to show, or None once saved.
Submit = Callable[[Any], str | None]


def text_of(value: Any) -> str:
    return "" if value is None else str(value)


class EditDialog(QDialog):
    def __init__(self, title: str, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit = submit
        self.form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("why (kept in the history)")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b")
        self.error.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)

    def finish_layout(self, after: Sequence[QWidget] = ()) -> None:
        self.form.addRow("&Reason", self.reason)
        self.body.addWidget(self.error)
        self.body.addWidget(self.buttons)
        tab_in_order([*form_fields(self.form), *after, self.buttons])

    def add_row(self, label: str, widget: W, name: str) -> W:
        widget.setAccessibleName(name)
        self.form.addRow(label, widget)
        return widget

    def payload(self) -> Any:
        raise NotImplementedError

    def save(self) -> None:
        try:
            payload = self.payload()
        except ValueError as error:
            self.show_problem(str(error))
            return
        if payload is None:
            self.reject()
            return
        problem = self.submit(payload)
        if problem is None:
            self.accept()
        else:
            self.show_problem(problem)

    def show_problem(self, message: str) -> None:
        self.error.setText(message)


def line(value: Any, placeholder: str = "") -> QLineEdit:
    editor = QLineEdit(text_of(value))
    if placeholder:
        editor.setPlaceholderText(placeholder)
    return editor


def check(value: Any) -> QCheckBox:
    box = QCheckBox()
    box.setChecked(bool(value))
    return box


def choice(members: Any, current: Any, blank: str = "") -> QComboBox:
    combo = QComboBox()
    combo.addItem(blank, None)
    for member in members:
        combo.addItem(getattr(member, "label", str(member)), member)
    if current is not None:
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
    return combo


def changed_text(editor: QLineEdit, original: Any) -> str | None:
    """The typed text if it differs from what was shown, else None (left alone)."""
    typed = editor.text().strip()
    return typed if typed != text_of(original).strip() else None


def form_fields(form: QFormLayout) -> list[QWidget]:
    fields = []
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        widget = item.widget() if item is not None else None
        if widget is not None:
            fields.append(widget)
    return fields


def tab_in_order(widgets: Sequence[QWidget]) -> None:
    """Tab goes down the form as it reads, whatever order the widgets were made in."""
    for before, after in zip(widgets, widgets[1:], strict=False):
        QWidget.setTabOrder(before, after)
