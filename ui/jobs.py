"""Long work off the GUI thread, with a progress dialog and Cancel.

A job is a plain function `fn(control) -> result` that calls `control.report(done, total)` now
and then; `report` raises `Cancelled` once the user has pressed Cancel, so a job inside a unit
of work rolls back and leaves nothing half-written.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from casetracker.domain.errors import CasetrackerError
from casetracker.storage.health import damaged_message, is_damage

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it."""


class JobControl:
    def __init__(self, emitter: _Emitter) -> None:
        self._emitter = emitter
        self._cancel = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled
        self._emitter.progress.emit(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Emitter(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[JobControl], Any], control: JobControl, emitter: _Emitter):
        super().__init__()
        self.fn = fn
        self.control = control
        self.emitter = emitter

    def run(self) -> None:
        try:
            result = self.fn(self.control)
        except Cancelled:
            self.emitter.cancelled.emit()
        except CasetrackerError as error:
            self.emitter.failed.emit(str(error))
        except Exception as error:
            if is_damage(error):
                log.error("damaged database in a background job: %s", error)
                self.emitter.failed.emit(damaged_message())
                return
            log.exception("background job failed")
            self.emitter.failed.emit(
                "Something went wrong and nothing was saved. The details are in the log file."
            )
        else:
            self.emitter.succeeded.emit(result)


class Job(QObject):
    """One background job and its progress dialog; lives on the GUI thread."""

    finished = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        fn: Callable[[JobControl], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None] | None = None,
        *,
        cancellable: bool = True,
        show_dialog: bool = True,
    ) -> None:
        super().__init__(parent)
        self._on_success = on_success
        self._on_failure = on_failure
        self._emitter = _Emitter()
        self.control = JobControl(self._emitter)
        self._emitter.progress.connect(self._progress)
        self._emitter.succeeded.connect(self._succeeded)
        self._emitter.failed.connect(self._failed)
        self._emitter.cancelled.connect(self._cancelled)
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            self.dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(300)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            if not cancellable:
                self.dialog.setCancelButton(None)
            self.dialog.canceled.connect(self.control.cancel)
        self._runnable = _Runnable(fn, self.control, self._emitter)
        self._runnable.setAutoDelete(False)

    def start(self) -> Job:
        QThreadPool.globalInstance().start(self._runnable)
        return self

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 0))
            self.dialog.setValue(min(done, total) if total else 0)
            if text:
                self.dialog.setLabelText(text)

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self._close()
        self._on_success(result)
        self.finished.emit()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._close()
        if self._on_failure is not None:
            self._on_failure(message)
        self.finished.emit()

    @Slot()
    def _cancelled(self) -> None:
        self._close()
        self.finished.emit()

    def _close(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.hide()
