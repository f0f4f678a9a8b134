"""A small owner for background jobs: keeps each job alive until it finishes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from ui.jobs import Job, JobControl


class JobRunner(QObject):
    def __init__(self, parent: QWidget, on_failure: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._widget = parent
        self._on_failure = on_failure
        self.jobs: list[Job] = []

    def run(
        self,
        title: str,
        fn: Callable[[JobControl], Any],
        on_success: Callable[[Any], None],
        *,
        dialog: bool = True,
        on_failure: Callable[[str], None] | None = None,
    ) -> Job:
        failure = on_failure or self._on_failure
        job = Job(self._widget, title, fn, on_success, failure, show_dialog=dialog)
        self.jobs.append(job)
        job.finished.connect(self._forget)
        return job.start()

    @property
    def busy(self) -> bool:
        return bool(self.jobs)

    def cancel_all(self) -> None:
        for job in self.jobs:
            job.control.cancel()

    @Slot()
    def _forget(self) -> None:
        sender = self.sender()
        self.jobs = [job for job in self.jobs if job is not sender]
