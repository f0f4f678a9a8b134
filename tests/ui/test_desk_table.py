"""The desk's columns and right-click menu: Stage can never be hidden, hidden columns and their
order come back next time, and the selected motion's moves are one right-click away."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from casetracker.storage.db import Database
from tests.desk_data import add_people
from ui.desk_table import row_menu, take_next_step
from ui.main_window import MainWindow
from ui.motion_table_model import COLUMNS

pytestmark = pytest.mark.gui

KEYS = [k for k, _ in COLUMNS]


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )


def _open(qtbot: QtBot, db: Database) -> MainWindow:
    win = MainWindow(db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.rows_shown, timeout=10000):
        win.show()
    return win


@pytest.fixture
def people(sqlite_db: Database) -> Iterator[Database]:
    add_people(sqlite_db)
    yield sqlite_db


def test_hidden_and_moved_columns_come_back_and_stage_stays(qtbot: QtBot, people: Database) -> None:
    win = _open(qtbot, people)
    prosecutor, stage = KEYS.index("prosecutor"), KEYS.index("stage")
    win.table.setColumnHidden(prosecutor, True)
    win.table.setColumnHidden(stage, True)  # as an old saved layout might have it
    win.table.horizontalHeader().moveSection(KEYS.index("court_date"), 0)
    win.close()

    again = _open(qtbot, people)
    assert again.table.isColumnHidden(prosecutor)
    assert not again.table.isColumnHidden(stage)
    assert again.table.horizontalHeader().logicalIndex(0) == KEYS.index("court_date")
    again.close()


def test_columns_fit_their_headers_the_first_time(qtbot: QtBot, people: Database) -> None:
    win = _open(qtbot, people)
    qtbot.wait(50)  # the sizing waits for the rows to be laid out
    metrics = win.table.horizontalHeader().fontMetrics()
    for column, (_, title) in enumerate(COLUMNS):
        assert win.table.columnWidth(column) >= metrics.horizontalAdvance(title), title
    win.close()


def test_right_click_offers_the_moves_of_the_selected_motion(
    qtbot: QtBot, people: Database
) -> None:
    win = _open(qtbot, people)
    with qtbot.waitSignal(win.detail_shown, timeout=10000):
        win.table.setCurrentIndex(win.model.index(1, 0))
    menu = row_menu(win, win.detail)
    labels = [a.text() for a in menu.actions() if a.text()]
    assert labels[: len(win.detail.buttons)] == [b.text() for b in win.detail.buttons.values()]
    assert "Papers…" in labels
    chosen: list[str] = []
    win.perform_action = lambda action: chosen.append(action.action)  # type: ignore[method-assign]
    win.detail.action_chosen.disconnect()
    win.detail.action_chosen.connect(win.perform_action)
    assert take_next_step(win.detail)
    assert chosen and chosen[0] != "withdraw"
    win.close()


def test_nothing_found_with_a_filter_on_names_the_filter(qtbot: QtBot, people: Database) -> None:
    win = _open(qtbot, people)
    win.filters.show_count(0)
    assert win.count_label.text() == "0 motions"
    win.filters.overdue.setChecked(True)
    win.filters.show_count(0)
    assert win.count_label.text() == "No motions match with these filters on: sealing overdue"
    win.close()


def test_next_step_moves_the_motion_on_not_again_where_it_is() -> None:
    from types import SimpleNamespace

    from casetracker.domain.enums import MotionKind, Stage
    from ui.motion_table_model import next_step

    def step(stage: Stage) -> str:
        row = SimpleNamespace(stage=stage, kind=MotionKind.WARRANT_DISMISSAL)
        return next_step(row)  # type: ignore[arg-type]

    # Re-screening and adjourning stay where the motion is: the next step is the one after.
    assert step(Stage.SCREENED) == "Consent"
    assert step(Stage.CALENDARED) == "Granted"
    assert step(Stage.INTAKE) == "Verify record"
    assert step(Stage.CLOSED) == ""
