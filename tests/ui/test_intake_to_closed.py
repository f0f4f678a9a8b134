"""One motion from intake to closed through the window only, counting what the user does.

The test drives the real window (offscreen) with key and mouse events and the shortcuts a user
would use; every dialog is answered through its widgets. All of it goes through `Desk`, the
driver below, which is the only thing that touches the widgets and counts as it goes, so no step
can be taken without being counted.

What counts as one action:
- a mouse click (a button, a row, a menu item);
- a key chord (Ctrl+N, Ctrl+Return, Enter, Escape, Ctrl+S: each press counts);
- filling one field: getting into it (a click) and typing its text together count one, as
  "a typed field" does in the issue; a date typed into a date field is such a field;
- choosing an item of a drop-down by typing its first letters (one field).
Waiting for the window (background reads, the detail pane) is not an action.

Every date the steps record is typed, in the forms people use (12/20/2026, 2026-12-20, 12/20/26),
even where the field is already filled with the right day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from casetracker.domain.clock import today
from casetracker.domain.enums import Stage
from casetracker.domain.models import Motion
from casetracker.services.motion_detail import motion_detail
from casetracker.storage.db import Database
from ui.date_field import DateField
from ui.main_window import MainWindow
from ui.screening.screen_dialog import ScreenDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)"),
]

# The issue's target: a change that adds an action fails the test.
ISSUE_TARGET = 25


class Desk:
    """The user at the window: every way of touching it counts (see the module's docstring)."""

    def __init__(self, qtbot: QtBot, window: MainWindow) -> None:
        self._qtbot = qtbot
        self._window = window
        self.actions: list[str] = []
        # The widget last touched: keys go to its window, as they go to the window in front.
        self._where: QWidget | None = None

    @property
    def count(self) -> int:
        return len(self.actions)

    def _count(self, what: str) -> None:
        self.actions.append(what)

    # -- what the user does ------------------------------------------------------------------

    def chord(self, key: Qt.Key, modifiers: Any = Qt.KeyboardModifier.NoModifier) -> None:
        """A key (chord) pressed where the keyboard focus is, as a person presses it."""
        self._count(f"key {_key_name(key, modifiers)}")
        self._qtbot.keyClick(self._in_front(), key, modifiers)

    def _in_front(self) -> QWidget:
        """Where a key goes: the focused widget of the window in front (a modal dialog, else
        the window last worked in, else the main window)."""
        window: QWidget = self._window
        modal = QApplication.activeModalWidget()
        if modal is not None:
            window = modal
        elif (
            self._where is not None
            and shiboken6.isValid(self._where)
            and self._where.window().isVisible()
        ):
            window = self._where.window()
        if not window.isActiveWindow():
            window.activateWindow()
            self._qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
        return window.focusWidget() or window

    def click(self, widget: QWidget, what: str = "") -> None:
        self._count(f"click {what or widget.accessibleName() or type(widget).__name__}")
        self._where = widget
        self._qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def click_row(self, table: QTableView, row: int) -> None:
        self._count(f"click row {row + 1}")
        self._where = table
        rect = table.visualRect(table.model().index(row, 0))
        self._qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    def fill(self, field: QWidget, text: str) -> None:
        """Click into a field, replace what it holds, type `text`: one action."""
        line = field.line if isinstance(field, DateField) else field
        assert isinstance(line, QLineEdit), f"not a text field: {field!r}"
        self._count(f"type {field.accessibleName() or 'field'} = {text!r}")
        self._where = line
        self._qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
        line.selectAll()  # a triple-click would select it as well; part of the same action
        self._qtbot.keyClick(line, Qt.Key.Key_Backspace)
        self._qtbot.keyClicks(line, text)

    def choose(self, combo: QComboBox, text: str) -> None:
        """Click into a drop-down and type the start of an item: one action."""
        self._count(f"choose {combo.accessibleName() or 'item'} = {text!r}")
        self._where = combo
        combo.setFocus()
        self._qtbot.keyClicks(combo, text)
        assert combo.currentText().lower().startswith(text.lower()), combo.currentText()

    def answering(self, *handlers: Callable[[QDialog], None]) -> Iterator[None]:
        """Answer the modal dialogs the next action opens, one handler for each in turn
        (which act through this driver, so their actions count); a dialog more is a
        failure (asked again)."""
        return _Answering(self, list(handlers))

    # -- waiting (not an action) ------------------------------------------------------------

    def wait(self, done: Callable[[], object], timeout: int = 20_000) -> None:
        def check() -> bool:
            QCoreApplication.sendPostedEvents()
            return bool(done())

        self._qtbot.waitUntil(check, timeout=timeout)

    def wait_for_stage(self, stage: Stage) -> None:
        try:
            self._wait_for_stage(stage)
        except Exception:
            d = self._window.detail.detail
            raise AssertionError(
                f"not {stage}: detail={d and (d.motion_id, d.stage)}, rows="
                f"{self._window.model.rowCount()}, status={self._window.statusBar().currentMessage()}"
                f", after {self.actions}"
            ) from None

    def _wait_for_stage(self, stage: Stage) -> None:
        self.wait(
            lambda: (
                (d := self._window.detail.detail) is not None
                and d.stage == stage
                and not self._window.jobs.busy
            )
        )


class _Answering:
    def __init__(self, desk: Desk, handlers: list[Callable[[QDialog], None]]) -> None:
        self.desk = desk
        self.handlers = handlers
        self.handled = False
        self.answered: QDialog | None = None
        self.failure: BaseException | None = None
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible() or dialog is self.answered:
            return
        if not self.handlers:
            # Asked again (a refusal): the test fails with what the window said.
            self.failure = AssertionError(f"asked again: {_texts(dialog)}")
            self.timer.stop()
            dialog.reject()
            return
        handler = self.handlers.pop(0)
        self.handled = not self.handlers
        self.answered = dialog
        try:
            handler(dialog)
        except BaseException as error:  # re-raised after the dialog's loop ends
            self.failure = error
            self.timer.stop()
            dialog.reject()

    def __enter__(self) -> None:
        self.timer.start()

    def __exit__(self, *exc: object) -> None:
        self.desk.wait(lambda: self.handled, timeout=20_000)
        # Long enough to see a dialog asked again after a refusal.
        self.desk.wait(lambda: self.answered is None or not self.answered.isVisible())
        QTest.qWait(200)
        self.timer.stop()
        if self.failure is not None:
            raise self.failure


def _texts(dialog: QWidget) -> str:
    return " | ".join(label.text() for label in dialog.findChildren(QLabel) if label.text())


def _key_name(key: Qt.Key, modifiers: Any) -> str:
    name = key.name.removeprefix("Key_")
    return ("Ctrl+" if modifiers & Qt.KeyboardModifier.ControlModifier else "") + name


@pytest.fixture
def desk(qtbot: QtBot, sqlite_db: Database) -> Iterator[tuple[Desk, MainWindow]]:
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.count_label.text() == "0 motions", timeout=10_000)
    yield Desk(qtbot, window), window
    window.close()


