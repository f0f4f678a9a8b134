"""The eligibility rules as a form: in words, problems said at their field, unsaved edits
not lost to Cancel, and a save that goes through the rules' one way in (permission, audit)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTableWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casetracker.domain.models import AuditEntry
from casetracker.screening.rules import shipped_rules
from casetracker.screening.store import current_rules
from casetracker.storage.db import Database
from ui.screening.rules_editor import RulesEditorDialog, parse_when, when_text

pytestmark = pytest.mark.gui


def _cell(dialog: RulesEditorDialog, section: str, row: int, heading: str) -> QTableWidgetItem:
    table = dialog.tables[section]
    headings = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    item = table.item(row, headings.index(heading))
    assert item is not None
    return item


def _click(qtbot: QtBot, dialog: RulesEditorDialog, button: Any) -> None:
    if not hasattr(button, "click"):
        button = dialog.buttons.button(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def dialog(qtbot: QtBot, sqlite_db: Database) -> Iterator[RulesEditorDialog]:
    editor = RulesEditorDialog(sqlite_db)
    editor.show()
    yield editor
    # Closed here with whatever edits a test left, without the question (pytest-qt would
    # close it before this teardown, and the real question would wait for an answer).
    editor.ask_discard = lambda: True  # type: ignore[method-assign]
    editor.close()
    editor.deleteLater()


def test_the_rules_read_in_words(dialog: RulesEditorDialog) -> None:
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["Coverage", "Exclusions", "Expunged by law", "Other charges"]
    texts = [
        table.horizontalHeaderItem(c).text()
        for table in dialog.tables.values()
        for c in range(table.columnCount())
    ]
    # Every cell but the rule names, which are the office's own names.
    texts += [
        item.text()
        for table in dialog.tables.values()
        for r in range(table.rowCount())
        for c in range(1, table.columnCount())
        if (item := table.item(r, c)) is not None
    ]
    assert texts and not [t for t in texts if re.search(r"\b[a-z]+_[a-z_]+\b", t)]
    assert _cell(dialog, "exclusions", 0, "What it looks for").text() == (
        "Another conviction in list: sex-offenses"
    )
    assert _cell(dialog, "exclusions", 6, "What it looks for").text() == "Sex-offense conviction"
    assert dialog.version.text() == shipped_rules().version
    # Read back unchanged, the form gives the rules it was given.
    assert dialog.document() == {
        **shipped_rules().document,
        "other_charges": dialog.document()["other_charges"],
    }


def test_conditions_in_words_read_back_as_written() -> None:
    when = {"other_conviction_in": "violent-felony-offenses", "within_years": 10}
    text = when_text(when)
    assert text == "Another conviction in list: violent-felony-offenses; Within years: 10"
    assert parse_when(text, "x") == when
    assert parse_when("County one of: Kings (Brooklyn), queens", "x") == {
        "county_in": ["kings", "queens"]
    }


def test_a_problem_is_said_in_words_at_its_field(qtbot: QtBot, dialog: RulesEditorDialog) -> None:
    charges = _cell(dialog, "coverage", 2, "Charges")
    charges.setText("AC 16-118, XYZ")
    _click(qtbot, dialog, dialog.check_button)
    assert dialog.status.text() == (
        "Coverage, rule 3 (warrant-office-summons-offenses), Charges: 'XYZ' is not a charge "
        "(write it like 'PL 221.05'). Nothing was saved."
    )
    table = dialog.tables["coverage"]
    assert (table.currentRow(), table.currentColumn()) == (2, 2)
    charges.setText("AC 16-118")
    what = _cell(dialog, "exclusions", 3, "What it looks for")
    what.setText("Another open felony case: yes; Shoe size: 9")
    _click(qtbot, dialog, dialog.check_button)
    assert dialog.status.text().startswith(
        "Exclusions, rule 4 (exclude-open-felony), What it looks for: 'Shoe size' is not a "
        "condition"
    )
    assert dialog.tabs.currentIndex() == 1
    assert dialog.tables["exclusions"].currentRow() == 3
    what.setText("Another open felony case: yes")
    dialog.effective.line.setText("2019-02-30")
    _click(qtbot, dialog, dialog.check_button)
    assert dialog.status.text().startswith("In force from: ")
    dialog.effective.line.setText("2018-09-01")
    # Saved under the version in force: said at the version, nothing saved.
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
    assert dialog.status.text().startswith("Version: '2018-office-2' is already used")
    assert dialog.isVisible()


def test_cancel_with_unsaved_edits_asks(
    qtbot: QtBot, dialog: RulesEditorDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = [False, True]
    asked: list[bool] = []

    def ask() -> bool:
        asked.append(True)
        return answers.pop(0)

    monkeypatch.setattr(dialog, "ask_discard", ask)
    _cell(dialog, "coverage", 0, "Why (shown with each result)").setText("changed")
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    assert asked == [True] and dialog.isVisible()  # "keep editing": the edit is still there
    assert _cell(dialog, "coverage", 0, "Why (shown with each result)").text() == "changed"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [True, True] and not dialog.isVisible()


def test_cancel_without_edits_does_not_ask(
    qtbot: QtBot, dialog: RulesEditorDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialog, "ask_discard", lambda: pytest.fail("asked without edits"))
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    assert not dialog.isVisible()


def test_saving_a_new_version_records_before_and_after(
    qtbot: QtBot, dialog: RulesEditorDialog, sqlite_db: Database
) -> None:
    dialog.version.setText("2019-office-3")
    dialog.add_row(
        "exclusions",
        {
            "id": "exclude-recent-violent",
            "check": "when",
            "what": "Another conviction in list: violent-felony-offenses; Within years: 10",
            "effect": "needs_review",
            "because": "a recent violent-felony conviction is for a prosecutor to review",
        },
    )
    qtbot.keyClicks(dialog.note_edit, "recent violent felonies reviewed")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        _click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
    assert saved.args == ["2019-office-3"] and not dialog.isVisible()
    with sqlite_db.reading() as session:
        rules = current_rules(session)
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert rules.version == "2019-office-3"
    added = rules.exclusions[-1]
    assert added.id == "exclude-recent-violent" and added.when is not None
    assert added.when.within_years == 10 and added.effect.value == "needs_review"
    assert entry is not None and entry.user == "tester"
    detail = entry.detail
    assert detail["before"]["version"] == shipped_rules().version
    assert detail["after"]["version"] == "2019-office-3"
    assert len(detail["after"]["rules"]["exclusions"]) == len(shipped_rules().exclusions) + 1
