"""Papers… in the window: from the detail pane and from the court lists view, in the
background with progress and Cancel; and the office's templates in Office settings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from casetracker.documents.pdf import find_soffice
from casetracker.documents.service import Generated
from casetracker.documents.templates import KINDS_BY_NAME, current_template
from casetracker.domain.models import PaperGeneration, PaperTemplate
from casetracker.storage.db import Database
from tests.documents.papers_data import docx_text, make_consented, make_list
from tests.ui.helpers import select_row, wait_until
from ui.court_lists.court_lists_view import CourtListsWidget
from ui.main_window import MainWindow
from ui.office_settings import OfficeSettingsDialog

pytestmark = pytest.mark.gui


def _quiet(maker: object, out: Path, done: list[Generated], errors: list[str]) -> None:
    maker.ask_output = lambda _w, _name: out  # type: ignore[attr-defined]
    maker.show_done = done.append  # type: ignore[attr-defined]
    maker.show_error = lambda _w, text: errors.append(text)  # type: ignore[attr-defined]


def test_papers_button_in_the_detail_pane(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    [motion, *_] = make_consented(sqlite_db)
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    wait_until(qtbot, lambda: window.model.rowCount() == 3)
    assert not window.detail.papers_button.isEnabled()
    window.select_motion(motion.motion_id)
    wait_until(qtbot, lambda: window.detail.detail is not None)
    done: list[Generated] = []
    errors: list[str] = []
    out = tmp_path / "motion.docx"
    _quiet(window.papers.maker, out, done, errors)  # type: ignore[attr-defined]
    assert window.detail.papers_button.isEnabled()
    while window.detail.detail.motion_id != motion.motion_id:  # type: ignore[union-attr]
        qtbot.wait(50)
    qtbot.mouseClick(window.detail.papers_button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: done or errors)
    assert errors == []
    assert "Zoë O'Brien-Núñez" in docx_text(out)
    # Named as people know the motion, not by its row number.
    said = window.statusBar().currentMessage()
    assert said.startswith("Papers for O'Brien-Núñez, Zoë"), said
    # The motion's history, re-read after the change, shows the papers.
    wait_until(
        qtbot,
        lambda: any(h.action == "papers" for h in window.detail.detail.history),  # type: ignore[union-attr]
    )


def test_papers_for_a_court_list_and_cancel_while_the_pdf_is_made(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    made = make_consented(sqlite_db)
    make_list(sqlite_db, [m.motion_id for m in made])
    view = CourtListsWidget(sqlite_db)
    qtbot.addWidget(view)
    view.show()
    wait_until(qtbot, lambda: view.model.rowCount() == 1)
    select_row(view.table, 0)
    done: list[Generated] = []
    errors: list[str] = []
    out = tmp_path / "list.docx"
    _quiet(view.papers, out, done, errors)
    qtbot.mouseClick(view.papers_button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: done or errors)
    assert errors == [] and len(done[0].motion_ids) == 3
    assert "D'Angelo, José" in docx_text(out)
    assert "Index No." not in docx_text(out)

    asked: list[tuple[object, ...]] = []
    view.ask_numbers = lambda *a: asked.append(a) or ("70123/2026", "9")
    qtbot.mouseClick(view.numbers_button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: "index no. 70123/2026" in view.status.text())
    assert asked[0][1:] == ("court list 1", None, None)
    qtbot.mouseClick(view.papers_button, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: len(done) == 2 or errors)
    assert "Index No. 70123/2026" in docx_text(out) and "Calendar No. 9" in docx_text(out)

    if find_soffice() is None:
        pytest.skip("LibreOffice is not installed: no PDF to cancel")
    pdf = tmp_path / "list.pdf"
    _quiet(view.papers, pdf, done, errors)
    qtbot.mouseClick(view.papers_button, Qt.MouseButton.LeftButton)
    job = view.papers.runner.jobs[0]
    assert job.dialog is not None
    wait_until(qtbot, lambda: "PDF" in job.dialog.labelText())  # type: ignore[union-attr]
    cancel = job.dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    wait_until(qtbot, lambda: not view.papers.busy)
    assert len(done) == 2 and errors == []
    assert not pdf.exists() and [p.name for p in tmp_path.iterdir() if "list" in p.name] == [
        "list.docx"
    ]
    with sqlite_db.reading() as session:
        assert len(session.scalars(select(PaperGeneration)).all()) == 2


def _docx(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_office_settings_replace_refuse_and_restore_a_template(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    dialog = OfficeSettingsDialog(sqlite_db)
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.templates
    opened: list[Path] = []
    box.open_file = opened.append
    asked: list[str] = []
    box.confirm = lambda _w, _title, text: asked.append(text) or True
    assert box.table.item(2, 1).text() == "Shipped default"
    select_row(box.table, 2)  # the proposed order

    bad = tmp_path / "bad.docx"
    bad.write_bytes(_docx("SO ORDERED {{ judge_name }} {{ case.reference }}"))
    box.ask_open = lambda _w, _title: str(bad)
    qtbot.mouseClick(box.replace_button, Qt.MouseButton.LeftButton)
    message = box.message.text()
    assert message.startswith("Not accepted.") and "judge_name" in message
    assert "court.judge_line" in message  # the fields there are
    assert asked == [] and opened == []

    good = tmp_path / "ours.docx"
    good.write_bytes(
        _docx("SO ORDERED for {{ person.name }}, {{ case.label }} {{ case.reference }}")
    )
    box.ask_open = lambda _w, _title: str(good)
    qtbot.mouseClick(box.replace_button, Qt.MouseButton.LeftButton)
    assert "passed the check" in asked[0]
    [sample] = opened
    assert "SO ORDERED for Zoë O'Brien-Núñez" in docx_text(sample)
    assert box.table.item(2, 1).text().startswith("Office: ours.docx")
    with sqlite_db.reading() as session:
        assert (
            current_template(session, KINDS_BY_NAME["proposed_order"]).content == good.read_bytes()
        )

    copy = tmp_path / "copy.docx"
    box.ask_save = lambda _w, _name: str(copy)
    qtbot.mouseClick(box.open_button, Qt.MouseButton.LeftButton)
    assert copy.read_bytes() == good.read_bytes() and opened[-1] == copy

    qtbot.mouseClick(box.restore_button, Qt.MouseButton.LeftButton)
    assert box.table.item(2, 1).text() == "Shipped default"
    with sqlite_db.reading() as session:
        assert len(session.scalars(select(PaperTemplate)).all()) == 2
    dialog.close()
    assert not sample.exists()  # the sample goes with the dialog
