"""One date field for the whole app: typed as 2026-12-20, 12/20/2026 or 12/20/26, shown as
2026-12-20, with a calendar that opens at the date shown or today.

QDateEdit edits a date section by section, so typing "2026-12-20" into it gave "0261220" and an
empty required date showed as January 1900; a line edit that parses what was typed avoids both.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from casetracker.domain.clock import today
from casetracker.normalize import parse_typed_date

# The class below has a method named date(); annotations inside it use this name.
Day = date

DATE_FORMAT = "%Y-%m-%d"
_BAD = "QLineEdit { border: 1px solid #c62828; }"


def show_date(day: date | None) -> str:
    """The one way the app writes a date for people."""
    return "" if day is None else day.strftime(DATE_FORMAT)


class DateField(QWidget):
    """`date()` is the typed date, None when blank; `problem()` says why the text is not a date."""

    changed = Signal()

    def __init__(
        self, value: Day | None = None, *, required: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.required = required
        self.line = QLineEdit(show_date(value))
        self.line.setPlaceholderText("YYYY-MM-DD or MM/DD/YYYY")
        self.line.textChanged.connect(self._typed)
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setToolTip("Pick a date (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        pick = QAction("Pick a date", self)
        pick.setShortcut(QKeySequence("Alt+Down"))
        pick.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        pick.triggered.connect(self.open_calendar)
        self.addAction(pick)

    def date(self) -> Day | None:
        text = self.line.text().strip()
        if not text:
            return None
        try:
            return parse_typed_date(text)
        except ValueError:
            return None

    def setDate(self, value: Day | None) -> None:
        self.line.setText(show_date(value))

    def problem(self) -> str | None:
        text = self.line.text().strip()
        if not text:
            return "a date is needed" if self.required else None
        try:
            parse_typed_date(text)
        except ValueError as error:
            return str(error)
        return None

    def open_calendar(self) -> None:
        calendar = QCalendarWidget()
        shown = self.date() or today()
        calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        menu = QMenu(self)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)

        def picked(day: QDate) -> None:
            self.setDate(Day(day.year(), day.month(), day.day()))
            menu.close()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        menu.popup(self.mapToGlobal(QPoint(0, self.height())))
        calendar.setFocus()
        self._menu = menu

    def _typed(self) -> None:
        self.line.setStyleSheet(_BAD if self.line.text().strip() and self.date() is None else "")
        self.line.setToolTip(self.problem() or "")
        self.changed.emit()
