"""The per-motion Screen button: run the rules on the person's whole record as of a date,
show the result with every reason, and save it; for a conviction already expunged by law,
record that the person wants the vacatur anyway, with their reason."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from casetracker.decisions.reason_codes import list_reason_codes
from casetracker.domain.enums import Decision, ScreeningResult
from casetracker.domain.errors import CasetrackerError
from casetracker.operations import Actor, Changes
from casetracker.screening.facts import ScreeningOutcome
from casetracker.screening.ops import ScreenChanges, proceed, screen, screen_and_consent
from casetracker.screening.service import screen_motions
from casetracker.storage.db import Database


def outcome_html(outcome: ScreeningOutcome) -> str:
    e = escape
    parts = [
        f"<p><b>{e(outcome.result.label)}</b> — rules {e(outcome.ruleset)}, "
        f"as of {outcome.as_of}</p><ul>"
    ]
    for reason in outcome.reasons:
        marker = "" if reason.effect is None else f" [{e(reason.effect.label.lower())}]"
        parts.append(
            f"<li><b>{e(reason.rule)}</b>{marker}: {e(reason.because)}"
            f"<br><i>{e(reason.subject)}</i></li>"
        )
    parts.append("</ul>")
    return "".join(parts)


class ScreenDialog(QDialog):
    """Shows what screening says before anything is saved; Save stores exactly that."""

    # The Changes of a saved screening or a recorded "proceed anyway".
    saved = Signal(object)

    def __init__(
        self,
        db: Database,
        actor: Actor | str,
        motion_id: int,
        version: int,
        as_of: date,
        parent: QWidget | None = None,
        *,
        who: str = "",
    ) -> None:
        super().__init__(parent)
        # The motion as people know it: the person and the docket.
        self.who = who or f"motion {motion_id}"
        self.db = db
        self.actor = actor
        self.motion_id = motion_id
        self.version = version
        self.outcome: ScreeningOutcome | None = None
        self.setWindowTitle(f"Screen {self.who}")
        self.resize(720, 480)
        self.as_of = QDateEdit(QDate(as_of.year, as_of.month, as_of.day))
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setAccessibleName("Screen as of")
        self.as_of.dateChanged.connect(self.run)
        note = QLabel(
            "The laws and the rule set in force on this date apply (the motion's date unless "
            "you change it)."
        )
        note.setWordWrap(True)
        self.result_view = QTextBrowser()
        self.result_view.setAccessibleName("Screening result and reasons")
        self.proceed_button = QPushButton("Proceed anyway…")
        self.proceed_button.setToolTip(
            "The person wants the vacatur although the law already expunged the conviction"
        )
        self.proceed_button.clicked.connect(self.proceed_anyway)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save screening")
        # Screened eligible, the prosecutor's usual next step is consent: saved together (two
        # history rows, one undo) with the office's first consent reason, named on the button.
        with db.reading() as session:
            codes = list_reason_codes(session, Decision.CONSENT)
        self.consent_code = codes[0].code if codes else None
        self.consent_button = QPushButton(
            f"Save and &consent ({self.consent_code})" if self.consent_code else "Save and consent"
        )
        self.consent_button.setAccessibleName("Save and consent")
        self.consent_button.setToolTip(
            "Save the screening and consent to the motion, as one action (one undo)"
        )
        self.consent_button.setEnabled(False)
        self.consent_button.clicked.connect(self.save_and_consent)
        self.buttons.addButton(self.consent_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Screen &as of:", self.as_of)
        row = QHBoxLayout()
        row.addWidget(self.proceed_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.result_view, 1)
        layout.addLayout(row)
        self.run()

    def chosen_date(self) -> date:
        picked = self.as_of.date()
        return date(picked.year(), picked.month(), picked.day())

    def run(self) -> None:
        """Screen without saving: a read of one person's record, quick enough to do here."""
        try:
            with self.db.reading() as session:
                report = screen_motions(
                    session,
                    [self.motion_id],
                    user=Actor.of(self.actor).name,
                    as_of=self.chosen_date(),
                    save=False,
                )
        except CasetrackerError as error:
            self._show_problem(str(error))
            return
        self.outcome = report.outcomes.get(self.motion_id)
        if self.outcome is None:
            why = report.skipped.get(self.motion_id, "it cannot be screened now")
            self._show_problem(f"{self.who} cannot be screened: {why}.")
            return
        self.result_view.setHtml(outcome_html(self.outcome))
        self.save_button.setEnabled(True)
        eligible = self.outcome.result == ScreeningResult.ELIGIBLE
        self.consent_button.setEnabled(eligible and self.consent_code is not None)
        # Enter takes the natural next step: consent when eligible, else just save.
        default = self.consent_button if self.consent_button.isEnabled() else self.save_button
        for button in (self.consent_button, self.save_button):
            button.setAutoDefault(button is default)
            button.setDefault(button is default)
        self.proceed_button.setEnabled(self.outcome.result == ScreeningResult.EXPUNGED_BY_LAW)

    def _show_problem(self, message: str) -> None:
        self.outcome = None
        self.result_view.setPlainText(message)
        self.save_button.setEnabled(False)
        self.consent_button.setEnabled(False)
        self.proceed_button.setEnabled(False)

    def save(self) -> None:
        shown = self.outcome
        try:
            changes = screen(self.db, self.actor, [self.motion_id], as_of=self.chosen_date())
        except CasetrackerError as error:
            QMessageBox.warning(self, "Screening not saved", str(error))
            return
        report = changes.report if isinstance(changes, ScreenChanges) else None
        saved = report.outcomes.get(self.motion_id) if report else None
        if shown is not None and saved is not None and saved.reasons != shown.reasons:
            # The record changed between the preview and the save: say so, the new one stands.
            QMessageBox.information(
                self,
                "Screening saved",
                "The record changed while this was open; the saved screening is: "
                f"{saved.result.label}. See the detail pane for its reasons.",
            )
        self._finish(changes)

    def save_and_consent(self) -> None:
        if self.consent_code is None:
            return
        try:
            changes = screen_and_consent(
                self.db,
                self.actor,
                self.motion_id,
                reason_code=self.consent_code,
                as_of=self.chosen_date(),
            )
        except CasetrackerError as error:
            QMessageBox.warning(self, "Nothing was saved", str(error))
            self.run()
            return
        self._finish(changes)

    def proceed_anyway(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            "Proceed anyway",
            "Why does the person want the vacatur although the conviction is expunged by law?\n"
            "(for example: needed for an immigration case)",
        )
        if not ok:
            return
        try:
            changes = proceed(
                self.db,
                self.actor,
                self.motion_id,
                reason=reason,
                as_of=self.chosen_date(),
                expected_version=self.version,
            )
        except CasetrackerError as error:
            QMessageBox.warning(self, "Nothing was recorded", str(error))
            return
        self._finish(changes)

    def _finish(self, changes: Changes) -> None:
        self.saved.emit(changes)
        self.accept()
