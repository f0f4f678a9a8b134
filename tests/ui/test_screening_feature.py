"""The Motions menu opens the queue, the court lists and the rules editor; the re-screen is
shown before it is saved; a court list moves through its steps from the view."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casetracker.decisions.service import decide
from casetracker.domain.enums import Decision, MotionKind, ScreeningResult, Stage
from casetracker.domain.models import Motion
from casetracker.screening.service import screen_motions
from casetracker.services.motion_detail import motion_detail
from casetracker.storage.db import Database
from tests.support.motions import make_motion
from tests.ui.helpers import select_row, wait_until
from ui.court_lists.court_lists_view import CourtListsWidget
from ui.court_lists.forms import CalendarAnswer, NewList, OutcomeAnswer
from ui.main_window import MainWindow
from ui.queue.queue_view import QueueWidget
from ui.screening.rescreen_dialog import RescreenDialog
from ui.screening.rules_editor import RulesEditorDialog


def test_motions_menu_opens_the_queue_and_court_lists(qtbot: QtBot, sqlite_db: Database) -> None:
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menus["motions"].actions()]
    assert "Prosecutor's &queue" in titles and "Eligibility &rules…" in titles
    feature: Any = window.screening  # type: ignore[attr-defined]
    feature.queue_action.trigger()
    feature.lists_action.trigger()
    assert isinstance(feature.docks["queue"].widget(), QueueWidget)
    assert isinstance(feature.docks["court_lists"].widget(), CourtListsWidget)
    feature.queue_action.trigger()
    assert len(feature.docks) == 2
    for dock in feature.docks.values():
        wait_until(qtbot, lambda d=dock: not d.widget().runner.busy)
    wait_until(qtbot, lambda: not window.jobs.busy)


def test_rules_editor_refuses_invalid_rules_and_saves_a_new_version(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    dialog = RulesEditorDialog(sqlite_db)
    qtbot.addWidget(dialog)
    dialog.version.clear()
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text().startswith("Version: must be non-empty text")
    qtbot.keyClicks(dialog.version, "2019-office-2")
    dialog.tables["coverage"].item(2, 2).setText("AC 16-118")
    qtbot.keyClicks(dialog.note_edit, "open container dropped")
    with qtbot.waitSignal(dialog.saved, timeout=30_000) as saved:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert saved.args == ["2019-office-2"]


def test_rescreen_dialog_shows_changes_before_saving(qtbot: QtBot, sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as session:
        littering = make_motion(session, charges=["AC 10-125"])
        make_motion(session)
        screen_motions(session, None, user="screener")
    editor = RulesEditorDialog(sqlite_db)
    qtbot.addWidget(editor)
    editor.version.setText("2019-office-2")
    editor.tables["coverage"].item(2, 2).setText("AC 16-118")
    editor.save()
    dialog = RescreenDialog(sqlite_db)
    qtbot.addWidget(dialog)
    wait_until(qtbot, lambda: dialog.save_button.isEnabled())
    assert [item.motion_id for item in dialog.model.rows] == [littering]
    assert dialog.model.data(dialog.model.index(0, 2)).startswith("Ineligible")
    with sqlite_db.unit_of_work() as session:
        motion = session.get(Motion, littering)
        assert motion is not None and motion.screening_result == ScreeningResult.ELIGIBLE
    saved: list[str] = []
    dialog.saved.connect(saved.append)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: saved and not dialog.runner.busy)
    with sqlite_db.unit_of_work() as session:
        motion = session.get(Motion, littering)
        assert motion is not None and motion.screening_result == ScreeningResult.INELIGIBLE


def test_court_list_view_takes_a_list_to_granted(qtbot: QtBot, sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as session:
        ids = [make_motion(session) for _ in range(3)]
        screen_motions(session, ids, user="screener")
        decide(session, ids, Decision.CONSENT, reason_code="POLICY", user="ada")
    widget = CourtListsWidget(sqlite_db)
    qtbot.addWidget(widget)
    wait_until(qtbot, lambda: not widget.runner.busy)
    assert widget.waiting_label.text().startswith("3 consented")
    widget.ask_new_list = lambda *_: NewList(date(2026, 3, 5), "AP1", "Hon. Test", 2)
    widget.ask_date = lambda *_: date(2026, 2, 20)
    widget.ask_outcome = lambda *_: OutcomeAnswer("granted", date(2026, 3, 5), None)
    widget.ask_motions = lambda _parent, candidates, _heading: candidates.proposed
    widget.ask_calendar = lambda _parent, row: CalendarAnswer(row.court_date, row.part)
    widget.confirm = lambda *_: True
    click_and_wait(qtbot, widget, widget.new_button)
    assert widget.waiting_label.text().startswith("1 consented")
    for button in (widget.file_button, widget.calendar_button, widget.outcome_button):
        select_row(widget.table, 0)
        click_and_wait(qtbot, widget, button)
    with sqlite_db.unit_of_work() as session:
        rows = session.execute(select(Motion.id, Motion.stage, Motion.sealing_deadline)).all()
    granted = [r for r in rows if r.stage == Stage.GRANTED]
    assert [r.id for r in granted] == ids[:2]
    assert all(r.sealing_deadline == date(2026, 6, 3) for r in granted)
    assert widget.model.data(widget.model.index(0, 6)) == "2 granted"


def click_and_wait(qtbot: QtBot, widget: CourtListsWidget, button: Any) -> None:
    """Click, then wait for the change and the reload after it."""
    changed: list[str] = []
    widget.changed.connect(changed.append)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: changed and not widget.runner.busy)


def test_screen_dialog_runs_the_rules_as_of_a_date_and_records_proceed_anyway(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.unit_of_work() as session:
        motion_id = make_motion(
            session, MotionKind.CONVICTION_VACATUR, ["PL 221.10"], intake_date=date(2018, 10, 1)
        )
        detail = motion_detail(session, motion_id)
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    feature: Any = window.screening  # type: ignore[attr-defined]
    dialog = feature.screen_one(detail)
    # As of the motion's own date the 2019 and 2021 laws were not yet in force.
    assert dialog.outcome.result == ScreeningResult.ELIGIBLE
    assert not dialog.proceed_button.isEnabled()
    dialog.as_of.setDate(QDate(2026, 12, 2))
    assert dialog.outcome.result == ScreeningResult.EXPUNGED_BY_LAW
    assert "expunged-2019-ch131" in dialog.result_view.toPlainText()
    assert dialog.proceed_button.isEnabled()
    monkeypatch.setattr(
        "ui.screening.screen_dialog.QInputDialog.getText",
        lambda *_args, **_kw: ("Needed for an immigration case", True),
    )
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.proceed_button.click()
    with sqlite_db.unit_of_work() as session:
        motion = session.get(Motion, motion_id)
        assert motion is not None and motion.proceed_if_expunged
        assert motion.stage == Stage.SCREENED
        assert motion.screening_result == ScreeningResult.ELIGIBLE
        assert motion.screening_as_of == date(2026, 12, 2)
        last = motion.history[-2]
        assert last.action == "proceed_anyway" and "immigration" in last.reason
    wait_until(qtbot, lambda: not window.jobs.busy)
