"""The small forms the court-lists view asks with: each returns the answer or None."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from casetracker.courtlists.service import ListOutcome


@dataclass(frozen=True)
class NewList:
    court_date: date
    part: str
    judge: str | None
    max_motions: int


@dataclass(frozen=True)
class OutcomeAnswer:
    outcome: str
    order_date: date
    new_date: date | None


def _date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _value(edit: QDateEdit) -> date:
    picked = edit.date()
    return date(picked.year(), picked.month(), picked.day())


def _form(parent: QWidget | None, title: str) -> tuple[QDialog, QFormLayout]:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    form = QFormLayout(dialog)
    return dialog, form


def _run(dialog: QDialog, form: QFormLayout) -> bool:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_new_list(parent: QWidget | None, office_max: int) -> NewList | None:
    dialog, form = _form(parent, "New court list")
    court_date = _date_edit(date.today())
    part = QLineEdit("AP1")
    judge = QLineEdit()
    maximum = QSpinBox()
    maximum.setRange(1, 10_000)
    maximum.setValue(office_max)
    form.addRow("Court date", court_date)
    form.addRow("Part", part)
    form.addRow("Judge", judge)
    form.addRow("At most", maximum)
    if not _run(dialog, form):
        return None
    return NewList(_value(court_date), part.text(), judge.text() or None, maximum.value())


def ask_date(parent: QWidget | None, title: str, label: str) -> date | None:
    dialog, form = _form(parent, title)
    edit = _date_edit(date.today())
    form.addRow(label, edit)
    return _value(edit) if _run(dialog, form) else None


def ask_outcome(parent: QWidget | None, court_date: date) -> OutcomeAnswer | None:
    dialog, form = _form(parent, "The court's decision for the list")
    outcome = QComboBox()
    for name in ListOutcome.ALL:
        outcome.addItem(name.capitalize(), name)
    order = _date_edit(court_date)
    new = _date_edit(court_date)
    form.addRow("Outcome", outcome)
    form.addRow("Order date", order)
    form.addRow("New court date (adjourned)", new)
    if not _run(dialog, form):
        return None
    chosen = str(outcome.currentData())
    return OutcomeAnswer(
        chosen, _value(order), _value(new) if chosen == ListOutcome.ADJOURNED else None
    )
