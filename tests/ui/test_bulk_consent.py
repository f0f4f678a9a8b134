"""The bulk dialog's consent: motions not screened eligible are listed apart and asked about
separately, with a reason for their history; a decision's reason is a code from the office's
list, as in the queue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casetracker.domain.enums import ScreeningResult, Stage
from casetracker.domain.models import Motion, MotionEvent
from casetracker.services import moves
from casetracker.services.motions import advance
from casetracker.storage.db import Database
from tests.desk_data import add_people
from tests.ui.dialogs import when_dialog
from ui.bulk_actions import ApartDialog
from ui.main_window import MainWindow
from ui.transition_dialog import TransitionDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def screened(sqlite_db: Database) -> dict[str, int]:
    ids = add_people(sqlite_db)
    results = {
        "eligible1": ScreeningResult.ELIGIBLE,
        "eligible2": ScreeningResult.ELIGIBLE,
        "ineligible": ScreeningResult.INELIGIBLE,
        "review": ScreeningResult.NEEDS_REVIEW,
    }
    named = dict(zip([*results, "intake"], ids, strict=True))
    with sqlite_db.unit_of_work() as session:
        for name, result in results.items():
            advance(
                session,
                named[name],
                Stage.SCREENED,
                reason="r",
                user="u",
                values={"screening_result": result},
            )
    return named


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database, screened: dict[str, int]) -> Iterator[MainWindow]:
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.rows_shown, timeout=10_000):
        win.show()
    yield win
    win.close()


def _stages(db: Database) -> dict[int, Stage]:
    with db.reading() as session:
        return {m.id: m.stage for m in session.scalars(select(Motion))}


def _names(db: Database) -> dict[int, str]:
    with db.reading() as session:
        return {m.id: moves.who(m) for m in session.scalars(select(Motion))}


def _choose_policy(dialog: TransitionDialog) -> None:
    assert dialog.code_combo is not None
    # Only the codes that fit a consent are offered, from the office's list.
    offered = [dialog.code_combo.itemData(i) for i in range(dialog.code_combo.count())]
    assert offered == [None, "POLICY", "EXPUNGED-PROCEED", "REVIEWED"]
    dialog.code_combo.setCurrentIndex(dialog.code_combo.findData("POLICY"))
    dialog._accept_if_dates_read()


def _consent_selection(qtbot: QtBot, window: MainWindow) -> list[str]:
    window.table.setFocus()
    window.table.selectAll()
    window.bulk.ask_choice = lambda *_args: "Consented"
    shown: list[str] = []

    def confirm(_title: str, text: str) -> bool:
        shown.append(text)
        return True

    window.bulk.confirm = confirm
    when_dialog(TransitionDialog, _choose_policy)
    return shown


def test_bulk_consent_asks_apart_for_ineligible_and_records_the_reason(
    qtbot: QtBot, window: MainWindow, screened: dict[str, int]
) -> None:
    db = window.db
    names = _names(db)
    shown = _consent_selection(qtbot, window)
    listed: list[str] = []

    def consent_too(dialog: ApartDialog) -> None:
        listed.append(dialog.listing.toPlainText())
        assert not dialog.consent_button.isEnabled()  # not without a reason
        qtbot.keyClicks(dialog.reason, "plea was to PL 221.05; reviewed by hand")
        dialog.consent_button.click()

    when_dialog(ApartDialog, consent_too)
    with qtbot.waitSignal(window.bulk.finished, timeout=10_000):
        window.bulk.move_to_stage()

    # The confirmation names the eligible two by person and docket; the others come apart.
    assert f"{names[screened['eligible1']]}: Screened → Consented" in shown[0]
    assert "2 motions will change" in shown[0]
    assert "2 motions not screened eligible" in shown[0]
    assert names[screened["ineligible"]] not in shown[0]
    assert listed == [
        f"{names[screened['ineligible']]}: screened ineligible\n"
        f"{names[screened['review']]}: screened needs review"
    ]
    stages = _stages(db)
    assert {stages[screened[k]] for k in ("eligible1", "eligible2", "ineligible", "review")} == {
        Stage.CONSENTED
    }
    with db.reading() as session:
        reasons = dict(
            session.execute(
                select(MotionEvent.motion_id, MotionEvent.reason).where(
                    MotionEvent.action == "consent"
                )
            ).all()
        )
        note = session.get_one(Motion, screened["ineligible"]).decision_note
    policy = "Consent: Within office policy (POLICY)"
    assert reasons[screened["eligible1"]] == policy
    assert reasons[screened["ineligible"]] == (
        f"{policy}; although screened ineligible: plea was to PL 221.05; reviewed by hand"
    )
    assert note == "plea was to PL 221.05; reviewed by hand"
    # One action: one undo takes back all four.
    with qtbot.waitSignal(window.bulk.finished, timeout=10_000):
        window.bulk.undo_action.trigger()
    assert {_stages(db)[screened[k]] for k in ("eligible1", "ineligible")} == {Stage.SCREENED}


def test_leaving_them_out_consents_only_to_the_eligible(
    qtbot: QtBot, window: MainWindow, screened: dict[str, int]
) -> None:
    _consent_selection(qtbot, window)
    when_dialog(ApartDialog, lambda dialog: dialog.leave_button.click())
    with qtbot.waitSignal(window.bulk.finished, timeout=10_000):
        window.bulk.move_to_stage()
    stages = _stages(window.db)
    assert stages[screened["eligible1"]] == stages[screened["eligible2"]] == Stage.CONSENTED
    assert stages[screened["ineligible"]] == stages[screened["review"]] == Stage.SCREENED


def test_a_decision_needs_a_reason_from_the_list(qtbot: QtBot, window: MainWindow) -> None:
    from casetracker.services.motion_detail import ActionInfo

    consent = ActionInfo(
        "consent",
        "Move to Consented",
        Stage.CONSENTED,
        (),
        ("decision_reason_code", "decision_note", "assigned_prosecutor"),
        (),
        (),
        {},
    )
    answers: list[Any] = []

    def refuse_then_choose(dialog: TransitionDialog) -> None:
        # The office's first consent code is offered first, as in the queue.
        assert dialog.code_combo.currentData() == "POLICY"
        dialog.code_combo.setCurrentIndex(0)  # "Choose a reason…"
        dialog._accept_if_dates_read()
        answers.append(dialog.error.text())
        dialog.code_combo.setCurrentIndex(dialog.code_combo.findData("REVIEWED"))
        dialog.editors["decision_note"].setText("file read")  # type: ignore[attr-defined]
        dialog._accept_if_dates_read()

    when_dialog(TransitionDialog, refuse_then_choose)
    answer = window.ask_transition(consent, None)
    assert answers == ["Choose a reason from the list."]
    assert answer == (
        "Consent: Reviewed by hand and within policy (REVIEWED) — file read",
        {"decision_reason_code": "REVIEWED", "decision_note": "file read"},
    )
