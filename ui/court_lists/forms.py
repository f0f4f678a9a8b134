"""The small forms the court-lists view asks with: each returns the answer or None."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from casetracker.courtlists.service import CourtListRow, ListCandidates, ListOutcome
from casetracker.domain.clock import today
from casetracker.domain.enums import County
from casetracker.domain.words import counted
from ui.date_field import DateField, show_date


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
    # Wide enough for the title not to be cut by the window's frame.
    dialog.setMinimumWidth(max(360, dialog.fontMetrics().horizontalAdvance(title) + 160))
    form = QFormLayout(dialog)
    return dialog, form


def _run(dialog: QDialog, form: QFormLayout, check: Callable[[], str | None] | None = None) -> bool:
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
        why = check() if check is not None else None
        if why:
            problem.setText(why)
            problem.show()
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


@dataclass(frozen=True)
class CalendarAnswer:
    court_date: date
    part: str


class MotionPicker(QDialog):
    """The motions a new list will take, by person and docket, ticked; the user unticks
    some or ticks others waiting, up to the list's maximum."""

    def __init__(
        self, candidates: ListCandidates, heading: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.candidates = candidates
        self.setWindowTitle("Motions for the new court list")
        self.setMinimumSize(620, 480)
        waiting = len(candidates.motions)
        intro = QLabel(
            f"{heading}. {counted(waiting, 'consented motion')} from {candidates.county.label} "
            f"{'waits' if waiting == 1 else 'wait'} for a list, the oldest decision first. "
            f"The ticked ones go on this list (at most {candidates.limit:,}); untick any to "
            "leave for a later list, or tick others."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Motions for the list")
        proposed = set(candidates.proposed)
        for motion in candidates.motions:
            decided = f" — consented {show_date(motion.decided)}" if motion.decided else ""
            item = QListWidgetItem(f"{motion.who}{decided}")
            item.setData(Qt.ItemDataRole.UserRole, motion.motion_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = motion.motion_id in proposed
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.count = QLabel()
        self.count.setAccessibleName("How many are ticked")
        first = QPushButton(f"Tick the first {min(candidates.limit, waiting):,}")
        none = QPushButton("Untick all")
        first.clicked.connect(lambda: self._tick(candidates.limit))
        none.clicked.connect(lambda: self._tick(0))
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(first)
        row.addWidget(none)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.list.itemChanged.connect(self._counted)
        self._counted()

    def picked(self) -> list[int]:
        return [
            int(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _tick(self, first: int) -> None:
        for i in range(self.list.count()):
            state = Qt.CheckState.Checked if i < first else Qt.CheckState.Unchecked
            self.list.item(i).setCheckState(state)

    def _counted(self, *_args: object) -> None:
        n = len(self.picked())
        limit = self.candidates.limit
        over = n > limit
        self.count.setText(
            f"{n:,} ticked; at most {limit:,} per list — untick {n - limit:,}"
            if over
            else f"{n:,} of {len(self.candidates.motions):,} ticked"
        )
        self.count.setStyleSheet("color: #c62828;" if over else "")
        self.ok.setText(f"Make the list with {counted(n, 'motion')}")
        self.ok.setEnabled(0 < n <= limit)


def ask_motions(
    parent: QWidget | None, candidates: ListCandidates, heading: str
) -> list[int] | None:
    picker = MotionPicker(candidates, heading, parent)
    if picker.exec() != QDialog.DialogCode.Accepted:
        return None
    return picker.picked()


def ask_calendar(parent: QWidget | None, row: CourtListRow) -> CalendarAnswer | None:
    """The court date and part to calendar the list for: the list's own, unless the court
    gave others."""
    dialog, form = _form(parent, f"Calendar court list {row.id}")
    intro = QLabel(
        f"Calendar the filed motions of court list {row.id} for the date and part the court "
        "gave (the list's own unless changed)."
    )
    intro.setWordWrap(True)
    form.addRow(intro)
    court_date = _date_edit(row.court_date)
    part = QLineEdit(row.part)
    part.setAccessibleName("Part")
    form.addRow("Court date", court_date)
    form.addRow("Part", part)

    def part_given() -> str | None:
        if part.text().strip():
            return None
        part.setFocus()
        return "Part: the court's part is needed (for example AP1)."

    if not _run(dialog, form, part_given):
        return None
    return CalendarAnswer(_value(court_date), part.text().strip())


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
