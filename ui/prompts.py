"""The questions and warnings features show; views keep them as attributes tests replace."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def warn(parent: QWidget, text: str) -> None:
    QMessageBox.warning(parent, "Case Tracker", text)
