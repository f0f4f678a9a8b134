"""Office settings in the window: the policy saves for everyone, reason codes are added and
retired, and a bad value is explained without saving anything."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from casetracker.courtlists.service import court_list_max
from casetracker.decisions.reason_codes import list_reason_codes
from casetracker.domain.enums import Decision
from casetracker.storage.db import Database
from casetracker.storage.settings import workflow_settings
from ui.office_settings import OfficeSettingsDialog


def _dialog(qtbot: QtBot, db: Database) -> OfficeSettingsDialog:
    dialog = OfficeSettingsDialog(db)
    # Closing with unsaved changes asks; at teardown the answer is "discard".
    dialog.confirm_discard = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_policy_settings_are_saved_together(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _dialog(qtbot, sqlite_db)
    assert dialog.sealing_days.value() == 90
    dialog.sealing_days.setValue(60)
    dialog.list_max.setValue(40)
    qtbot.mouseClick(dialog.signoff, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("Saved")
    with sqlite_db.unit_of_work() as session:
        settings = workflow_settings(session)
        assert settings.sealing_days == 60 and settings.opposition_needs_signoff
        assert court_list_max(session) == 40


def test_reason_codes_are_added_and_retired(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _dialog(qtbot, sqlite_db)
    defaults = dialog.codes.rowCount()
    qtbot.keyClicks(dialog.new_code, "lab-error")
    qtbot.keyClicks(dialog.new_label, "Lab report contradicts the charge")
    dialog.new_for.setCurrentIndex(dialog.new_for.findData(Decision.CONSENT))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.codes.rowCount() == defaults + 1
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with sqlite_db.unit_of_work() as session:
        consent_codes = {c.code for c in list_reason_codes(session, Decision.CONSENT)}
    assert "LAB-ERROR" in consent_codes

    dialog.codes.selectRow(dialog.codes.rowCount() - 1)
    qtbot.mouseClick(dialog.retire_button, Qt.MouseButton.LeftButton)
    assert "LAB-ERROR will be retired" in dialog.message.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with sqlite_db.unit_of_work() as session:
        assert "LAB-ERROR" not in {c.code for c in list_reason_codes(session)}
    row = next(
        r for r in range(dialog.codes.rowCount()) if dialog.codes.item(r, 0).text() == "LAB-ERROR"
    )
    assert dialog.codes.item(row, 3).text() == "Retired"

    dialog.codes.selectRow(row)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with sqlite_db.unit_of_work() as session:
        assert "LAB-ERROR" in {c.code for c in list_reason_codes(session)}


def test_closing_without_saving_changes_nothing(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _dialog(qtbot, sqlite_db)
    asked: list[bool] = []
    dialog.confirm_discard = lambda: asked.append(True) or True  # type: ignore[method-assign]
    dialog.codes.selectRow(0)
    code = dialog.codes.item(0, 0).text()
    qtbot.mouseClick(dialog.retire_button, Qt.MouseButton.LeftButton)
    dialog.sealing_days.setValue(30)
    dialog.reject()
    assert asked == [True]
    with sqlite_db.unit_of_work() as session:
        assert code in {c.code for c in list_reason_codes(session)}
        assert workflow_settings(session).sealing_days == 90


def test_a_bad_code_is_explained_and_nothing_is_added(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _dialog(qtbot, sqlite_db)
    before = dialog.codes.rowCount()
    qtbot.keyClicks(dialog.new_code, "no spaces allowed")
    qtbot.keyClicks(dialog.new_label, "x")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "must be up to 40 capital letters" in dialog.message.text()
    assert dialog.codes.rowCount() == before
