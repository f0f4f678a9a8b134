"""Office settings > Paper templates: which template is in force for each paper, a copy of it
to edit (Open…), putting the office's own in force once it passes the check (Replace…), and
the shipped default back (Restore default)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casetracker.documents.ops import set_template
from casetracker.documents.render import TemplateProblem
from casetracker.documents.templates import (
    PAPER_KINDS,
    PaperKind,
    Template,
    check_template,
    current_templates,
)
from casetracker.domain.errors import CasetrackerError
from casetracker.operations import Actor
from casetracker.services.identity import current_user
from casetracker.storage.db import Database
from ui.file_dialogs import open_file_name, save_file_name
from ui.papers.making import default_folder

WORD = "Word document (*.docx)"


class TemplatesBox(QGroupBox):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("Paper templates", parent)
        self.db = db
        # Replaceable in tests: the file dialogs, the questions and opening a file.
        self.ask_open: Callable[[QWidget, str], str] = lambda w, title: open_file_name(
            w, title, default_folder(), WORD
        )
        self.ask_save: Callable[[QWidget, str], str] = lambda w, name: save_file_name(
            w, "Save a copy of the template", default_folder() / name, WORD
        )
        self.confirm: Callable[[QWidget, str, str], bool] = _confirm
        self.open_file: Callable[[Path], None] = _open_file
        self.templates: dict[str, Template] = {}
        self._samples: list[tempfile.TemporaryDirectory[str]] = []

        self.table = QTableWidget(len(PAPER_KINDS), 3)
        self.table.setHorizontalHeaderLabels(["Paper", "In force", "SHA-256"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName("Paper templates")
        self.open_button = QPushButton("&Open a copy…")
        self.open_button.setToolTip("Save the template in force to a file and open it to edit")
        self.replace_button = QPushButton("Re&place…")
        self.replace_button.setToolTip("Check a .docx and put it in force for the whole office")
        self.restore_button = QPushButton("Restore &default")
        self.message = QLabel(
            "The shipped wording is a draft: have counsel review it before filing."
        )
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.replace_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.open_button.clicked.connect(self.open_copy)
        self.replace_button.clicked.connect(self.replace)
        self.restore_button.clicked.connect(self.restore)
        self.load()
        self.table.selectRow(0)

    def load(self) -> None:
        with self.db.reading() as session:
            self.templates = current_templates(session)
        for row, kind in enumerate(PAPER_KINDS):
            template = self.templates[kind.name]
            source = (
                f"Office: {template.file_name} ({template.saved_by})"
                if template.source == "office"
                else "Shipped default"
            )
            for column, text in enumerate((kind.title, source, template.sha256[:16])):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def selected(self) -> PaperKind:
        rows = self.table.selectionModel().selectedRows()
        return PAPER_KINDS[rows[0].row() if rows else 0]

    def open_copy(self) -> None:
        kind = self.selected()
        template = self.templates[kind.name]
        chosen = self.ask_save(self, f"{kind.name}.docx")
        if not chosen:
            return
        path = Path(chosen)
        try:
            path.write_bytes(template.content)
        except OSError as error:
            self.message.setText(f"Cannot write {path}: {error.strerror}.")
            return
        self.message.setText(
            f"Saved a copy of the {kind.title.lower()} to {path}. Edit it, then Replace… "
            "to put it in force."
        )
        self.open_file(path)

    def replace(self) -> None:
        kind = self.selected()
        chosen = self.ask_open(self, f"Replace the {kind.title.lower()} with")
        if not chosen:
            return
        path = Path(chosen)
        try:
            content = path.read_bytes()
            result = check_template(kind, content, f"'{path.name}'")
        except OSError as error:
            self.message.setText(f"Cannot read {path}: {error.strerror}.")
            return
        except TemplateProblem as problem:
            self.message.setText(f"Not accepted. {problem}")
            return
        sample = self._keep_sample(result.sample, kind)
        self.open_file(sample)
        question = (
            f"'{path.name}' passed the check, and a sample filled with a made-up "
            f"{'list' if kind.subject == 'list' else 'motion'} was opened for you to look at."
            f"\n\nPut it in force as the {kind.title.lower()} for everyone using this database?"
        )
        if not self.confirm(self, "Replace the template", question):
            self.message.setText("Nothing was changed.")
            return
        try:
            set_template(self.db, Actor(current_user()), kind, content, path.name)
        except CasetrackerError as error:
            self.message.setText(str(error))
            return
        self.message.setText(
            f"The {kind.title.lower()} is now '{path.name}' (SHA-256 {result.sha256[:12]})."
        )
        self.load()

    def restore(self) -> None:
        kind = self.selected()
        try:
            set_template(self.db, Actor(current_user()), kind, None)
        except CasetrackerError as error:
            self.message.setText(str(error))
            return
        self.message.setText(f"The {kind.title.lower()} is the shipped default again.")
        self.load()

    def _keep_sample(self, sample: bytes, kind: PaperKind) -> Path:
        """The sample (made-up people only) in a folder removed when the dialog closes."""
        folder = tempfile.TemporaryDirectory(prefix="casetracker-sample-")
        self._samples.append(folder)
        path = Path(folder.name) / f"sample-{kind.name}.docx"
        path.write_bytes(sample)
        return path

    def cleanup(self) -> None:
        for folder in self._samples:
            folder.cleanup()
        self._samples.clear()


def _open_file(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes
