"""The import wizard driven as a person would: pick a file, check sheet and mapping, preview,
import, see the summary; and dropping a file on the window starts it."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QTableWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casetracker.devtools.fakelist import write_fake_list
from casetracker.domain.models import Person
from casetracker.storage.db import Database
from tests.importing.conftest import table_counts
from ui.importing.pages import FilePage
from ui.importing.wizard import ImportWizard
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _window(qtbot: QtBot, db: Database, motions: str = "0 motions") -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.count_label.text() == motions, timeout=10_000)
    return window


def _wizard(window: MainWindow) -> ImportWizard:
    wizard = window.import_opener.wizard  # type: ignore[attr-defined]
    assert isinstance(wizard, ImportWizard)
    return wizard


def _run_through(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.layout_page, timeout=5_000)
    qtbot.waitUntil(wizard.layout_page.isComplete, timeout=15_000)
    assert wizard.layout_page.sheet_combo.currentText() == "Warrants"  # not the read-me sheet
    assert wizard.layout_page.header_spin.value() == 4  # below the title block
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    chosen = set(wizard.mapping_page.choices().values())
    assert {"docket", "full_name", "charge", "date_of_birth", "nysid"} <= chosen
    wizard.next()
    qtbot.waitUntil(wizard.preview_page.isComplete, timeout=15_000)
    assert "to import" in wizard.preview_page.counts.text()
    assert wizard.preview_page.model.rowCount() > 0
    wizard.next()
    qtbot.waitUntil(wizard.result_page.isComplete, timeout=30_000)


def test_import_through_the_wizard(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "list.xlsx"
    stats = write_fake_list(path, 200, seed=13)
    assert stats.error_rows > 0  # so there is an error report to open
    monkeypatch.setattr(FilePage, "choose_file", staticmethod(lambda _parent: str(path)))
    opened: list[Path] = []
    monkeypatch.setattr(ImportWizard, "open_file", staticmethod(opened.append))
    window = _window(qtbot, sqlite_db)
    qtbot.mouseClick(window.welcome.import_button, Qt.MouseButton.LeftButton)
    wizard = _wizard(window)
    qtbot.mouseClick(wizard.file_page.browse, Qt.MouseButton.LeftButton)
    assert wizard.file_page.path_edit.text() == str(path)
    wizard.next()
    _run_through(qtbot, wizard)
    assert wizard.outcome is not None
    assert wizard.outcome.summary["imported"] == stats.unique_cases
    assert wizard.result_page.count_of("Motions created") == stats.unique_cases
    assert wizard.result_page.count_of("Refused") == wizard.outcome.summary["errors"] > 0
    assert table_counts(sqlite_db)["motion"] == stats.unique_cases
    qtbot.mouseClick(wizard.result_page.open_report, Qt.MouseButton.LeftButton)
    assert opened == [wizard.outcome.error_report]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.desk, timeout=10_000)
    wizard.close()


def test_dropping_a_file_on_the_window_starts_the_wizard(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "list.xlsx"
    write_fake_list(path, 50, seed=12)
    window = _window(qtbot, sqlite_db)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    # Through the window system's side, as a real drag arrives: enter, then drop.
    target = window.windowHandle()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Qt's only QPoint constructor
        enter = QDragEnterEvent(
            QPoint(20, 20),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    assert QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    wizard = _wizard(window)
    assert wizard.file_page.path_edit.text() == str(path)
    _run_through(qtbot, wizard)
    assert wizard.outcome is not None and wizard.outcome.summary["imported"] > 0
    wizard.close()


def test_a_column_recognised_by_its_values_is_shown_as_a_guess(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.importing.test_import import write_rows

    path = write_rows(
        tmp_path / "respondents.xlsx",
        [
            ["Docket", "Respondent", "Charge"],
            ["2016KN000001", "RUIZ, ANA M", "PL 221.05"],
            ["2016KN000002", "NGO, ANH", "PL 221.10"],
        ],
        title=False,
    )
    monkeypatch.setattr(FilePage, "choose_file", staticmethod(lambda _parent: str(path)))
    window = _window(qtbot, sqlite_db)
    qtbot.mouseClick(window.welcome.import_button, Qt.MouseButton.LeftButton)
    wizard = _wizard(window)
    qtbot.mouseClick(wizard.file_page.browse, Qt.MouseButton.LeftButton)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.layout_page, timeout=5_000)
    qtbot.waitUntil(wizard.layout_page.isComplete, timeout=15_000)
    wizard.next()
    assert wizard.mapping_page.choices()[1] == "full_name"
    column = wizard.mapping_page.table.item(1, 0)
    assert "by its values" in column.text() and "LAST, FIRST" in column.toolTip()
    wizard.next()
    qtbot.waitUntil(wizard.preview_page.isComplete, timeout=15_000)
    assert "Recognised column 2 ('Respondent') as Name" in wizard.preview_page.counts.text()
    wizard.close()


@pytest.mark.qt_log_ignore(r"This plugin does not support raise")
def test_the_result_page_lists_warnings_and_possible_matches_and_opens_them(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casetracker.importing.plan import ImportOptions
    from casetracker.importing.reader import open_source
    from casetracker.importing.service import run_import
    from tests.importing.test_import import write_rows

    header = ["Docket No.", "Name", "D.O.B.", "Top Charge", "County"]
    on_file = write_rows(
        tmp_path / "first.xlsx",
        [header, ["2016KN000001", "GARCIA LOPEZ, ANA", "7/8/1990", "PL 221.05", "Kings"]],
    )
    with sqlite_db.unit_of_work() as session:
        first = run_import(session, open_source(on_file), ImportOptions(), "tester")
        assert first.plan.counts.people_created == 1
        person_on_file = session.scalar(select(Person.id))
    path = write_rows(
        tmp_path / "second.xlsx",
        [
            header,
            ["2016KN000002", "GARCIA, ANA", "7/8/1990", "PL 221.05", "Kings"],
            ["2016KN000003", "SMITH, JOHN", "3/4/1980", "PL 221.05", "Kings"],
            ["2016KN000004", "SMTIH, JOHN", "3/4/1980", "PL 221.05", "Kings"],
            ["2016KN000005", "NGO, ANH", "1/2/1985", "PL 221.05", "Atlantis"],
            ["2016KN000006", "", "1/2/1985", "", "Kings"],
            ["2016KN000001", "GARCIA LOPEZ, ANA", "7/8/1990", "PL 221.05", "Kings"],
        ],
    )
    opened: list[Path] = []
    monkeypatch.setattr(ImportWizard, "open_file", staticmethod(opened.append))
    window = _window(qtbot, sqlite_db, "1 motion")
    window.import_opener.open(path)  # type: ignore[attr-defined]
    wizard = _wizard(window)
    qtbot.waitUntil(wizard.layout_page.isComplete, timeout=15_000)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(wizard.preview_page.isComplete, timeout=15_000)
    wizard.next()
    page = wizard.result_page
    qtbot.waitUntil(page.isComplete, timeout=30_000)
    assert wizard.outcome is not None
    # The counts as a table, one figure a line.
    assert page.count_of("Motions created") == 4
    assert page.count_of("Already present") == 1
    assert page.count_of("Imported with warnings") == 1
    assert page.count_of("Possible matches") == 2
    assert page.count_of("Refused") == 1
    # Finished: Finish closes; there is no Cancel and no going back.
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    # The warning's row, and a double-click shows its motion in the window.
    assert page.warnings.rowCount() == 1
    assert page.warnings.item(0, 0).text() == "7"
    assert "Atlantis" in page.warnings.item(0, 2).text()
    motions: list[int] = []
    people: list[int] = []
    wizard.open_motion.connect(motions.append)
    wizard.open_person.connect(people.append)
    _double_click(qtbot, page.warnings, 0)
    assert len(motions) == 1
    qtbot.waitUntil(
        lambda: window.detail.detail is not None and window.detail.detail.motion_id == motions[0],
        timeout=10_000,
    )
    assert "NGO" in window.detail.text.toPlainText().upper()
    # The possible matches: one with a person on file, one with another row of the file.
    found = {page.matches.item(r, 0).text(): r for r in range(page.matches.rowCount())}
    assert set(found) == {"4", "6"}
    page.matches.selectRow(found["4"])
    assert page.open_match_button.text().replace("&", "") == "Open the person on file"
    opened_people: list[int] = []
    monkeypatch.setattr(window.record_editor, "edit_person", opened_people.append)  # type: ignore[attr-defined]
    qtbot.mouseClick(page.open_match_button, Qt.MouseButton.LeftButton)
    assert people == [person_on_file] and opened_people == [person_on_file]
    qtbot.mouseClick(page.open_motion_button, Qt.MouseButton.LeftButton)
    assert len(motions) == 2
    page.matches.selectRow(found["6"])
    assert page.open_match_button.text().replace("&", "") == "Open the other row's motion"
    qtbot.mouseClick(page.open_match_button, Qt.MouseButton.LeftButton)
    assert len(motions) == 3 and len(set(motions)) == 3
    # The error report: where it is, opened, or its folder shown.
    report = wizard.outcome.error_report
    assert report is not None and str(report) in page.report_path.text()
    qtbot.mouseClick(page.show_folder, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.open_report, Qt.MouseButton.LeftButton)
    assert opened == [report.parent, report]
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()


def _double_click(qtbot: QtBot, table: QTableWidget, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    # As a person double-clicks: the press that selects, then the double-click.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_file_that_kills_the_reader_leaves_the_window_standing(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read in this process, this file ends it (exit 134): the window reads in a child."""
    from tests.importing.hostile import xlsb_with_cells

    before = table_counts(sqlite_db)
    path = xlsb_with_cells(tmp_path / "corner.xlsb", [(0, 0, "x"), (1_048_575, 16_383, "y")])
    monkeypatch.setattr(FilePage, "choose_file", staticmethod(lambda _parent: str(path)))
    window = _window(qtbot, sqlite_db)
    qtbot.mouseClick(window.welcome.import_button, Qt.MouseButton.LeftButton)
    wizard = _wizard(window)
    qtbot.mouseClick(wizard.file_page.browse, Qt.MouseButton.LeftButton)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.layout_page, timeout=5_000)
    qtbot.waitUntil(lambda: "nothing was read" in wizard.layout_page.status.text(), timeout=30_000)
    assert wizard.layout_page.status.text().startswith("corner.xlsb")
    assert not wizard.layout_page.isComplete()
    assert table_counts(sqlite_db) == before
    wizard.close()
    assert window.isVisible()


