"""Every open view shows what is true after any action: the detail pane, the queue and the
court-lists view are told through the window's one signal; the undo stack names each action
and undoes the one it names; a refused move keeps what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from casetracker.decisions.queue import count_queue
from casetracker.decisions.service import decide, set_opposition_needs_signoff
from casetracker.devtools.fakelist import write_fake_list
from casetracker.domain.enums import (
    County,
    Decision,
    FlagKind,
    MotionKind,
    ScreeningResult,
    Stage,
)
from casetracker.domain.models import Motion
from casetracker.importing.plan import ImportOptions
from casetracker.importing.reader import open_source
from casetracker.importing.service import run_import
from casetracker.operations import Changes
from casetracker.screening.service import screen_motions
from casetracker.services import motion_ops
from casetracker.services.bulk import MoveToStage
from casetracker.services.motion_detail import motion_detail
from casetracker.storage.db import Database
from tests.support.motions import make_motion
from tests.ui.helpers import select_row, wait_until
from ui.court_lists.court_lists_view import CourtListsWidget
from ui.court_lists.forms import NewList
from ui.main_window import MainWindow
from ui.queue.queue_view import QueueWidget
from ui.screening import feature

pytestmark = pytest.mark.gui


@pytest.fixture
def office(sqlite_db: Database) -> dict[str, list[int]]:
    made: dict[str, list[int]] = {}
    with sqlite_db.unit_of_work() as session:
        made["eligible"] = [make_motion(session, county=County.KINGS) for _ in range(4)]
        made["excluded"] = [make_motion(session, flags=[FlagKind.SEX_OFFENSE])]
        screen_motions(session, None, user="screener")
        made["new"] = [make_motion(session, MotionKind.CONVICTION_VACATUR, verify=False)]
    return made


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database, office: dict[str, list[int]]) -> Iterator[MainWindow]:
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.rows_shown, timeout=10_000):
        win.show()
    yield win
    for view in (_dock(win, "queue"), _dock(win, "court_lists")):
        if view is not None:
            wait_until(qtbot, lambda v=view: not v.runner.busy, timeout=60_000)
    win.close()


def _dock(win: MainWindow, name: str) -> Any:
    dock = win.screening.docks.get(name)  # type: ignore[attr-defined]
    return dock.widget() if dock is not None else None


def _queue(qtbot: QtBot, win: MainWindow) -> QueueWidget:
    win.screening.show_queue()  # type: ignore[attr-defined]
    queue = _dock(win, "queue")
    assert isinstance(queue, QueueWidget)
    wait_until(qtbot, lambda: not queue.runner.busy and queue.model.rowCount() > 0)
    return queue


def _court_lists(qtbot: QtBot, win: MainWindow) -> CourtListsWidget:
    win.screening.show_court_lists()  # type: ignore[attr-defined]
    lists = _dock(win, "court_lists")
    assert isinstance(lists, CourtListsWidget)
    wait_until(qtbot, lambda: not lists.runner.busy)
    return lists


def _stage(db: Database, motion_id: int) -> Stage:
    with db.reading() as session:
        return session.get_one(Motion, motion_id).stage


def _show_motion(qtbot: QtBot, win: MainWindow, motion_id: int) -> None:
    with qtbot.waitSignal(win.detail_shown, timeout=10_000):
        win.select_motion(motion_id)
    assert win.detail.detail is not None and win.detail.detail.motion_id == motion_id


def _detail_is(qtbot: QtBot, win: MainWindow, stage: Stage) -> None:
    wait_until(qtbot, lambda: win.detail.detail is not None and win.detail.detail.stage == stage)


def test_consent_to_all_eligible_is_one_undo_entry_that_undoes_itself(
    qtbot: QtBot, window: MainWindow, office: dict[str, list[int]]
) -> None:
    db = window.db
    # An earlier, unrelated action on the stack.
    [new] = office["new"]
    with db.reading() as session:
        detail = motion_detail(session, new)
    verify = next(a for a in detail.actions if a.action == "verify")
    assert window.try_transition(detail, verify, "rap sheet checked", {}) is None
    assert window.bulk.stack.undoText().endswith(": Intake → Record verified")

    queue = _queue(qtbot, window)
    queue.confirm = lambda *_args: True
    assert queue.bulk_button.text() == "Consent to all 4 eligible in this view"
    with qtbot.waitSignal(queue.decided, timeout=20_000):
        queue.bulk_button.click()
    assert {_stage(db, i) for i in office["eligible"]} == {Stage.CONSENTED}
    assert window.bulk.undo_action.text() == "&Undo Consent to 4 motions"

    with qtbot.waitSignal(window.bulk.finished, timeout=20_000):
        window.bulk.undo_action.trigger()
    assert {_stage(db, i) for i in office["eligible"]} == {Stage.SCREENED}
    assert _stage(db, new) == Stage.VERIFIED
    assert window.bulk.stack.undoText().endswith(": Intake → Record verified")
    # The queue was told: the four are back, eligible again.
    wait_until(qtbot, lambda: queue.bulk_button.text() == "Consent to all 4 eligible in this view")


def test_pane_queue_and_court_lists_follow_every_kind_of_action(
    qtbot: QtBot, window: MainWindow, office: dict[str, list[int]]
) -> None:
    db = window.db
    first = office["eligible"][0]
    _show_motion(qtbot, window, first)
    assert "consent" in window.detail.buttons

    # A queue decision: the pane shows the consent, without F5.
    queue = _queue(qtbot, window)
    lists = _court_lists(qtbot, window)
    wait_until(qtbot, lambda: lists.waiting_label.text().startswith("0 consented"))
    position = next(i for i, r in enumerate(queue.model.rows) if r.id == first)
    select_row(queue.table, position)
    with qtbot.waitSignal(queue.decided, timeout=20_000):
        queue.decide_button.click()
    _detail_is(qtbot, window, Stage.CONSENTED)
    wait_until(qtbot, lambda: first not in {r.id for r in queue.model.rows})
    wait_until(qtbot, lambda: lists.waiting_label.text().startswith("1 consented"))

    # A court-list action: the pane shows the motion filed and no longer offers "Mark filed".
    lists.ask_new_list = lambda *_: NewList(date(2026, 3, 5), "AP1", "Hon. Test", 5)
    lists.ask_date = lambda *_: date(2026, 2, 20)
    lists.ask_motions = lambda _parent, candidates, _heading: candidates.proposed
    lists.confirm = lambda *_: True
    with qtbot.waitSignal(lists.changed, timeout=20_000):
        lists.new_button.click()
    wait_until(qtbot, lambda: not lists.runner.busy and lists.model.rowCount() == 1)
    select_row(lists.table, 0)
    with qtbot.waitSignal(lists.changed, timeout=20_000):
        lists.file_button.click()
    _detail_is(qtbot, window, Stage.FILED)
    assert "file" not in window.detail.buttons and "calendar" in window.detail.buttons

    # A bulk screen from the menu: the queue shows the newly screened motion.
    [new] = office["new"]
    motion_ops.advance(db, "clerk", new, Stage.VERIFIED, reason="checked")
    window.apply_changes(Changes.of_motions([new]))
    answers: list[str] = []
    original = feature.QMessageBox.information
    feature.QMessageBox.information = lambda _parent, _title, text: answers.append(text)  # type: ignore[method-assign,assignment]
    try:
        window.screening.screen_all()  # type: ignore[attr-defined]
        wait_until(qtbot, lambda: answers)
    finally:
        feature.QMessageBox.information = original  # type: ignore[method-assign]
    wait_until(qtbot, lambda: new in {r.id for r in queue.model.rows})
    assert _stage(db, new) == Stage.SCREENED
    assert window.bulk.stack.undoText() == "Screen 1 motion"


def test_a_move_refused_because_the_motion_changed_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow, office: dict[str, list[int]]
) -> None:
    db = window.db
    motion_id = office["eligible"][1]
    _show_motion(qtbot, window, motion_id)
    # Someone else opposes it after the pane was shown.
    with db.unit_of_work() as session:
        decide(session, [motion_id], Decision.OPPOSE, reason_code="EXCLUDED", user="ada.smith")
    asked: list[tuple[str, str | None, Any]] = []
    typed = ("withdrawn at the person's request", {})

    def ask(action: Any, problem: str | None) -> Any:
        asked.append((action.action, problem, window.draft))
        return typed if len(asked) < 3 else None

    window.ask_transition = ask
    window.perform_action(
        next(a for a in window.detail.detail.actions if a.action == "withdraw")  # type: ignore[union-attr]
    )
    assert asked[1][1] is not None and "changed by ada.smith" in asked[1][1]
    assert "What you typed is kept" in asked[1][1]
    # The form is filled again with the typed reason, and the step offered on the new state.
    assert asked[1][2] == typed
    assert _stage(db, motion_id) == Stage.WITHDRAWN


def test_pane_does_not_offer_filing_an_opposition_awaiting_signoff(
    qtbot: QtBot, window: MainWindow, office: dict[str, list[int]]
) -> None:
    [excluded] = office["excluded"]
    with window.db.unit_of_work() as session:
        set_opposition_needs_signoff(session, True, user="admin")
        decide(session, [excluded], Decision.OPPOSE, reason_code="EXCLUDED", user="ada")
    window.motions_changed([excluded])
    _show_motion(qtbot, window, excluded)
    _detail_is(qtbot, window, Stage.OPPOSED)
    button = window.detail.buttons["file"]
    assert not button.isEnabled() and "sign-off" in button.toolTip()


def test_the_queue_holds_every_motion_waiting_not_the_first_2000(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "warrants.xlsx"
    write_fake_list(path, 2300, seed=11)
    with sqlite_db.unit_of_work(bulk_load=True) as session:
        run_import(session, open_source(path), ImportOptions(), "importer")
    with sqlite_db.unit_of_work() as session:
        screen_motions(session, None, user="screener")
    with sqlite_db.reading() as session:
        waiting = count_queue(session)
        eligible = session.scalar(
            select(func.count())
            .select_from(Motion)
            .where(
                Motion.stage == Stage.SCREENED,
                Motion.screening_result == ScreeningResult.ELIGIBLE,
            )
        )
    assert waiting > 2000
    queue = QueueWidget(sqlite_db)
    qtbot.addWidget(queue)
    wait_until(qtbot, lambda: not queue.runner.busy and queue.model.rowCount() > 0, 60_000)
    assert queue.model.rowCount() == waiting
    assert queue.bulk_button.text() == f"Consent to all {eligible:,} eligible in this view"


def test_bulk_dialog_names_what_changed_between_preview_and_confirm(
    qtbot: QtBot, window: MainWindow, office: dict[str, list[int]]
) -> None:
    db = window.db
    ids = office["eligible"]
    errors: list[str] = []
    window.show_error = errors.append  # type: ignore[method-assign]

    def confirm(_title: str, text: str) -> bool:
        # While the user reads the preview, a colleague opposes one of the motions.
        assert "4 motions will change" in text
        with db.unit_of_work() as session:
            decide(session, ids[:1], Decision.OPPOSE, reason_code="EXCLUDED", user="ada.smith")
        return True

    window.bulk.confirm = confirm
    with qtbot.waitSignal(window.bulk.finished, timeout=20_000):
        window.bulk.start(ids, MoveToStage(Stage.CONSENTED), "policy consent")
    assert _stage(db, ids[0]) == Stage.OPPOSED
    assert {_stage(db, i) for i in ids[1:]} == {Stage.CONSENTED}
    assert len(errors) == 1
    assert "1 left as they were" in errors[0] and "was opposed by ada.smith" in errors[0]
    assert window.bulk.stack.undoText() == "Move to Consented: 3 motions"


def test_f5_refreshes_the_queue_too(
    qtbot: QtBot, window: MainWindow, office: dict[str, list[int]]
) -> None:
    window.watch_timer.stop()  # only F5 may tell the views here
    queue = _queue(qtbot, window)
    first = office["eligible"][0]
    with window.db.unit_of_work() as session:
        decide(session, [first], Decision.CONSENT, reason_code="POLICY", user="ada.smith")
    assert first in {r.id for r in queue.model.rows}
    qtbot.keyClick(window, Qt.Key.Key_F5)
    wait_until(qtbot, lambda: first not in {r.id for r in queue.model.rows})