def us(day: date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def test_one_motion_from_intake_to_closed_counting_the_actions(
    desk: tuple[Desk, MainWindow], sqlite_db: Database
) -> None:
    user, window = desk
    now = today()
    filed = now - timedelta(days=40)
    court = now - timedelta(days=10)

    # Intake: a walk-in with an open summons warrant for marijuana possession.
    user.chord(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.intake_form
    user.fill(form.last, "Okafor")
    user.fill(form.first, "Chidi")
    user.fill(form.dob, "4/17/1988")
    user.fill(form.summons, "4401234567")
    user.fill(form.charges, "PL 221.05")
    # Save and close (a walk-in on their own): the new motion is selected in the desk, ready
    # for its next step.
    user.chord(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    user.wait_for_stage(Stage.INTAKE)
    motion_id = window.detail.detail.motion_id  # type: ignore[union-attr]

    def step(*fields: tuple[str, str]) -> Callable[[QDialog], None]:
        """Answer a step's dialog through its widgets: fill the fields, press Enter."""

        def answer(dialog: QDialog) -> None:
            for name, text in fields:
                # The step's own fields, or those of the step it takes too (calendared
                # when filed with the court date given).
                editors = {**dialog.then_editors, **dialog.editors}  # type: ignore[attr-defined]
                editor = editors[name]
                if isinstance(editor, QComboBox):
                    user.choose(editor, text)
                else:
                    user.fill(editor, text)
            user.chord(Qt.Key.Key_Return)

        return answer

    def screen_and_consent(dialog: QDialog) -> None:
        """The screening the verify step opens next: eligible, so Enter saves it and consents
        (the button says so, with the office's reason code)."""
        assert isinstance(dialog, ScreenDialog), _texts(dialog)
        user.wait(lambda: dialog.consent_button.isEnabled())
        assert dialog.consent_button.isDefault(), "Save and consent is not the default"
        user.chord(Qt.Key.Key_Return)

    # Verified, and screened next: eligible, so saved with the consent.
    with user.answering(step(), screen_and_consent):
        user.chord(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    user.wait_for_stage(Stage.CONSENTED)
    # Each next step with Ctrl+Return: filed with the court date given, so calendared too;
    # notified, and closed (the box is ticked).
    for stage, fields in (
        (
            Stage.CALENDARED,
            (
                ("filed_date", us(filed)),
                ("court_date", court.isoformat()),
                ("court_part", "AP1"),
            ),
        ),
        (Stage.GRANTED, (("order_date", us(court)),)),
        (Stage.SEALED, (("sealing_confirmed_date", us(now)),)),
        (Stage.CLOSED, (("notification_date", us(now)), ("notification_outcome", "Reached"))),
    ):
        with user.answering(step(*fields)):
            user.chord(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        user.wait_for_stage(stage)

    print(f"{user.count} actions:", *user.actions, sep="\n  ")
    with sqlite_db.reading() as session:
        detail = motion_detail(session, motion_id)
    assert detail.stage == Stage.CLOSED
    assert detail.kind == "Warrant dismissal"
    assert detail.person_name == "Okafor, Chidi"
    oldest_first = (
        list(reversed(detail.history))
        if detail.history[0].to_stage == Stage.CLOSED
        else detail.history
    )
    assert [(h.action, h.to_stage) for h in oldest_first] == [
        ("intake", Stage.INTAKE),
        ("verify", Stage.VERIFIED),
        ("screen", Stage.SCREENED),
        ("consent", Stage.CONSENTED),
        ("file", Stage.FILED),
        ("calendar", Stage.CALENDARED),
        ("grant", Stage.GRANTED),
        ("seal", Stage.SEALED),
        ("notify", Stage.NOTIFIED),
        ("close", Stage.CLOSED),
    ]
    assert all(h.user == "tester" and h.sentence for h in oldest_first)
    sentences = [h.sentence for h in oldest_first]
    # The dates as typed, whatever their form, are what the history says.
    assert f"Filed: filing date {filed.isoformat()} by tester" in sentences
    assert f"Calendared: court date {court.isoformat()}, part AP1 by tester" in sentences
    assert f"Granted: order date {court.isoformat()} by tester" in sentences
    assert f"Sealing confirmed: sealing confirmation date {now.isoformat()} by tester" in sentences
    with sqlite_db.reading() as session:
        assert session.get_one(Motion, motion_id).notification_date == now
    assert user.count <= ISSUE_TARGET, (user.count, user.actions)