def test_a_possible_match_in_a_sealed_record_is_not_named_to_intake(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    """Intake may not see sealed records: a row that may be someone known only through a
    sealed case is listed, with no name or date of birth of the person on file, and the page
    says to ask a supervisor; there is no person to open."""
    from casetracker.accounts.store import add_user
    from casetracker.domain.enums import CourtOutcome
    from casetracker.domain.models import Motion
    from casetracker.importing.plan import ImportOptions
    from casetracker.importing.reader import open_source
    from casetracker.importing.service import run_import
    from casetracker.services.identity import set_signed_in
    from tests.importing.test_import import write_rows

    header = ["Docket No.", "Name", "D.O.B.", "Top Charge", "County"]
    on_file = write_rows(
        tmp_path / "first.xlsx",
        [header, ["2016KN000001", "GARCIA LOPEZ, ANA", "7/8/1990", "PL 221.05", "Kings"]],
    )
    with sqlite_db.unit_of_work() as session:
        run_import(session, open_source(on_file), ImportOptions(), "tester")
    with sqlite_db.unit_of_work() as session:
        for motion in session.query(Motion):
            motion.outcome = CourtOutcome.GRANTED
        add_user(session, None, "ada.admin", "administrator", "plum lantern river 42")
        add_user(session, "ada.admin", "ida.intake", "intake", "plum lantern river 42")
    path = write_rows(
        tmp_path / "second.xlsx",
        [header, ["2016KN000002", "GARCIA, ANA", "7/8/1990", "PL 221.05", "Kings"]],
    )
    set_signed_in("ida.intake", "intake")
    try:
        window = _window(qtbot, sqlite_db, "0 motions")
        window.import_opener.open(path)  # type: ignore[attr-defined]
        wizard = _wizard(window)
        qtbot.waitUntil(wizard.layout_page.isComplete, timeout=15_000)
        wizard.next()
        wizard.next()
        qtbot.waitUntil(wizard.preview_page.isComplete, timeout=15_000)
        assert "1 possible match in a sealed record" in wizard.preview_page.counts.text()
        wizard.next()
        page = wizard.result_page
        qtbot.waitUntil(page.isComplete, timeout=30_000)
        assert page.count_of("Possible matches") == 1
        cells = " ".join(
            page.matches.item(0, c).text()
            for c in range(page.matches.columnCount())
            if page.matches.item(0, c) is not None
        )
        assert "GARCIA LOPEZ" not in cells.upper() and "1990-07-08" in cells  # the row's own
        assert cells.count("1990-07-08") == 1
        assert "sealed record" in cells
        assert "1 possible match in a sealed record: ask a supervisor" in page.matches_label.text()
        page.matches.selectRow(0)
        assert not page.open_match_button.isEnabled()
    finally:
        set_signed_in(None)
