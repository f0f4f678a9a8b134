"""The search box and the filters above the motion table; says when what is asked changes."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from casetracker.domain.enums import County, MotionKind, Stage
from casetracker.domain.words import counted
from casetracker.services.queries import MotionFilter

# Typing pauses this long before the search runs; each search is ~10-50 ms, so this only
# saves work, it is not what keeps the window responsive.
SEARCH_DELAY_MS = 120


@dataclass(frozen=True)
class Choices:
    """What the lists offer; read from the database by the window."""

    prosecutors: list[str]
    events: list[tuple[int, str]]
    court_lists: list[tuple[int, str]]


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, docket, summons or NYSID  (Ctrl+F)")
        self.search.setAccessibleName("Search motions")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.stage = self._combo("Stage", "All stages", [(s.label, s) for s in Stage])
        self.kind = self._combo("Kind", "All kinds", [(k.label, k) for k in MotionKind])
        self.county = self._combo("County", "All counties", [(c.label, c) for c in County])
        self.prosecutor = self._combo("Prosecutor", "All prosecutors", [])
        self.event_choice = self._combo("Event", "All events", [])
        self.court_list = self._combo("Court list", "All court lists", [])
        self.overdue = QCheckBox("Sealing &overdue")
        self.overdue.setAccessibleName("Only motions overdue for sealing")
        self.count = QLabel()
        self.count.setAccessibleName("Motions shown")
        self.count.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.search, 3)
        for combo in (
            self.stage,
            self.kind,
            self.county,
            self.prosecutor,
            self.event_choice,
            self.court_list,
        ):
            layout.addWidget(combo, 1)
        layout.addWidget(self.overdue)
        layout.addWidget(self.count)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.changed)
        self.search.textChanged.connect(self._timer.start)
        self.overdue.toggled.connect(self.changed)

    def _combo(self, name: str, everything: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(f"Filter by {name.lower()}")
        combo.setToolTip(f"Show only motions with this {name.lower()}")
        combo.setObjectName(name)
        # Let the combos give up width before the count at the end of the row is cut off.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(9)
        combo.addItem(everything, None)
        for label, value in items:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self.changed)
        return combo

    def set_choices(self, choices: Choices) -> None:
        for combo, items in (
            (self.prosecutor, [(p, p) for p in choices.prosecutors]),
            (self.event_choice, [(label, i) for i, label in choices.events]),
            (self.court_list, [(label, i) for i, label in choices.court_lists]),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for label, value in items:
                combo.addItem(label, value)
            found = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def motion_filter(self) -> MotionFilter:
        stage = self.stage.currentData()
        kind = self.kind.currentData()
        county = self.county.currentData()
        return MotionFilter(
            stages=(stage,) if stage is not None else (),
            kinds=(kind,) if kind is not None else (),
            counties=(county,) if county is not None else (),
            prosecutor=self.prosecutor.currentData(),
            event_id=self.event_choice.currentData(),
            court_list_id=self.court_list.currentData(),
            overdue=self.overdue.isChecked(),
        )

    def search_text(self) -> str:
        return self.search.text()

    def active_filters(self) -> list[str]:
        """The filters that narrow the list now, by name ("Stage: Filed")."""
        active = [
            f"{combo.objectName()}: {combo.currentText()}"
            for combo in (
                self.stage,
                self.kind,
                self.county,
                self.prosecutor,
                self.event_choice,
                self.court_list,
            )
            if combo.currentIndex() > 0
        ]
        if self.overdue.isChecked():
            active.append("sealing overdue")
        return active

    def show_count(self, shown: int, busy: bool = False) -> None:
        text = counted(shown, "motion")
        filters = self.active_filters()
        if shown == 0 and filters and not busy:
            # A search that finds nothing with a filter on is usually the filter's doing.
            text = "No motions match with these filters on: " + "; ".join(filters)
        self.count.setText(text + (" …" if busy else ""))
