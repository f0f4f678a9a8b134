"""Bulk actions on the selected motions, and the undo stack they (and single moves) go on.

One action = one history group: Ctrl+Z reverses all of it at once (services.motion_ops.undo),
Ctrl+Shift+Z makes it again as a new group. Every operation whose Changes carry an undo entry
goes on the stack by its name, wherever in the window it was done (MainWindow.apply_changes).
Work runs on a background job.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casetracker.domain.enums import Stage
from casetracker.domain.words import counted
from casetracker.domain.workflow import TRANSITIONS
from casetracker.operations import Changes, UndoEntry
from casetracker.services import bulk, motion_ops
from casetracker.services.motion_detail import ActionInfo
from ui.jobs import JobControl

if TYPE_CHECKING:
    from ui.main_window import MainWindow

PREVIEW_LINES = 12


def preview_text(preview: bulk.BulkPreview) -> str:
    plan = preview.plan
    lines = [f"{preview.action}: {counted(len(plan.ready), 'motion')} will change."]
    for item in plan.ready[:PREVIEW_LINES]:
        lines.append(f"  • {item.who}: {item.change}")
    if len(plan.ready) > PREVIEW_LINES:
        lines.append(f"  … and {len(plan.ready) - PREVIEW_LINES:,} more")
    if plan.apart:
        lines.append(
            f"\n{counted(len(plan.apart), 'motion')} not screened eligible: you are asked "
            "about those next, apart."
        )
    if plan.refused:
        lines.append(f"\n{len(plan.refused):,} cannot, and will be left as they are:")
        for refusal in plan.refused[:PREVIEW_LINES]:
            lines.append(f"  • {refusal}")
        if len(plan.refused) > PREVIEW_LINES:
            lines.append(f"  … and {len(plan.refused) - PREVIEW_LINES:,} more")
    lines.append(
        "\nA motion someone else changes before you confirm is left as it is and named; "
        "the others are changed."
    )
    return "\n".join(lines)


def refused_text(changes: Changes) -> str:
    lines = [f"{changes.summary}. {len(changes.refused):,} left as they were:"]
    lines.extend(f"  • {line}" for line in changes.refused[:PREVIEW_LINES])
    if len(changes.refused) > PREVIEW_LINES:
        lines.append(f"  … and {len(changes.refused) - PREVIEW_LINES:,} more")
    return "\n".join(lines)


@dataclass(frozen=True)
class ApartAnswer:
    # The reason for consenting to the motions asked apart; None: leave them as they are.
    reason: str | None


class ApartDialog(QDialog):
    """The motions a consent asks about apart (not screened eligible), listed by name and
    docket with their screening: consent to them too with a reason for their history, leave
    them out, or cancel the whole action."""

    def __init__(self, preview: bulk.BulkPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        apart = preview.apart
        self.setWindowTitle("Consent although not screened eligible?")
        self.setMinimumWidth(560)
        self.answer: ApartAnswer | None = None
        intro = QLabel(
            f"{counted(len(apart), 'motion')} of your selection "
            f"{'was' if len(apart) == 1 else 'were'} not screened eligible. Consent to "
            f"{'it' if len(apart) == 1 else 'them'} only if you mean to: the reason you give "
            "goes into each one's history."
        )
        intro.setWordWrap(True)
        self.listing = QPlainTextEdit()
        self.listing.setReadOnly(True)
        self.listing.setPlainText("\n".join(f"{item.who}: {item.apart}" for item in apart))
        self.listing.setAccessibleName("Motions not screened eligible")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why consent although the rules did not find them eligible")
        self.reason.setAccessibleName("Reason for consenting to these")
        reason_label = QLabel("&Reason for these *")
        reason_label.setBuddy(self.reason)
        buttons = QDialogButtonBox()
        self.consent_button = QPushButton("&Consent to these too")
        self.leave_button = QPushButton("&Leave them out")
        self.cancel_button = QPushButton("Cancel all")
        buttons.addButton(self.consent_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.leave_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.leave_button.setDefault(True)
        self.consent_button.setEnabled(False)
        self.reason.textChanged.connect(
            lambda text: self.consent_button.setEnabled(bool(text.strip()))
        )
        self.consent_button.clicked.connect(self._consent)
        self.leave_button.clicked.connect(self._leave)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.listing, 1)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)

    def _consent(self) -> None:
        self.answer = ApartAnswer(self.reason.text().strip())
        self.accept()

    def _leave(self) -> None:
        self.answer = ApartAnswer(None)
        self.accept()


class OperationCommand(QUndoCommand):
    """An action already done (`entry`), named as the operation named it; undo reverses it,
    redo makes it again as a new group."""

    def __init__(self, controller: BulkController, entry: UndoEntry) -> None:
        super().__init__(entry.label)
        self.controller = controller
        self.entry = entry
        self._applied = True

    @property
    def motion_ids(self) -> list[int]:
        return sorted(self.entry.motion_ids)

    def undo(self) -> None:
        if not self._applied:
            return  # only stepping the stack back after a refused redo
        self._applied = False
        self.controller.run_undo(self)

    def redo(self) -> None:
        if self._applied:
            return  # pushed after the action was done, or stepping forward after a refused undo
        self._applied = True
        self.controller.run_redo(self)

    def refused(self, message: str) -> None:
        """The database refused the undo or redo: put the stack back where the data is."""
        if self._applied:
            self._applied = False
            self.controller.stack.undo()
        else:
            self._applied = True
            self.controller.stack.redo()
        self.controller.window.show_error(message)


class BulkController(QObject):
    # Emitted when a bulk action, undo or redo has been written: (what happened).
    finished = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.stack = QUndoStack(self)
        self.undo_action = self.stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        # Dialogs as attributes, so tests replace them.
        self.ask_choice = self._ask_choice
        self.confirm = self._confirm
        self.ask_apart = self._ask_apart

    # -- asking ----------------------------------------------------------------------------

    def _ask_choice(self, title: str, label: str, items: list[str]) -> str | None:
        text, ok = QInputDialog.getItem(self.window, title, label, items, 0, False)
        return text if ok and text else None

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self.window,
            title,
            text,
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Ok

    def _ask_apart(self, preview: bulk.BulkPreview) -> ApartAnswer | None:
        dialog = ApartDialog(preview, self.window)
        dialog.exec()
        return dialog.answer

    # -- the three actions -----------------------------------------------------------------

    def assign_prosecutor(self) -> None:
        ids = self._selection()
        if not ids:
            return
        names = self.window.prosecutor_names or []
        name = self.ask_choice("Assign prosecutor", "Assign the selected motions to:", names)
        if name is None:
            return
        answer = self.window.ask_transition(_change_action("Assign prosecutor"), None)
        if answer is not None:
            self.start(ids, bulk.AssignProsecutor(name.strip()), answer[0])

    def move_to_stage(self) -> None:
        ids = self._selection()
        if not ids:
            return
        labels = {s.label: s for s in Stage}
        label = self.ask_choice("Move to stage", "Move the selected motions to:", list(labels))
        if label is None:
            return
        target = labels[label]
        transition = next(t for t in TRANSITIONS if t.target == target)
        info = ActionInfo(
            transition.action,
            f"Move to {target.label}",
            target,
            transition.requires,
            transition.optional,
            transition.fresh,
            (),
            {},
        )
        answer = self.window.ask_transition(info, None)
        if answer is not None:
            reason, values = answer
            self.start(ids, bulk.MoveToStage(target, values), reason)

    def add_to_court_list(self) -> None:
        ids = self._selection()
        if not ids:
            return
        lists = {label: list_id for list_id, label in self.window.court_list_names}
        label = self.ask_choice("Add to court list", "Add the selected motions to:", list(lists))
        if label is None:
            return
        answer = self.window.ask_transition(_change_action("Add to court list"), None)
        if answer is not None:
            self.start(ids, bulk.AddToCourtList(lists[label]), answer[0])

    def _selection(self) -> list[int]:
        ids = self.window.selected_motion_ids()
        if not ids:
            self.window.show_error("Select one or more motions first.")
        return ids

    # -- running ---------------------------------------------------------------------------

    def start(self, ids: list[int], action: bulk.BulkAction, reason: str) -> None:
        db = self.window.db

        def look(control: JobControl) -> bulk.BulkPreview:
            with db.reading() as session:
                return bulk.preview(session, ids, action)

        def looked(preview: bulk.BulkPreview) -> None:
            if not preview.changes and not preview.apart:
                self.window.show_error(preview_text(preview))
                return
            if preview.changes and not self.confirm(preview.action, preview_text(preview)):
                return
            apart_reason = None
            if preview.apart:
                # Asked separately: the motions the rules did not screen eligible.
                answer = self.ask_apart(preview)
                if answer is None or (answer.reason is None and not preview.changes):
                    return
                apart_reason = answer.reason
            self.apply(preview, reason, apart_reason)

        self.window.run_job("Checking the selected motions", look, looked)

    def apply(self, shown: bulk.BulkPreview, reason: str, apart_reason: str | None = None) -> None:
        """Apply what the user confirmed, at the versions the preview showed (with those
        asked apart when the user gave them a reason)."""
        db = self.window.db
        actor = self.window.actor

        def work(control: JobControl) -> Changes:
            return motion_ops.apply_bulk(
                db,
                actor,
                shown,
                reason=reason,
                progress=lambda done, total: control.report(done, total, "Saving"),
                apart_reason=apart_reason,
            )

        self.window.run_job(shown.action, work, self.done)

    def done(self, changes: Changes) -> None:
        """An action was saved: every view is told (and the undo stack takes it), and
        motions it had to leave alone are named."""
        self.window.apply_changes(changes)
        if changes.refused:
            self.window.show_error(refused_text(changes))
        self.finished.emit(changes.summary)

    def push(self, entry: UndoEntry) -> None:
        """Put an action already done on the undo stack, named as its operation named it."""
        self.stack.push(OperationCommand(self, entry))

    def run_undo(self, command: OperationCommand) -> None:
        db = self.window.db
        actor = self.window.actor
        entry = command.entry

        def work(control: JobControl) -> Changes:
            return motion_ops.undo(
                db,
                actor,
                entry,
                progress=lambda done, total: control.report(done, total, "Undoing"),
            )

        def done(changes: Changes) -> None:
            self.window.apply_changes(replace(changes, undo=None))
            self.finished.emit(changes.summary)

        self.window.run_job(f"Undo {command.text()}", work, done, on_failure=command.refused)

    def run_redo(self, command: OperationCommand) -> None:
        db = self.window.db
        actor = self.window.actor
        redo = command.entry.redo
        if redo is None:
            command.refused(f"{command.text()} cannot be made again; nothing was changed.")
            return

        def work(control: JobControl) -> Changes:
            return redo(db, actor)

        def done(changes: Changes) -> None:
            if changes.undo is not None:
                command.entry = replace(command.entry, group_id=changes.undo.group_id)
            # Already on the stack: the views are told, the stack is not pushed again.
            self.window.apply_changes(
                replace(changes, summary=f"Redone: {command.text()}", undo=None)
            )
            if changes.refused:
                self.window.show_error(refused_text(changes))
            self.finished.emit(f"Redone: {command.text()}")

        self.window.run_job(f"Redo {command.text()}", work, done, on_failure=command.refused)


def _change_action(label: str) -> ActionInfo:
    """A form that asks only for the reason (changes that keep the stage)."""
    return ActionInfo("change", label, Stage.INTAKE, (), (), (), (), {})
