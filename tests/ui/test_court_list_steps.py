"""Court lists through their real dialogs: "New list…" shows the motions it will take and
lets the user change them; "Calendar" asks for the date and part and confirms; "Record
outcome…" confirms for the list, naming its motions, and asks a new date only to adjourn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casetracker.decisions.service import decide
from casetracker.domain.enums import Decision, Stage
from casetracker.domain.models import CourtList, Motion
from casetracker.screening.service import screen_motions
from casetracker.services import moves
from casetracker.storage.db import Database
from tests.support.motions import make_motion
from tests.ui.dialogs import when_dialog
from tests.ui.helpers import select_row, wait_until
from ui.court_lists import forms
from ui.court_lists.court_lists_view import CourtListsWidget
from ui.court_lists.forms import MotionPicker, NewList
from ui.date_field import DateField

pytestmark = pytest.mark.gui


@pytest.fixture
def consented(sqlite_db: Database) -> list[int]:
    with sqlite_db.unit_of_work() as session:
        ids = [make_motion(session) for _ in range(3)]
        screen_motions(session, ids, user="screener")
        decide(session, ids, Decision.CONSENT, reason_code="POLICY", user="ada")
    return ids


@pytest.fixture
def view(qtbot: QtBot, sqlite_db: Database, consented: list[int]) -> Iterator[CourtListsWidget]:
    widget = CourtListsWidget(sqlite_db)
    qtbot.addWidget(widget)
    wait_until(qtbot, lambda: not widget.runner.busy)
    widget.show_error = lambda _parent, text: pytest.fail(text)
    yield widget
    wait_until(qtbot, lambda: not widget.runner.busy)


def _names(db: Database) -> dict[int, str]:
    with db.reading() as session:
        return {m.id: moves.who(m) for m in session.scalars(select(Motion))}


def _on_list(db: Database) -> dict[int, tuple[Stage, int | None]]:
    with db.reading() as session:
        return {m.id: (m.stage, m.court_list_id) for m in session.scalars(select(Motion))}


def _click_and_wait(qtbot: QtBot, view: CourtListsWidget, button: Any) -> None:
    changed: list[str] = []
    view.changed.connect(changed.append)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: changed and not view.runner.busy)


def _make_list(qtbot: QtBot, view: CourtListsWidget, take: int = 2) -> None:
    view.ask_new_list = lambda *_: NewList(date(2026, 3, 5), "AP1", None, take)
    view.ask_motions = lambda _parent, candidates, _heading: candidates.proposed
    _click_and_wait(qtbot, view, view.new_button)


def test_new_list_shows_the_motions_it_takes_and_the_user_changes_them(
    qtbot: QtBot, view: CourtListsWidget, consented: list[int]
) -> None:
    names = _names(view.db)
    view.ask_new_list = lambda *_: NewList(date(2026, 3, 5), "AP1", None, 2)
    seen: dict[str, Any] = {}

    def pick(picker: MotionPicker) -> None:
        items = [picker.list.item(i) for i in range(picker.list.count())]
        seen["texts"] = [item.text() for item in items]
        seen["ticked"] = picker.picked()
        # Ticking a third is more than the list holds: the list cannot be made so.
        items[2].setCheckState(Qt.CheckState.Checked)
        seen["over"] = (picker.ok.isEnabled(), picker.count.text())
        items[0].setCheckState(Qt.CheckState.Unchecked)
        seen["ok"] = picker.ok.text()
        picker.ok.click()

    when_dialog(MotionPicker, pick)
    _click_and_wait(qtbot, view, view.new_button)
    # Every waiting motion by person and docket, the oldest decisions ticked up to the maximum.
    assert [t.split(" — ")[0] for t in seen["texts"]] == [names[i] for i in consented]
    assert seen["ticked"] == consented[:2]
    assert seen["over"] == (False, "3 ticked; at most 2 per list — untick 1")
    assert seen["ok"] == "Make the list with 2 motions"
    stages = _on_list(view.db)
    assert stages[consented[0]] == (Stage.CONSENTED, None)
    assert {stages[i][1] for i in consented[1:]} == {view.model.rows[0].id}


def test_calendar_asks_for_the_date_and_part_and_confirms(
    qtbot: QtBot, view: CourtListsWidget, consented: list[int]
) -> None:
    names = _names(view.db)
    _make_list(qtbot, view)
    view.ask_date = lambda *_: date(2026, 2, 20)
    view.confirm = lambda *_: True
    select_row(view.table, 0)
    _click_and_wait(qtbot, view, view.file_button)

    asked: dict[str, Any] = {}

    def answer(dialog: QDialog) -> None:
        field = dialog.findChild(DateField)
        part = next(e for e in dialog.findChildren(QLineEdit) if e.accessibleName() == "Part")
        asked["prefilled"] = (field.date(), part.text())
        field.line.setText("3/12/2026")
        part.setText("AP2")
        dialog.findChild(QDialogButtonBox).accepted.emit()

    confirmations: list[tuple[str, str]] = []

    def confirm(_parent: Any, title: str, text: str) -> bool:
        confirmations.append((title, text))
        return True

    view.confirm = confirm
    view.ask_calendar = forms.ask_calendar
    when_dialog(QDialog, answer, title="Calendar court list")
    select_row(view.table, 0)
    _click_and_wait(qtbot, view, view.calendar_button)
    # Prefilled with the list's own date and part; the court gave others.
    assert asked["prefilled"] == (date(2026, 3, 5), "AP1")
    [(title, text)] = confirmations
    assert title.startswith("Calendar court list")
    assert "Calendar 2 filed motions of court list" in text and "2026-03-12, part AP2" in text
    assert names[consented[0]] in text and names[consented[1]] in text
    with view.db.reading() as session:
        motions = [session.get_one(Motion, i) for i in consented[:2]]
        court_list = session.scalars(select(CourtList)).one()
    assert {(m.stage, m.court_date, m.court_part) for m in motions} == {
        (Stage.CALENDARED, date(2026, 3, 12), "AP2")
    }
    assert (court_list.court_date, court_list.part) == (date(2026, 3, 12), "AP2")


def test_record_outcome_confirms_for_the_list_and_asks_a_new_date_only_to_adjourn(
    qtbot: QtBot, view: CourtListsWidget, consented: list[int]
) -> None:
    names = _names(view.db)
    _make_list(qtbot, view)
    view.ask_date = lambda *_: date(2026, 2, 20)
    view.confirm = lambda *_: True
    for button in (view.file_button, view.calendar_button):
        view.ask_calendar = lambda _parent, row: forms.CalendarAnswer(row.court_date, row.part)
        select_row(view.table, 0)
        _click_and_wait(qtbot, view, button)

    shown: dict[str, Any] = {}

    def grant(dialog: QDialog) -> None:
        fields = dict(forms._date_fields(dialog.layout()))  # type: ignore[arg-type]
        outcome = dialog.findChild(QComboBox)
        outcome.setCurrentIndex(outcome.findData("granted"))
        shown["granted"] = fields["New court date"].isVisibleTo(dialog)
        outcome.setCurrentIndex(outcome.findData("adjourned"))
        shown["adjourned"] = fields["New court date"].isVisibleTo(dialog)
        outcome.setCurrentIndex(outcome.findData("granted"))
        dialog.findChild(QDialogButtonBox).accepted.emit()

    confirmations: list[str] = []

    def refuse(_parent: Any, _title: str, text: str) -> bool:
        confirmations.append(text)
        return False

    view.ask_outcome = forms.ask_outcome
    view.confirm = refuse
    when_dialog(QDialog, grant, title="The court's decision")
    select_row(view.table, 0)
    qtbot.mouseClick(view.outcome_button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: bool(confirmations))
    assert shown == {"granted": False, "adjourned": True}
    [text] = confirmations
    assert text.startswith("Record granted, order dated 2026-03-05, for 2 calendared motions")
    assert names[consented[0]] in text and names[consented[1]] in text
    # Not confirmed: nothing was recorded.
    assert {_on_list(view.db)[i][0] for i in consented[:2]} == {Stage.CALENDARED}
    # Adjourning asks for the new date and says it.
    view.ask_outcome = lambda *_: forms.OutcomeAnswer(
        "adjourned", date(2026, 3, 5), date(2026, 4, 2)
    )
    qtbot.mouseClick(view.outcome_button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: len(confirmations) == 2)
    list_id = view.model.rows[0].id
    assert confirmations[1].startswith(
        f"Adjourn 2 calendared motions of court list {list_id} (2026-03-05 part AP1) to 2026-04-02?"
    )

    view.ask_outcome = lambda *_: forms.OutcomeAnswer("granted", date(2026, 3, 5), None)
    view.confirm = lambda *_: True
    select_row(view.table, 0)
    _click_and_wait(qtbot, view, view.outcome_button)
    assert {_on_list(view.db)[i][0] for i in consented[:2]} == {Stage.GRANTED}
