"""Search as you type without freezing: queries run on a worker thread, and when the user
types faster than the database answers, only the newest request is run next and only its
answer is shown (older ones are dropped, never shown out of order)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from casetracker.domain.errors import CasetrackerError

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _Run(QRunnable):
    def __init__(self, number: int, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.number = number
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except CasetrackerError as error:
            self.signals.failed.emit(self.number, str(error))
        except Exception:
            log.exception("query failed")
            self.signals.failed.emit(self.number, "The search failed; details are in the log file.")
        else:
            self.signals.done.emit(self.number, result)


class LatestQuery(QObject):
    """Runs one query at a time; a request made while one runs replaces any waiting one."""

    answered = Signal(object)
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        self._signals.done.connect(self._done)
        self._signals.failed.connect(self._failed)
        self._number = 0
        self._running = False
        self._waiting: Callable[[], Any] | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def request(self, fn: Callable[[], Any]) -> None:
        self._number += 1
        if self._running:
            self._waiting = fn
            return
        self._start(fn)

    def _start(self, fn: Callable[[], Any]) -> None:
        self._running = True
        self.busy_changed.emit(True)
        self._pool.start(_Run(self._number, fn, self._signals))

    @Slot(int, object)
    def _done(self, number: int, result: object) -> None:
        if self._next() or number != self._number:
            return
        self.answered.emit(result)

    @Slot(int, str)
    def _failed(self, number: int, message: str) -> None:
        if self._next() or number != self._number:
            return
        self.failed.emit(message)

    def _next(self) -> bool:
        """Start the waiting request, if any; True when one was started (answer is stale)."""
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._pool.start(_Run(self._number, waiting, self._signals))
            return True
        self._running = False
        self.busy_changed.emit(False)
        return False

    def wait(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)
