"""The prosecutor's queue driven through its real widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casetracker.decisions.service import decide, set_opposition_needs_signoff
from casetracker.domain.enums import County, Decision, FlagKind, ScreeningResult, Stage
from casetracker.domain.models import Motion
from casetracker.screening.service import screen_motions
from casetracker.services.motions import undo_group
from casetracker.storage.db import Database
from tests.support.motions import make_motion
from tests.ui.helpers import select_row, wait_until
from ui.queue.queue_view import QueueWidget


def office(db: Database) -> dict[str, list[int]]:
    made: dict[str, list[int]] = {"kings": [], "bronx": [], "excluded": []}
    with db.unit_of_work() as session:
        made["kings"] = [make_motion(session, county=County.KINGS) for _ in range(3)]
        made["bronx"] = [make_motion(session, county=County.BRONX) for _ in range(2)]
        made["excluded"] = [make_motion(session, flags=[FlagKind.OPEN_FELONY])]
        screen_motions(session, None, user="screener")
    return made


@pytest.fixture
def open_queue(qtbot: QtBot) -> Iterator[Callable[[Database], QueueWidget]]:
    """Opens the queue once its first load is done; at the end waits for any reload, so no
    job outlives its test."""
    opened: list[QueueWidget] = []

    def make(db: Database) -> QueueWidget:
        widget = QueueWidget(db)
        qtbot.addWidget(widget)
        wait_until(qtbot, lambda: not widget.runner.busy)
        widget.show()
        opened.append(widget)
        return widget

    yield make
    for widget in opened:
        wait_until(qtbot, lambda w=widget: not w.runner.busy, timeout=60_000)


def stages(db: Database) -> dict[int, Stage]:
    with db.unit_of_work() as session:
        return {m.id: m.stage for m in session.scalars(select(Motion))}


def choose(qtbot: QtBot, widget: QueueWidget, combo: Any, value: Any) -> None:
    combo.setCurrentIndex(combo.findData(value))
    wait_until(qtbot, lambda: not widget.runner.busy)


def click_and_wait(qtbot: QtBot, widget: QueueWidget, button: Any) -> list[str]:
    """Click, then wait for the decision and the reload after it; the undo group ids."""
    groups: list[str] = []
    widget.decided.connect(groups.append)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: groups and not widget.runner.busy)
    return groups


def test_queue_shows_oldest_first_with_reasons(
    qtbot: QtBot, sqlite_db: Database, open_queue: Callable[[Database], QueueWidget]
) -> None:
    made = office(sqlite_db)
    widget = open_queue(sqlite_db)
    assert [r.id for r in widget.model.rows] == made["kings"] + made["bronx"] + made["excluded"]
    last = widget.model.index(widget.model.rowCount() - 1, 7)
    assert "open felony" in widget.model.data(last)
    select_row(widget.table, widget.model.rowCount() - 1)
    assert "flag-open-felony" in widget.reasons_view.toPlainText()
    # Headed by the person and the docket, not the motion's number.
    row = widget.model.rows[-1]
    assert widget.reasons_view.toPlainText().startswith(f"{row.person_name} · {row.reference}")


def test_bulk_consent_decides_exactly_the_eligible_motions_in_the_filtered_view(
    qtbot: QtBot, sqlite_db: Database, open_queue: Callable[[Database], QueueWidget]
) -> None:
    made = office(sqlite_db)
    widget = open_queue(sqlite_db)
    asked: list[str] = []

    def confirm(_parent: Any, _title: str, text: str) -> bool:
        asked.append(text)
        return True

    widget.confirm = confirm
    choose(qtbot, widget, widget.county_combo, County.KINGS)
    assert widget.bulk_button.text() == "Consent to all 3 eligible in this view"
    [group] = click_and_wait(qtbot, widget, widget.bulk_button)
    assert len(asked) == 1 and "POLICY" in asked[0]
    assert "all 3 eligible Kings (Brooklyn) motions" in asked[0]
    now = stages(sqlite_db)
    assert {i for i, s in now.items() if s == Stage.CONSENTED} == set(made["kings"])
    # The Kings view now holds only the excluded motion, and nothing left to consent in bulk.
    wait_until(qtbot, lambda: widget.model.rowCount() == 1)
    assert not widget.bulk_button.isEnabled()
    with sqlite_db.unit_of_work() as session:
        undo_group(session, group, user="tester")
    assert {stages(sqlite_db)[i] for i in made["kings"]} == {Stage.SCREENED}


def test_declining_the_confirmation_decides_nothing(
    qtbot: QtBot, sqlite_db: Database, open_queue: Callable[[Database], QueueWidget]
) -> None:
    office(sqlite_db)
    widget = open_queue(sqlite_db)
    asked: list[str] = []
    errors: list[str] = []
    widget.confirm = lambda *_args: asked.append("asked") or False
    widget.show_error = lambda _parent, text: errors.append(text)
    qtbot.mouseClick(widget.bulk_button, Qt.MouseButton.LeftButton)
    # Kings and Bronx motions are shown together: consent to all acts within one county.
    assert not asked and "2 counties" in errors[0] and "Choose one county" in errors[0]
    choose(qtbot, widget, widget.county_combo, County.BRONX)
    qtbot.mouseClick(widget.bulk_button, Qt.MouseButton.LeftButton)
    assert asked == ["asked"]
    assert Stage.CONSENTED not in stages(sqlite_db).values()


def test_decide_selected_with_reason_code_and_note(
    qtbot: QtBot, sqlite_db: Database, open_queue: Callable[[Database], QueueWidget]
) -> None:
    made = office(sqlite_db)
    widget = open_queue(sqlite_db)
    widget.decision_combo.setCurrentIndex(widget.decision_combo.findData(Decision.OPPOSE))
    widget.reason_combo.setCurrentIndex(widget.reason_combo.findData("EXCLUDED"))
    qtbot.keyClicks(widget.note_edit, "open felony in Bronx")
    select_row(widget.table, widget.model.rowCount() - 1)
    click_and_wait(qtbot, widget, widget.decide_button)
    with sqlite_db.unit_of_work() as session:
        motion = session.get(Motion, made["excluded"][0])
        assert motion is not None and motion.stage == Stage.OPPOSED
        assert (motion.decision_reason_code, motion.decision_note) == (
            "EXCLUDED",
            "open felony in Bronx",
        )


def test_errors_are_shown_and_nothing_is_saved(
    qtbot: QtBot, sqlite_db: Database, open_queue: Callable[[Database], QueueWidget]
) -> None:
    made = office(sqlite_db)
    widget = open_queue(sqlite_db)
    errors: list[str] = []
    widget.show_error = lambda _parent, text: errors.append(text)
    choose(qtbot, widget, widget.result_combo, ScreeningResult.INELIGIBLE)
    select_row(widget.table, 0)
    assert widget.decision_combo.currentData() == Decision.CONSENT
    qtbot.mouseClick(widget.decide_button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: errors and not widget.runner.busy)
    assert "a note saying why" in errors[0]
    assert stages(sqlite_db)[made["excluded"][0]] == Stage.SCREENED


def test_supervisor_signs_off_from_the_queue(
    qtbot: QtBot, sqlite_db: Database, open_queue: Callable[[Database], QueueWidget]
) -> None:
    made = office(sqlite_db)
    with sqlite_db.unit_of_work() as session:
        set_opposition_needs_signoff(session, True, user="admin")
        decide(session, made["excluded"], Decision.OPPOSE, reason_code="EXCLUDED", user="ada")
    widget = open_queue(sqlite_db)
    qtbot.mouseClick(widget.signoff_check, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: not widget.runner.busy)
    assert [r.id for r in widget.model.rows] == made["excluded"]
    assert widget.signoff_button.isVisible() and not widget.bulk_button.isEnabled()
    select_row(widget.table, 0)
    click_and_wait(qtbot, widget, widget.signoff_button)
    with sqlite_db.unit_of_work() as session:
        motion = session.get(Motion, made["excluded"][0])
        assert motion is not None and motion.supervisor_signoff_by == "tester"
