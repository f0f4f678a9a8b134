"""Edit > Community events: the clinics where intake happens. New (Ctrl+N), edit (Enter),
retire or bring back (Delete); retired events are hidden unless asked for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casetracker.domain.enums import County
from casetracker.records.events import EventInfo
from ui.records.editing import EditDialog, Submit, changed_text, choice, line


@dataclass
class EventEdit:
    event_id: int | None
    version: int | None
    values: dict[str, Any]
    reason: str = ""


class EventForm(EditDialog):
    def __init__(self, event: EventInfo | None, submit: Submit, parent: QWidget | None = None):
        super().__init__("Edit community event" if event else "New community event", submit, parent)
        self.shown = event
        self.name = self.add_row("&Name *", line(event.name if event else None), "Event name")
        self.day = self.add_row(
            "&Date *",
            line(event.event_date.isoformat() if event else None, "YYYY-MM-DD"),
            "Event date",
        )
        self.location = self.add_row(
            "&Location", line(event.location if event else None), "Location"
        )
        self.county = self.add_row(
            "Co&unty", choice(County, event.county if event else None), "County"
        )
        self.finish_layout()
        self.name.setFocus()

    def payload(self) -> EventEdit | None:
        event = self.shown
        values: dict[str, Any] = {}
        originals = {
            "name": event.name if event else None,
            "event_date": event.event_date.isoformat() if event else None,
            "location": event.location if event else None,
        }
        for name, editor in (
            ("name", self.name),
            ("event_date", self.day),
            ("location", self.location),
        ):
            typed = changed_text(editor, originals[name])
            if typed is not None:
                values[name] = typed
        if self.county.currentData() != (event.county if event else None):
            values["county"] = self.county.currentData()
        if not values:
            return None
        return EventEdit(
            event.id if event else None,
            event.version if event else None,
            values,
            self.reason.text(),
        )


class EventsDialog(QDialog):
    """The list; `load(include_retired)` reads it, the three callbacks make the changes and
    return the refusal to show, or None."""

    def __init__(
        self,
        load: Callable[[bool], list[EventInfo]],
        save: Submit,
        retire: Callable[[EventInfo], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Community events")
        self.load = load
        self.save = save
        self.retire_one = retire
        self.events: list[EventInfo] = []
        self.form: EventForm | None = None
        self.show_retired = QCheckBox("Show &retired events")
        self.show_retired.toggled.connect(self.reload)
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Community events")
        self.table.setHorizontalHeaderLabels(["Date", "Name", "Location", "County", "Motions"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda *_: self.edit_current())
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b")
        self.error.setAccessibleName("Problem")
        new = QPushButton("&New…")
        new.clicked.connect(self.new_event)
        edit = QPushButton("&Edit…")
        edit.clicked.connect(self.edit_current)
        self.retire_button = QPushButton("Re&tire")
        self.retire_button.clicked.connect(self.retire_current)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_event)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.retire_current)
        row = QHBoxLayout()
        for button in (new, edit, self.retire_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.show_retired)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.resize(760, 420)
        self.table.currentCellChanged.connect(lambda *_: self._retire_label())
        self.reload()

    def reload(self) -> None:
        selected = self.current()
        self.events = self.load(self.show_retired.isChecked())
        self.table.setRowCount(len(self.events))
        for row, event in enumerate(self.events):
            cells = (
                event.event_date.isoformat(),
                event.name + (" (retired)" if event.retired else ""),
                event.location or "",
                event.county.label if event.county else "",
                str(event.motions),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        again = next((r for r, e in enumerate(self.events) if selected and e.id == selected.id), 0)
        if self.events:
            self.table.selectRow(again)
        self._retire_label()

    def current(self) -> EventInfo | None:
        row = self.table.currentRow()
        return self.events[row] if 0 <= row < len(self.events) else None

    def _retire_label(self) -> None:
        event = self.current()
        self.retire_button.setText("&Bring back" if event and event.retired else "Re&tire")
        self.retire_button.setEnabled(event is not None)

    def _saved(self, payload: Any) -> str | None:
        problem = self.save(payload)
        if problem is None:
            self.error.clear()
            self.reload()
        return problem

    def new_event(self) -> None:
        self.form = EventForm(None, self._saved, self)
        self.form.open()

    def edit_current(self) -> None:
        event = self.current()
        if event is not None:
            self.form = EventForm(event, self._saved, self)
            self.form.open()

    def retire_current(self) -> None:
        event = self.current()
        if event is None:
            return
        problem = self.retire_one(event)
        if problem is None:
            self.error.clear()
            self.reload()
        else:
            self.error.setText(problem)
