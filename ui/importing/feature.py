"""Plugs the import wizard into the main window: File > Import, the welcome button, and
dropping a spreadsheet on the window; and File > Past imports, where an import is undone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent

if TYPE_CHECKING:
    from ui.importing.batches_dialog import PastImportsDialog
    from ui.importing.wizard import ImportWizard
    from ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    opener = WizardOpener(window)
    window.import_opener = opener  # type: ignore[attr-defined]
    window.start_import = opener.open  # type: ignore[method-assign, assignment]
    # The window connected its own placeholder before features were installed.
    window.welcome.import_requested.disconnect()
    window.welcome.import_requested.connect(opener.open)
    window.import_action.triggered.disconnect()
    window.import_action.triggered.connect(opener.open)
    window.setAcceptDrops(True)
    window.installEventFilter(opener)
    window.past_imports = PastImportsOpener(window)  # type: ignore[attr-defined]


def dropped_spreadsheet(event: QDragEnterEvent | QDropEvent) -> Path | None:
    # The reader (and its spreadsheet libraries) loads on the first drop, not at start.
    from casetracker.importing.reader import SUFFIXES

    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in SUFFIXES:
                return path
    return None


class WizardOpener(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.wizard: ImportWizard | None = None

    def open(self, path: Path | None = None) -> ImportWizard:
        if not isinstance(path, Path):
            path = None  # a button's `checked` argument
        # Loaded on first use: the wizard and its readers would slow every start-up.
        from ui.importing.wizard import ImportWizard

        wizard = ImportWizard(self.window.db, self.window, path)
        wizard.imported.connect(self._imported)
        wizard.open_motion.connect(self._open_motion)
        wizard.open_person.connect(self._open_person)
        self.wizard = wizard
        if path is not None:
            wizard.file_page.validatePage()
            wizard.show()
            wizard.next()
        else:
            wizard.show()
        return wizard

    def _imported(self, _batch_id: object) -> None:
        self.window.refresh()
        # The wizard is not modal: an import can end while Past imports is open.
        past: PastImportsOpener | None = getattr(self.window, "past_imports", None)
        if past is not None and past.dialog is not None and past.dialog.isVisible():
            past.dialog.load()

    def _open_motion(self, motion_id: int) -> None:
        self.window.select_motion(motion_id)
        self.window.raise_()
        self.window.activateWindow()

    def _open_person(self, person_id: int) -> None:
        records = getattr(self.window, "record_editor", None)
        if records is not None:
            records.edit_person(person_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DragEnter and isinstance(event, QDragEnterEvent):
            if dropped_spreadsheet(event) is not None:
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop and isinstance(event, QDropEvent):
            path = dropped_spreadsheet(event)
            if path is not None:
                event.acceptProposedAction()
                self.open(path)
                return True
        return super().eventFilter(watched, event)


class PastImportsOpener(QObject):
    """File > Past imports…, just below File > Import."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: PastImportsDialog | None = None
        self.action = QAction("&Past imports…", window)
        self.action.triggered.connect(self.open)
        menu = window.menus["file"]
        actions = menu.actions()
        after = actions.index(window.import_action) + 1 if window.import_action in actions else 0
        if 0 < after < len(actions):
            menu.insertAction(actions[after], self.action)
        else:
            menu.addAction(self.action)

    def open(self) -> PastImportsDialog:
        # Loaded on first use, like the wizard: start-up does not pay for it.
        from ui.importing.batches_dialog import PastImportsDialog

        if self.dialog is None:
            self.dialog = PastImportsDialog(self.window.db, self.window)
            self.dialog.undone.connect(self._undone)
        else:
            self.dialog.load()
        self.dialog.open()
        return self.dialog

    def _undone(self, _batch_id: int) -> None:
        self.window.refresh()
