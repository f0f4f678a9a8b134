"""The index and calendar numbers the court gave a list's omnibus motion."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget


def ask_numbers(
    parent: QWidget, title: str, index: str | None, calendar: str | None
) -> tuple[str, str] | None:
    """(index number, calendar number), blank where not known; None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"Numbers for {title}")
    index_edit = QLineEdit(index or "")
    index_edit.setMaxLength(40)
    index_edit.setAccessibleName("Index number")
    calendar_edit = QLineEdit(calendar or "")
    calendar_edit.setMaxLength(40)
    calendar_edit.setAccessibleName("Calendar number")
    form = QFormLayout(dialog)
    form.addRow(QLabel("Printed in the caption of the list's papers from now on."))
    form.addRow("&Index number:", index_edit)
    form.addRow("&Calendar number:", calendar_edit)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return index_edit.text(), calendar_edit.text()
    finally:
        dialog.deleteLater()
