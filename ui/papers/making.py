"""Papers… : choose where to save, then fill, convert and record in the background, with
progress and Cancel; the window stays usable meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from casetracker.operations import Actor
from casetracker.storage.db import Database
from ui.job_runner import JobRunner
from ui.jobs import Cancelled, JobControl
from ui.prompts import warn

# The document engine loads when papers are first made, not while the window starts.
if TYPE_CHECKING:
    from casetracker.documents.service import Generated, Request

_LAST_FOLDER = "papers/last_folder"
WORD = "Word document (*.docx)"
PDF = "PDF (*.pdf)"


def file_stem(text: str) -> str:
    """A suggested file name without the characters Windows refuses in one."""
    return "".join("-" if c in '\\/:*?"<>|' or c.isspace() else c for c in text)


def default_folder() -> Path:
    saved = QSettings().value(_LAST_FOLDER, "")
    folder = Path(str(saved)) if saved else Path.home() / "Documents"
    return folder if folder.is_dir() else Path.home()


def ask_output(parent: QWidget, suggested: str) -> Path | None:
    """The file to write, .docx or .pdf by the name (or the chosen filter), or None."""
    from ui.file_dialogs import save_file_name

    start = default_folder() / f"{suggested}.docx"
    chosen = save_file_name(parent, "Save the papers as", start, f"{WORD};;{PDF}")
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in (".docx", ".pdf"):
        path = path.with_name(path.name + ".docx")
    QSettings().setValue(_LAST_FOLDER, str(path.parent))
    return path


class PapersMaker(QObject):
    """Runs one generation at a time per view; `ask_output`, `show_error`, `show_done` and
    `open_file` are attributes so tests replace them."""

    def __init__(
        self,
        parent: QWidget,
        db: Database,
        actor: Callable[[], Actor],
        on_changes: Callable[[Generated], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.widget = parent
        self.db = db
        self.actor = actor
        self.on_changes = on_changes
        self.runner = JobRunner(parent, self._failed)
        self.ask_output: Callable[[QWidget, str], Path | None] = ask_output
        self.show_error: Callable[[QWidget, str], None] = warn
        self.show_done: Callable[[Generated], None] = self._tell_done
        self.open_file: Callable[[Path], None] = _open_file
        self.last: Generated | None = None

    def make(self, request: Request, suggested: str) -> None:
        from casetracker.documents.pdf import NOT_INSTALLED, ConversionStopped, find_soffice
        from casetracker.documents.service import generate

        out = self.ask_output(self.widget, suggested)
        if out is None:
            return
        if out.suffix.lower() == ".pdf" and find_soffice() is None:
            self.show_error(self.widget, NOT_INSTALLED)
            return
        actor = self.actor()

        def work(control: JobControl) -> Generated:
            try:
                return generate(
                    self.db,
                    request,
                    out,
                    actor,
                    progress=control.report,
                    should_stop=lambda: control.cancelled,
                )
            except ConversionStopped:
                raise Cancelled from None

        self.runner.run(f"Papers for {request.describe()}", work, self._done)

    @property
    def busy(self) -> bool:
        return self.runner.busy

    def _done(self, made: Generated) -> None:
        self.last = made
        if self.on_changes is not None:
            self.on_changes(made)
        self.show_done(made)

    def _tell_done(self, made: Generated) -> None:
        box = QMessageBox(self.widget)
        box.setWindowTitle("Papers saved")
        box.setIcon(QMessageBox.Icon.Information)
        count = len(made.motion_ids)
        box.setText(
            f"Saved {made.path.name}: {'; '.join(made.documents)} for {count:,} "
            f"motion{'' if count == 1 else 's'}.\n\nThe legal wording is the shipped draft "
            "unless your office replaced it: have counsel review it before filing."
        )
        opening = box.addButton("&Open", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is opening:
            self.open_file(made.path)

    def _failed(self, message: str) -> None:
        self.show_error(self.widget, message)


def _open_file(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
