"""Record an attempt at telling the person: the day, how (mail, phone, email, in person,
text), what came of it, who tried, and a note. Several may be recorded; the latest is shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from casetracker.domain.clock import today
from casetracker.domain.enums import NotificationMethod, NotificationOutcome
from ui.records.editing import EditDialog, Submit, choice, form_fields, line, tab_in_order


@dataclass
class AttemptEdit:
    motion_id: int
    version: int
    attempted_on: str
    method: Any
    outcome: Any
    org: str
    note: str


class NotificationDialog(EditDialog):
    def __init__(
        self,
        motion_id: int,
        version: int,
        latest: str | None,
        submit: Submit,
        parent: QWidget | None = None,
        *,
        who: str = "",
    ) -> None:
        super().__init__(f"Notification attempt: {who or f'motion {motion_id}'}", submit, parent)
        self.motion_id = motion_id
        self.version = version
        self.day = self.add_row("&Date *", line(today().isoformat(), "YYYY-MM-DD"), "Date")
        self.method = self.add_row("&How", choice(NotificationMethod, None), "Method")
        self.outcome = self.add_row("&Outcome *", choice(NotificationOutcome, None), "Outcome")
        self.org = self.add_row("&By (organization)", line(None), "Notifying organization")
        self.note = self.add_row("&Note", line(None), "Note")
        if latest:
            shown = QLabel(latest)
            shown.setWordWrap(True)
            self.add_row("Latest so far", shown, "Latest attempt so far")
        self.body.addWidget(self.error)
        self.body.addWidget(self.buttons)
        tab_in_order([*form_fields(self.form), self.buttons])
        self.day.setFocus()

    def payload(self) -> AttemptEdit:
        return AttemptEdit(
            self.motion_id,
            self.version,
            self.day.text(),
            self.method.currentData(),
            self.outcome.currentData(),
            self.org.text(),
            self.note.text(),
        )
