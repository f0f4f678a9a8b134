"""A quick save that may have to wait for the database, without freezing the window.

A single move or an edit is one short write, so it runs while the user waits for it. On SQLite
another connection can hold the write lock for many seconds (an import from the command line,
a colleague's bulk move): SQLite's busy timeout then waits inside the call, and on the GUI
thread that wait froze the window (no repaint, "not responding"). Here the write runs on a
worker thread while the window keeps painting; the user's clicks and keys wait until it is
done (as they would for any quick save), and after a moment a note says what it waits for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")

# How long a save may take before the note appears: most saves end well before it.
NOTE_AFTER_MS = 400
_POLL_MS = 15


def run_short_write(parent: QWidget, fn: Callable[[], T], what: str = "Saving") -> T:
    """Run `fn` (one unit of work) on a worker thread and return its result, or raise what it
    raised, once it is done. The window repaints meanwhile; its input waits."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(fn())
        except BaseException as error:  # handed back to the caller's thread as is
            failure.append(error)

    worker = threading.Thread(target=work, name="short-write", daemon=True)
    worker.start()
    worker.join(0.05)  # most saves are done by now: no event loop, no note
    if worker.is_alive():
        _wait(parent, worker, what)
    if failure:
        raise failure[0]
    return outcome[0]


def _wait(parent: QWidget, worker: threading.Thread, what: str) -> None:
    loop = QEventLoop()
    note = QProgressDialog(
        f"{what}: waiting for the database, which is saving another change "
        "(an import or a colleague's action)…",
        "",
        0,
        0,
        parent,
    )
    note.setWindowTitle(what)
    note.setCancelButton(None)  # a save that has begun is not broken off half-way
    note.setWindowModality(Qt.WindowModality.WindowModal)
    note.setMinimumDuration(0)
    note.reset()  # not shown until NOTE_AFTER_MS has passed
    shown = QTimer(singleShot=True, interval=NOTE_AFTER_MS)
    shown.timeout.connect(note.show)
    poll = QTimer(interval=_POLL_MS)
    poll.timeout.connect(lambda: None if worker.is_alive() else loop.quit())
    shown.start()
    poll.start()
    try:
        # Paints and timers run; clicks and keys wait, so nothing re-enters the action.
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    finally:
        shown.stop()
        poll.stop()
        note.close()
        note.deleteLater()
    worker.join()
