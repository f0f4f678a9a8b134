"""The desk driven through its real widgets: search, filter, sort, open, move, intake, bulk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casetracker.domain.enums import Stage
from casetracker.domain.models import Motion, MotionEvent
from casetracker.services.queries import MotionRow
from casetracker.storage.db import Database
from tests.desk_data import add_people
from ui.main_window import MainWindow
from ui.motion_table_model import COLUMNS, MotionTableModel

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database) -> Iterator[MainWindow]:
    add_people(sqlite_db)
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.rows_shown, timeout=5000):
        win.show()
    yield win
    win.close()


def _names(win: MainWindow) -> list[str]:
    column = [k for k, _ in COLUMNS].index("person")
    return [win.model.index(r, column).data() for r in range(win.model.rowCount())]


def _type_search(qtbot: QtBot, win: MainWindow, text: str) -> None:
    with qtbot.waitSignal(win.rows_shown, timeout=5000):
        qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(win.filters.search, text)


def test_model_passes_qtmodeltester(qtmodeltester: Any, sqlite_db: Database) -> None:
    ids = add_people(sqlite_db)
    from casetracker.services.desk import rows_for

    def load(page: Any) -> dict[int, MotionRow]:
        with sqlite_db.unit_of_work() as session:
            return rows_for(session, page)

    model = MotionTableModel(load)
    model.set_ids(ids)
    qtmodeltester.check(model)
    model.set_ids(ids[:2])
    qtmodeltester.check(model)


@pytest.mark.parametrize("asked", [[31, 7], [31, 7, 99, 12, 40, 3, 18]])
def test_the_rows_of_motions_shown_are_found_few_or_many(asked: list[int]) -> None:
    # Few are looked up one by one, many in one pass: the same answer, and motions not
    # shown are left out.
    model = MotionTableModel()
    model.set_ids([40, 3, 31, 12, 7, 18])
    expected = {40: 0, 3: 1, 31: 2, 12: 3, 7: 4, 18: 5}
    assert model.rows_of(asked) == {m: expected[m] for m in asked if m in expected}
    assert model.row_of(99) == -1


def test_typing_narrows_the_table_and_shows_the_count(qtbot: QtBot, window: MainWindow) -> None:
    assert window.model.rowCount() == 5
    assert window.filters.count.text() == "5 motions"
    _type_search(qtbot, window, "smith")
    assert _names(window) == ["Smith, John", "Smithers, Ann"]
    assert window.filters.count.text() == "2 motions"
    assert window.current_motion_filter()[1] == "smith"
    with qtbot.waitSignal(window.rows_shown, timeout=5000):
        window.filters.search.clear()
    _type_search(qtbot, window, "1234567")
    assert _names(window) == ["Núñez, José"]


def test_filter_and_header_click_sort(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.rows_shown, timeout=5000):
        window.filters.county.setCurrentIndex(window.filters.county.findText("Queens"))
    assert _names(window) == ["O'Brien, Kate"]
    with qtbot.waitSignal(window.rows_shown, timeout=5000):
        window.filters.county.setCurrentIndex(0)
    header = window.table.horizontalHeader()
    with qtbot.waitSignal(window.rows_shown, timeout=5000):
        qtbot.mouseClick(
            header.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(header.sectionViewportPosition(0) + 5, 5),
        )
    assert _names(window)[0] == "Smithers, Ann"  # person column, now descending


def _open_first(qtbot: QtBot, win: MainWindow) -> None:
    win.table.setFocus()
    rect = win.table.visualRect(win.model.index(0, 0))
    with qtbot.waitSignal(win.detail_shown, timeout=5000):
        qtbot.mouseClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_open_a_motion_and_move_it_with_and_without_what_it_needs(
    qtbot: QtBot, window: MainWindow
) -> None:
    _type_search(qtbot, window, "nunez")
    _open_first(qtbot, window)
    detail = window.detail.detail
    assert detail is not None and detail.person_name == "Núñez, José"
    assert "Núñez" in window.detail.text.toPlainText()
    # Exactly the moves allowed from Intake for a warrant: verify, screen, withdraw.
    assert set(window.detail.buttons) == {"verify", "screen", "withdraw"}

    # Screen runs the rules: nobody types a result; the dialog shows it before it is saved.
    window.ask_transition = lambda *_args: pytest.fail("screening asked for a typed result")
    qtbot.mouseClick(window.detail.buttons["screen"], Qt.MouseButton.LeftButton)
    dialog = window.screening.screen_dialog  # type: ignore[attr-defined]
    assert dialog.outcome is not None
    shown = dialog.outcome.result
    assert shown.label in dialog.result_view.toPlainText()
    with qtbot.waitSignal(window.detail_shown, timeout=5000):
        dialog.save_button.click()
    with window.db.unit_of_work() as session:
        motion = session.get(Motion, detail.motion_id)
        assert motion is not None and motion.stage == Stage.SCREENED
        assert motion.screening_result == shown and motion.screening_reasons
    assert window.detail.detail is not None
    assert window.detail.detail.stage == Stage.SCREENED
    assert "consent" in window.detail.buttons


def test_intake_shows_who_is_already_on_file_and_keeps_the_event(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.intake_form
    qtbot.keyClicks(form.defense_org, "Legal Aid Society")
    with qtbot.waitSignal(form.lookup.answered, timeout=5000):
        qtbot.keyClicks(form.last, "Smith")
        qtbot.keyClicks(form.first, "John")
        qtbot.keyClicks(form.dob, "1/2/1975")
    assert form.match_list.count() >= 1
    first = form.match_list.item(0).text()
    assert "Smith, John" in first and "same name and date of birth" in first
    assert "2015KN000123" in first and "open warrant" in first
    # Pick the match and add a second case to the same person.
    form.match_list.setCurrentRow(0)
    qtbot.keyClick(form.match_list, Qt.Key.Key_Return)
    qtbot.keyClicks(form.docket, "2019KN000001")
    qtbot.keyClicks(form.charges, "PL 221.10")
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args[0].created_person is False
    assert form.last.text() == "" and form.defense_org.text() == "Legal Aid Society"
    # Without a docket or summons the form says why and keeps what was typed.
    qtbot.keyClicks(form.last, "Newperson")
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "docket or summons" in form.error.text() and form.last.text() == "Newperson"
    form.close()


def test_bulk_assign_confirms_once_and_one_undo_reverses_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.table.setFocus()
    window.table.selectAll()
    assert len(window.selected_motion_ids()) == 5
    shown: list[str] = []
    window.bulk.ask_choice = lambda *_args: "ada.one"
    window.ask_transition = lambda *_args: ("new caseload", {})

    def confirm(title: str, text: str) -> bool:
        shown.append(text)
        return True

    window.bulk.confirm = confirm
    with qtbot.waitSignal(window.bulk.finished, timeout=5000):
        window.bulk.assign_prosecutor()
    assert len(shown) == 1 and "5 motions will change" in shown[0]
    with window.db.unit_of_work() as session:
        assert set(session.scalars(select(Motion.assigned_prosecutor))) == {"ada.one"}
    with qtbot.waitSignal(window.bulk.finished, timeout=5000):
        qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with window.db.unit_of_work() as session:
        assert set(session.scalars(select(Motion.assigned_prosecutor))) == {None}
        actions = session.scalars(select(MotionEvent.action)).all()
        assert actions.count("assign") == 5 and actions.count("undo") == 5
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    with qtbot.waitSignal(window.bulk.finished, timeout=5000):
        qtbot.keyClick(window.table, Qt.Key.Key_Z, redo)
    with window.db.unit_of_work() as session:
        assert set(session.scalars(select(Motion.assigned_prosecutor))) == {"ada.one"}


def test_empty_database_shows_the_welcome_page(qtbot: QtBot, sqlite_db: Database) -> None:
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.rows_shown, timeout=5000):
        win.show()
    assert win.stack.currentWidget() is win.welcome


def test_refused_undo_leaves_the_undo_stack_where_the_data_is(
    qtbot: QtBot, window: MainWindow
) -> None:
    from casetracker.services.motions import change_fields

    window.table.setFocus()
    window.table.selectAll()
    window.bulk.ask_choice = lambda *_args: "ada.one"
    window.ask_transition = lambda *_args: ("new caseload", {})
    window.bulk.confirm = lambda *_args: True
    with qtbot.waitSignal(window.bulk.finished, timeout=5000):
        window.bulk.assign_prosecutor()
    ids = window.selected_motion_ids()
    with window.db.unit_of_work() as session:  # another user changes one motion meanwhile
        change_fields(
            session,
            ids[:1],
            {"assigned_prosecutor": "ada.two"},
            action="assign",
            reason="took it over",
            user="other",
        )
    errors: list[str] = []
    window.show_error = errors.append  # type: ignore[method-assign]
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert "has changed since" in errors[0]
    # Nothing was undone, and the stack still offers the same undo (not a redo of it).
    assert window.bulk.stack.canUndo() and not window.bulk.stack.canRedo()
    with window.db.unit_of_work() as session:
        assert sorted(set(session.scalars(select(Motion.assigned_prosecutor)))) == [
            "ada.one",
            "ada.two",
        ]
