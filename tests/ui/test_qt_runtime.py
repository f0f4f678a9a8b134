"""The Qt binding itself must not corrupt Python: PySide6 6.12.0 under Python 3.11 released a
reference to None on every call returning nothing, and a working session then aborted with
"none_dealloc" after a few thousand clicks."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    changed = Signal(int)


def test_many_qt_calls_leave_none_and_true_alone(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    received: list[int] = []
    emitter.changed.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(5000):
        label.setText(str(i))
        emitter.changed.emit(i)
    # A little slack for objects the loop itself created; the bug lost one per call.
    assert abs(sys.getrefcount(None) - none_before) < 50
    assert abs(sys.getrefcount(True) - true_before) < 50
    assert len(received) == 5000
