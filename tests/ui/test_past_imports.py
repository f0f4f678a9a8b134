"""File > Past imports: the batches are listed, an import whose motions have been worked on
cannot be undone (and says why), and a confirmed undo withdraws its motions."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casetracker.devtools.fakelist import write_fake_list
from casetracker.domain.enums import Stage
from casetracker.domain.models import Motion
from casetracker.services.motions import advance
from casetracker.storage.db import Database
from tests.importing.test_import import do_import
from tests.ui.helpers import select_row
from ui.importing.batches_dialog import MOTIONS, STATUS, WORKED_ON, PastImportsDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _import(db: Database, tmp_path: Path, name: str, rows: int, seed: int) -> int:
    path = tmp_path / name
    write_fake_list(path, rows, seed=seed)
    batch_id = do_import(db, path).batch_id
    assert batch_id is not None
    return batch_id


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def _dialog(qtbot: QtBot, db: Database) -> PastImportsDialog:
    dialog = PastImportsDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _cell(dialog: PastImportsDialog, row: int, column: int) -> str:
    return str(dialog.model.index(row, column).data())


def test_file_menu_opens_the_list_of_past_imports(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    older = _import(sqlite_db, tmp_path, "warrants.xlsx", 60, seed=1)
    newer = _import(sqlite_db, tmp_path, "more_warrants.xlsx", 30, seed=2)
    window = _window(qtbot, sqlite_db)
    texts = [action.text() for action in window.menus["file"].actions()]
    assert texts.index("&Past imports…") == texts.index("&Import spreadsheet…") + 1
    opener = window.past_imports  # type: ignore[attr-defined]
    opener.action.trigger()
    dialog = opener.dialog
    assert isinstance(dialog, PastImportsDialog) and dialog.isVisible()
    qtmodeltester.check(dialog.model)
    assert [batch.id for batch in dialog.model.rows] == [newer, older]
    assert _cell(dialog, 1, 1) == "warrants.xlsx"
    assert _cell(dialog, 1, STATUS) == "Active" and _cell(dialog, 1, WORKED_ON) == "0"
    assert int(_cell(dialog, 1, MOTIONS).replace(",", "")) == dialog.model.rows[1].motions > 0
    assert dialog.selected() is dialog.model.rows[0]  # the newest, ready to act on
    assert dialog.undo_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_undo_is_disabled_once_a_motion_has_been_worked_on(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    _import(sqlite_db, tmp_path, "warrants.xlsx", 60, seed=1)
    with sqlite_db.unit_of_work() as session:
        first = session.scalars(select(Motion.id).order_by(Motion.id).limit(1)).one()
        advance(session, first, Stage.VERIFIED, reason="checked", user="clerk")
    dialog = _dialog(qtbot, sqlite_db)
    assert _cell(dialog, 0, WORKED_ON) == "1"
    assert not dialog.undo_button.isEnabled()
    assert "1 of its" in dialog.undo_button.toolTip()
    assert "has been worked on" in dialog.undo_button.toolTip()


def test_confirmed_undo_withdraws_the_motions(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch_id = _import(sqlite_db, tmp_path, "warrants.xlsx", 60, seed=1)
    asked: list[str] = []

    def say_yes(_parent: QWidget, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", say_yes)
    window = _window(qtbot, sqlite_db)
    refreshed: list[bool] = []
    real_refresh = window.refresh

    def refresh() -> None:
        refreshed.append(True)
        real_refresh()

    monkeypatch.setattr(window, "refresh", refresh)
    dialog = window.past_imports.open()  # type: ignore[attr-defined]
    errors: list[str] = []
    monkeypatch.setattr(dialog, "show_error", errors.append)  # a failure must not hang the test
    motions = dialog.model.rows[0].motions
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert errors == []

    assert asked == [
        f"Withdraw the {motions:,} motions imported from warrants.xlsx? "
        "Their history keeps a record of the undo."
    ]
    with sqlite_db.unit_of_work() as session:
        stages = set(
            session.scalars(select(Motion.stage).where(Motion.import_batch_id == batch_id))
        )
    assert stages == {Stage.WITHDRAWN}
    assert _cell(dialog, 0, STATUS).startswith("Undone by tester on ")
    assert _cell(dialog, 0, WORKED_ON) == "—"
    assert not dialog.undo_button.isEnabled()
    assert "already undone by tester" in dialog.undo_button.toolTip()
    assert (
        dialog.message.text() == f"Import batch {batch_id} undone: {motions:,} motions withdrawn."
    )
    assert refreshed == [True]


def test_a_refused_undo_is_explained_and_the_list_reread(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(sqlite_db, tmp_path, "warrants.xlsx", 60, seed=1)
    dialog = _dialog(qtbot, sqlite_db)
    select_row(dialog.table, 0)
    assert dialog.undo_button.isEnabled()
    # Someone else moves a motion on after the list was read.
    with sqlite_db.unit_of_work() as session:
        first = session.scalars(select(Motion.id).order_by(Motion.id).limit(1)).one()
        advance(session, first, Stage.VERIFIED, reason="checked", user="clerk")
    errors: list[str] = []
    monkeypatch.setattr(dialog, "confirm", lambda _text: True)
    monkeypatch.setattr(dialog, "show_error", errors.append)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert len(errors) == 1 and "cannot be undone" in errors[0]
    assert not dialog.undo_button.isEnabled()
    with sqlite_db.unit_of_work() as session:
        assert Stage.WITHDRAWN not in set(session.scalars(select(Motion.stage)))


def test_declining_the_question_changes_nothing(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(sqlite_db, tmp_path, "warrants.xlsx", 60, seed=1)
    dialog = _dialog(qtbot, sqlite_db)
    monkeypatch.setattr(dialog, "confirm", lambda _text: False)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert _cell(dialog, 0, STATUS) == "Active" and dialog.undo_button.isEnabled()
    with sqlite_db.unit_of_work() as session:
        assert set(session.scalars(select(Motion.stage))) == {Stage.INTAKE}


def test_refresh_shows_an_import_made_elsewhere_meanwhile(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    first = _import(sqlite_db, tmp_path, "warrants.xlsx", 40, seed=1)
    dialog = _dialog(qtbot, sqlite_db)
    assert [batch.id for batch in dialog.model.rows] == [first]
    # Another user (another connection) imports while the list is open.
    later = _import(sqlite_db, tmp_path, "more_warrants.xlsx", 20, seed=2)
    assert [batch.id for batch in dialog.model.rows] == [first]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F5)
    # A button's shortcut presses it visibly, so the click comes a moment later.
    qtbot.waitUntil(lambda: [batch.id for batch in dialog.model.rows] == [later, first])
    assert dialog.selected() is dialog.model.rows[1]  # the selection stays where it was


def test_an_import_finished_in_the_wizard_shows_in_an_open_list(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    first = _import(sqlite_db, tmp_path, "warrants.xlsx", 40, seed=1)
    window = _window(qtbot, sqlite_db)
    dialog = window.past_imports.open()  # type: ignore[attr-defined]
    wizard = window.import_opener.open()  # type: ignore[attr-defined]
    qtbot.addWidget(wizard)
    later = _import(sqlite_db, tmp_path, "more_warrants.xlsx", 20, seed=2)
    wizard.imported.emit(later)
    assert [batch.id for batch in dialog.model.rows] == [later, first]
