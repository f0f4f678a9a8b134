"""Every file dialog the app opens comes from here.

Qt's file dialogs find a file's icon and type by reading its first bytes, and a native dialog
(GTK's, the Windows shell's) runs inside our process and does the same. Opening and closing
the SQLite database, its -wal or its -shm inside the app's process drops every lock SQLite
holds on it (sqlite.org, "How To Corrupt An SQLite Database File", 2.2): the next command that
opens and closes the database then deletes the write-ahead log under the window, and what the
window saves is lost. So the app's dialogs are Qt's own widgets with an icon and type provider
that looks at names only, never at contents.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QWidget


class NamesOnlyIconProvider(QAbstractFileIconProvider):
    """A folder icon for folders and a file icon for files; the type from the name's suffix.

    Qt calls it from the dialog's background thread, so it holds only ready-made icons."""

    def __init__(self) -> None:
        super().__init__()
        style = QApplication.style()
        self._folder = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        self._file = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self._drive = style.standardIcon(QStyle.StandardPixmap.SP_DriveHDIcon)
        self.setOptions(QAbstractFileIconProvider.Option.DontUseCustomDirectoryIcons)

    def icon(self, what: object) -> QIcon:
        # Overloaded in C++: icon(IconType) and icon(QFileInfo).
        if isinstance(what, QFileInfo):
            if what.isRoot():
                return self._drive
            return self._folder if what.isDir() else self._file
        if what in (
            QAbstractFileIconProvider.IconType.Folder,
            QAbstractFileIconProvider.IconType.Desktop,
        ):
            return self._folder
        if what == QAbstractFileIconProvider.IconType.Drive:
            return self._drive
        return self._file

    def type(self, info: QFileInfo) -> str:
        if info.isRoot():
            return "Drive"
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


_OPTIONS = (
    QFileDialog.Option.DontUseNativeDialog
    | QFileDialog.Option.DontUseCustomDirectoryIcons
    | QFileDialog.Option.DontResolveSymlinks
)


def make_file_dialog(
    parent: QWidget | None, title: str, start: str | Path, filters: str, *, save: bool
) -> QFileDialog:
    """A dialog that never reads the files it lists. `start` is a folder or a file name."""
    dialog = QFileDialog(parent, title, str(start), filters)
    dialog.setOptions(_OPTIONS)
    # The provider must outlive the dialog's model; parenting is not possible (not a QObject).
    provider = NamesOnlyIconProvider()
    dialog.setIconProvider(provider)
    dialog._names_only_provider = provider  # type: ignore[attr-defined]
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return dialog


def _run(dialog: QFileDialog) -> str:
    if dialog.exec() != QFileDialog.DialogCode.Accepted:
        return ""
    chosen = dialog.selectedFiles()
    return chosen[0] if chosen else ""


def open_file_name(parent: QWidget | None, title: str, start: str | Path, filters: str) -> str:
    """The chosen existing file, or "" when cancelled (like QFileDialog.getOpenFileName)."""
    dialog = make_file_dialog(parent, title, start, filters, save=False)
    try:
        return _run(dialog)
    finally:
        dialog.deleteLater()


def save_file_name(parent: QWidget | None, title: str, start: str | Path, filters: str) -> str:
    """The file name to write, or "" when cancelled (like QFileDialog.getSaveFileName)."""
    dialog = make_file_dialog(parent, title, start, filters, save=True)
    try:
        return _run(dialog)
    finally:
        dialog.deleteLater()
