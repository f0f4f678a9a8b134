"""Answering a real modal dialog from a test: it blocks the caller, so the answer is given
from the event loop as soon as the dialog is open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

_TIMERS: list[QTimer] = []


def when_dialog(kind: type[QDialog], act: Callable[[Any], None], title: str | None = None) -> None:
    """Act on the next modal dialog of `kind` (and window title starting with `title`) as
    soon as it is open."""
    timer = QTimer()
    timer.setInterval(20)
    _TIMERS.append(timer)

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and (title is None or dialog.windowTitle().startswith(title)):
            timer.stop()
            _TIMERS.remove(timer)
            act(dialog)

    timer.timeout.connect(look)
    timer.start()
