"""Corrections in the window: Edit > Edit person (Ctrl+E), Edit case and charges
(Ctrl+Shift+E) and Community events, Motions > Record notification attempt (Ctrl+Shift+N), and
the detail pane's links. Each correction is
one operation; it goes on the window's undo stack (Ctrl+Z) and every view is told."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from casetracker.courtlists import notifications
from casetracker.domain.errors import CasetrackerError
from casetracker.operations import Changes
from casetracker.records import ops
from casetracker.records.events import EventInfo, list_events
from casetracker.records.show import person_record
from ui.short_write import run_short_write

# The dialogs load when first opened, not while the window starts.
if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.records.case_dialog import CaseEdit
    from ui.records.events_dialog import EventEdit
    from ui.records.notification_dialog import AttemptEdit
    from ui.records.person_dialog import PersonEdit


def install(window: MainWindow) -> None:
    editor = RecordEditor(window)
    window.record_editor = editor  # type: ignore[attr-defined]
    edit = window.menus["edit"]
    edit.addSeparator()
    for text, slot, keys in (
        ("Edit &person…", editor.edit_current_person, "Ctrl+E"),
        ("Edit &case and charges…", editor.edit_current_case, "Ctrl+Shift+E"),
        ("Community &events…", editor.open_events, None),
    ):
        action = QAction(text, window)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        edit.addAction(action)
    attempt = QAction("Record notification &attempt…", window)
    attempt.setShortcut(QKeySequence("Ctrl+Shift+N"))
    attempt.triggered.connect(editor.record_attempt_current)
    window.menus["motions"].addAction(attempt)
    window.detail.edit_requested.connect(editor.edit_from_link)
    window.changes_applied.connect(editor.changes_applied)


class RecordEditor(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None

    # -- opening ---------------------------------------------------------------------------

    def _current(self) -> Any:
        detail = self.window.detail.detail
        if detail is None:
            self.window.show_error("Select a motion first: its person and cases are edited.")
        return detail

    def edit_current_person(self) -> None:
        detail = self._current()
        if detail is not None:
            self.edit_person(detail.person_id)

    def edit_current_case(self) -> None:
        detail = self._current()
        if detail is None:
            return
        # The motion's own case; the pane's links reach the person's other cases.
        if detail.case_id is not None:
            self.edit_case(detail.person_id, detail.case_id)

    def edit_from_link(self, kind: str, number: int) -> None:
        detail = self.window.detail.detail
        if kind == "edit-person":
            self.edit_person(number)
        elif kind == "edit-case" and detail is not None:
            self.edit_case(detail.person_id, number)
        elif kind == "notify":
            self.record_attempt_current()

    def record_attempt_current(self) -> None:
        detail = self._current()
        if detail is None:
            return
        if not detail.can_notify:
            self.window.show_error(
                f"{detail.who} is {detail.stage.label.lower()}: a notification is "
                "recorded once the motion is granted."
            )
            return
        from ui.records.notification_dialog import NotificationDialog

        latest = detail.notifications[0] if detail.notifications else None
        self._open(
            NotificationDialog(
                detail.motion_id,
                detail.version,
                latest,
                self.save_attempt,
                self.window,
                who=detail.who,
            )
        )

    def save_attempt(self, edit: AttemptEdit) -> str | None:
        return self._done(
            lambda: notifications.add_attempt(
                self.window.db,
                self.window.actor,
                edit.motion_id,
                attempted_on=edit.attempted_on,
                outcome=edit.outcome,
                method=edit.method,
                org=edit.org,
                note=edit.note,
                expected_version=edit.version,
            )
        )

    def _record(self, person_id: int) -> dict[str, Any] | None:
        try:
            with self.window.db.reading() as session:
                return person_record(session, person_id, self.window.actor)
        except CasetrackerError as error:
            self.window.show_error(str(error))
            return None

    def edit_person(self, person_id: int) -> None:
        record = self._record(person_id)
        if record is not None:
            from ui.records.person_dialog import PersonDialog

            self._open(PersonDialog(record, self.save_person, self.window))

    def edit_case(self, person_id: int, case_id: int) -> None:
        record = self._record(person_id)
        if record is None:
            return
        case = next((c for c in record["cases"] if c["id"] == case_id), None)
        if case is None:
            self.window.show_error(f"Case {case_id} is not one of this person's cases.")
            return
        from ui.records.case_dialog import CaseDialog

        self._open(CaseDialog(case, self.save_case, self.window))

    def open_events(self) -> None:
        from ui.records.events_dialog import EventsDialog

        self._open(EventsDialog(self.load_events, self.save_event, self.retire_event, self.window))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        # Not modal: the desk stays usable (look something up) while a dialog is open.
        dialog.show()
        dialog.activateWindow()

    # -- saving ----------------------------------------------------------------------------

    def _done(self, work: Callable[[], Changes]) -> str | None:
        try:
            changes = run_short_write(self.window, work)
        except CasetrackerError as error:
            return str(error)
        # The window puts it on the undo stack (motion_ops.undo reverses records too).
        self.window.apply_changes(changes)
        return None

    def save_person(self, edit: PersonEdit) -> str | None:
        return self._done(
            lambda: ops.edit_person(
                self.window.db,
                self.window.actor,
                edit.person_id,
                edit.values,
                add_flags=edit.add_flags,
                remove_flags=edit.remove_flags,
                expected_version=edit.version,
                reason=edit.reason,
            )
        )

    def save_case(self, edit: CaseEdit) -> str | None:
        return self._done(
            lambda: ops.edit_case(
                self.window.db,
                self.window.actor,
                edit.case_id,
                edit.values,
                add_charges=edit.add_charges,
                edit_charges=edit.edit_charges,
                remove_charges=edit.remove_charges,
                expected_version=edit.version,
                reason=edit.reason,
            )
        )

    def load_events(self, include_retired: bool) -> list[EventInfo]:
        with self.window.db.reading() as session:
            return list_events(session, include_retired=include_retired)

    def save_event(self, edit: EventEdit) -> str | None:
        db, actor = self.window.db, self.window.actor
        if edit.event_id is None:
            return self._done(lambda: ops.add_event(db, actor, edit.values, reason=edit.reason))
        event_id = edit.event_id
        return self._done(
            lambda: ops.edit_event(
                db, actor, event_id, edit.values, expected_version=edit.version, reason=edit.reason
            )
        )

    def retire_event(self, event: EventInfo) -> str | None:
        return self._done(
            lambda: ops.retire_event(
                self.window.db,
                self.window.actor,
                event.id,
                retire=not event.retired,
                expected_version=event.version,
            )
        )

    # -- views -----------------------------------------------------------------------------

    def changes_applied(self, changes: Changes) -> None:
        if ops.EVENTS_SETTING in changes.settings:
            self.window.run_job(
                "Reading lists",
                self.window._read_choices,  # noqa: SLF001 - the window's own list reader
                self.window._show_choices,  # noqa: SLF001
                dialog=False,
            )
