"""The small forms the court-lists view asks with: each returns the answer or None."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from casetracker.courtlists.service import ListOutcome
from casetracker.domain.clock import today
from casetracker.domain.enums import County
from ui.date_field import DateField


@dataclass(frozen=True)
class NewList:
    court_date: date
    part: str
    judge: str | None
    max_motions: int
    # The court's county; None: the one county the waiting motions come from (asked if several).
    county: County | None = None


@dataclass(frozen=True)
class OutcomeAnswer:
    outcome: str
    order_date: date
    new_date: date | None


def _date_edit(value: date) -> DateField:
    return DateField(value, required=True)


def _value(edit: DateField) -> date:
    picked = edit.date()
    assert picked is not None  # _run accepts only when every date field reads as a date
    return picked


def _form(parent: QWidget | None, title: str) -> tuple[QDialog, QFormLayout]:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    form = QFormLayout(dialog)
    return dialog, form


def _run(dialog: QDialog, form: QFormLayout) -> bool:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    problem = QLabel()
    problem.setStyleSheet("color: #c62828;")
    problem.hide()

    def accept() -> None:
        for label, field in _date_fields(form):
            why = field.problem() if field.isVisibleTo(dialog) else None
            if why:
                problem.setText(f"{label}: {why}.")
                problem.show()
                field.setFocus()
                return
        dialog.accept()

    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(problem)
    form.addRow(buttons)
    return dialog.exec() == QDialog.DialogCode.Accepted


def _date_fields(form: QFormLayout) -> list[tuple[str, DateField]]:
    found = []
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        widget = field.widget() if field else None
        if isinstance(widget, DateField):
            shown = label.widget() if label else None
            found.append((shown.text() if isinstance(shown, QLabel) else "", widget))
    return found


def ask_new_list(parent: QWidget | None, office_max: int) -> NewList | None:
    dialog, form = _form(parent, "New court list")
    court_date = _date_edit(today())
    part = QLineEdit("AP1")
    judge = QLineEdit()
    maximum = QSpinBox()
    maximum.setRange(1, 10_000)
    maximum.setValue(office_max)
    county = QComboBox()
    county.addItem("The county the motions come from", None)
    for each in County:
        county.addItem(each.label, each)
    form.addRow("Court date", court_date)
    form.addRow("County", county)
    form.addRow("Part", part)
    form.addRow("Judge", judge)
    form.addRow("At most", maximum)
    if not _run(dialog, form):
        return None
    return NewList(
        _value(court_date),
        part.text(),
        judge.text() or None,
        maximum.value(),
        county.currentData(),
    )


def ask_date(parent: QWidget | None, title: str, label: str) -> date | None:
    dialog, form = _form(parent, title)
    edit = _date_edit(today())
    form.addRow(label, edit)
    return _value(edit) if _run(dialog, form) else None


def ask_outcome(parent: QWidget | None, court_date: date) -> OutcomeAnswer | None:
    dialog, form = _form(parent, "The court's decision for the list")
    outcome = QComboBox()
    for name in ListOutcome.ALL:
        outcome.addItem(name.capitalize(), name)
    # The order is dated the day the court ruled: the list's date, unless that is still ahead.
    order = _date_edit(min(court_date, today()))
    new = _date_edit(court_date)
    form.addRow("Outcome", outcome)
    form.addRow("Order date", order)
    form.addRow("New court date", new)

    def adjourned_only() -> None:
        adjourned = outcome.currentData() == ListOutcome.ADJOURNED
        form.setRowVisible(new, adjourned)
        form.setRowVisible(order, not adjourned)

    outcome.currentIndexChanged.connect(adjourned_only)
    adjourned_only()
    if not _run(dialog, form):
        return None
    chosen = str(outcome.currentData())
    adjourned = chosen == ListOutcome.ADJOURNED
    return OutcomeAnswer(chosen, order.date() or court_date, _value(new) if adjourned else None)
