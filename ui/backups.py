"""File > Back up now… and File > Restore…: the window's side of storage.backup/restore."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casetracker.domain.errors import CasetrackerError
from casetracker.storage.backup import BackupFile, list_backups, make_backup
from casetracker.storage.watch import watcher_for
from ui.jobs import JobControl

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    window.backups = BackupActions(window)  # type: ignore[attr-defined]


class BackupActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.backup_action = QAction("&Back up now…", window)
        self.backup_action.triggered.connect(self.back_up)
        self.restore_action = QAction("&Restore…", window)
        self.restore_action.triggered.connect(self.open_restore)
        sqlite = window.db.sqlite_path is not None
        for action in (self.backup_action, self.restore_action):
            action.setEnabled(sqlite)
            if not sqlite:
                action.setToolTip("A shared PostgreSQL database is backed up with pg_dump.")
        menu = window.menus["file"]
        # Above the last separator (Quit), where a user looks for the database's own actions.
        actions = menu.actions()
        separators = [a for a in actions if a.isSeparator()]
        before = separators[-1] if separators else None
        menu.insertSeparator(before) if before is not None else menu.addSeparator()
        for action in (self.backup_action, self.restore_action):
            if before is not None:
                menu.insertAction(before, action)
            else:
                menu.addAction(action)
        self.last_backup: Path | None = None

    def back_up(self) -> None:
        database = self.window.db.sqlite_path
        if database is None:
            return

        def work(_control: JobControl) -> Path:
            return make_backup(database)

        self.window.run_job("Backing up the database", work, self._backed_up)

    def _backed_up(self, path: object) -> None:
        assert isinstance(path, Path)
        self.last_backup = path
        self.window.statusBar().showMessage(f"Backed up to {path}", 15_000)
        QMessageBox.information(self.window, "Backed up", f"The database was backed up to\n{path}")

    def open_restore(self) -> RestoreDialog | None:
        database = self.window.db.sqlite_path
        if database is None:
            return None
        dialog = RestoreDialog(database, self.window)
        dialog.restore_requested.connect(self.restore)
        dialog.open()
        return dialog

    def restore(self, backup: Path) -> bool:
        """Restore `backup`; True when done (the window then closes: everything it shows
        came from the data that was replaced)."""
        from casetracker.storage.restore import restore_backup

        database = self.window.db.sqlite_path
        assert database is not None
        self.window.jobs.cancel_all()
        # The window's background reads hold connections until they finish.
        for query in (self.window.table_query, self.window.detail_query):
            query.wait()
        QThreadPool.globalInstance().waitForDone(10_000)
        # This window's own connections would count as "another window has it open"; the
        # engine opens new ones if the restore is refused and work goes on.
        self.window.db.engine.dispose()
        watching = self.window.watcher is not None
        if watching:
            self.window.watch_timer.stop()
            self.window.watcher.close()  # type: ignore[union-attr]
            self.window.watcher = None
        # A connection dropped but not yet collected (held in a reference cycle) still
        # holds its lock: collect it now.
        gc.collect()
        try:
            kept = restore_backup(database, backup)
        except CasetrackerError as error:
            if watching:
                self.window.watcher = watcher_for(self.window.db.url)
                self.window.watch_timer.start()
            self.window.show_error(str(error))
            return False
        QMessageBox.information(
            self.window,
            "Restored",
            f"The database now holds the backup {backup.name}.\n\nThe data as it was before "
            f"is kept in\n{kept}\n\nCase Tracker closes now; open it again to go on.",
        )
        QApplication.instance().quit()  # type: ignore[union-attr]
        return True


class RestoreDialog(QDialog):
    """The backups beside the database, newest first, with their dates; or another file."""

    restore_requested = Signal(object)

    def __init__(self, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chosen: Path | None = None
        self.database = database
        self.setWindowTitle("Restore a backup")
        self.list = QListWidget()
        self.list.setAccessibleName("Backups")
        note = QLabel(
            "Choose a backup. Everything in the database is replaced by it; what is there now "
            "is kept as a backup first. Close every other window and command that uses this "
            "database before you restore."
        )
        note.setWordWrap(True)
        self.other = QPushButton("Another &file…")
        self.other.clicked.connect(self.choose_other)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        buttons.accepted.connect(self.accept_selected)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.other, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.list.currentItemChanged.connect(
            lambda *_: self.restore_button.setEnabled(self.list.currentItem() is not None)
        )
        self.list.itemDoubleClicked.connect(lambda *_: self.accept_selected())
        self.resize(620, 380)
        self.load()

    def load(self) -> None:
        self.list.clear()
        backups = list_backups(self.database)
        for backup in backups:
            item = QListWidgetItem(_describe(backup))
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            self.list.addItem(item)
        if not backups:
            self.list.addItem(QListWidgetItem("No backups yet (File > Back up now… makes one)."))
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        else:
            self.list.setCurrentRow(0)

    def choose_other(self) -> None:
        from ui.file_dialogs import open_file_name

        path = open_file_name(
            self,
            "Restore from a backup file",
            self.database.parent / "backups",
            "Backups (*.sqlite)",
        )
        if path:
            self._confirm(Path(path))

    def accept_selected(self) -> None:
        item = self.list.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if data:
            self._confirm(Path(data))

    def _confirm(self, path: Path) -> None:
        answer = QMessageBox.question(
            self,
            "Restore",
            f"Replace everything in the database with the backup {path.name}?\n\n"
            "What is there now is kept as a backup first.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen = path
            self.accept()
            self.restore_requested.emit(path)


def _describe(backup: BackupFile) -> str:
    size = backup.path.stat().st_size / 1_000_000 if backup.path.exists() else 0.0
    return f"{backup.made:%A %d %B %Y, %H:%M}  —  {backup.label}  ({size:.1f} MB)"
