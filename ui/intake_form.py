"""The intake form for community events, made for the keyboard: type, Tab, type, Ctrl+S.
As the name, date of birth or NYSID are typed, people already on file appear with their open
motions and warrants; pick one (Enter) to add the case to them instead of a new person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from casetracker.accounts.sealed import sealed_matches_note
from casetracker.domain.enums import County, IntakeChannel, MotionKind
from casetracker.domain.errors import CasetrackerError, InvalidValueError
from casetracker.domain.words import counted
from casetracker.normalize import normalize_date
from casetracker.services.identity import current_user
from casetracker.services.intake import CaseInput, IntakeRequest, IntakeResult, PersonInput, intake
from casetracker.services.intake_matches import IntakeMatch, IntakeMatches, intake_matches
from ui.latest_query import LatestQuery
from ui.records.intake_fields import IntakeExtras
from ui.short_write import run_short_write

if TYPE_CHECKING:
    from casetracker.storage.db import Database

MATCH_DELAY_MS = 250


class IntakeForm(QDialog):
    saved = Signal(object)

    def __init__(
        self, db: Database, events: list[tuple[int, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("New intake")
        self.chosen_person: int | None = None
        self.matches: list[IntakeMatch] = []
        self.sealed_matches = 0

        self.event_choice = QComboBox()
        self.event_choice.addItem("(no event: walk-in)", None)
        for event_id, label in events:
            self.event_choice.addItem(label, event_id)
        self.defense_org = QLineEdit()
        self.attorney = QLineEdit()
        self.kind = QComboBox()
        for kind in MotionKind:
            self.kind.addItem(kind.label, kind)
        self.last = QLineEdit()
        self.first = QLineEdit()
        self.middle = QLineEdit()
        self.dob = QLineEdit()
        self.dob.setPlaceholderText("e.g. 1980-03-04 or 3/4/1980")
        self.nysid = QLineEdit()
        self.docket = QLineEdit()
        self.summons = QLineEdit()
        self.charges = QLineEdit()
        self.charges.setPlaceholderText("e.g. PL 221.05; several separated by ;")
        self.county = QComboBox()
        self.county.addItem("", None)
        for county in County:
            self.county.addItem(county.label, county)

        self.extras = IntakeExtras()
        form = QFormLayout()
        rows: list[tuple[str, QWidget, str]] = [
            ("&Event", self.event_choice, "Community event"),
            ("Defense &organization", self.defense_org, "Defense organization"),
            ("Defense &attorney", self.attorney, "Defense attorney"),
            ("&Kind", self.kind, "Kind of motion"),
            ("&Last name *", self.last, "Last name"),
            ("&First name", self.first, "First name"),
            ("&Middle name", self.middle, "Middle name"),
            ("Date of &birth", self.dob, "Date of birth"),
            ("&NYSID", self.nysid, "NYSID"),
            *self.extras.person_rows(),
            ("&Docket", self.docket, "Docket number"),
            ("&Summons", self.summons, "Summons number"),
            ("&Charges", self.charges, "Charges"),
            ("Co&unty", self.county, "County"),
            *self.extras.case_rows(),
        ]
        for label, widget, name in rows:
            widget.setAccessibleName(name)
            form.addRow(label, widget)

        self.match_list = QListWidget()
        self.match_list.setAccessibleName("People already on file who may be this person")
        self.match_list.setWordWrap(True)
        self.match_list.itemActivated.connect(self._pick)
        self.match_note = QLabel("People on file who match will show here as you type.")
        self.match_note.setWordWrap(True)
        self.chosen_label = QLabel()
        self.chosen_label.setWordWrap(True)
        matches_box = QGroupBox("Already on file?")
        box_layout = QVBoxLayout(matches_box)
        box_layout.addWidget(self.match_note)
        box_layout.addWidget(self.match_list, 1)
        box_layout.addWidget(self.chosen_label)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b")
        self.error.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        # A walk-in on their own: save and go to the new motion in the desk (Ctrl+Enter).
        self.save_close = self.buttons.addButton(
            "Save and &close", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_close.setToolTip("Save, close this form and work on the new motion (Ctrl+Enter)")
        self.save_close.clicked.connect(self.save_and_close)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save_and_close)

        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        columns.addWidget(matches_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(900, 760)

        self.lookup = LatestQuery(self)
        self.lookup.answered.connect(self._show_matches)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(MATCH_DELAY_MS)
        self._timer.timeout.connect(self._look_up)
        for field in (self.last, self.first, self.dob, self.nysid):
            field.textEdited.connect(self._person_typed)
        # The kind follows the number typed (a summons alone: its open warrant; a docket: a
        # conviction) until the user picks one.
        self.kind_chosen = False
        self.kind.activated.connect(self._kind_picked)
        self.docket.textEdited.connect(self._number_typed)
        self.summons.textEdited.connect(self._number_typed)
        self.last.setFocus()

    def _kind_picked(self) -> None:
        self.kind_chosen = True

    def _number_typed(self) -> None:
        if self.kind_chosen:
            return
        summons_only = bool(self.summons.text().strip()) and not self.docket.text().strip()
        kind = MotionKind.WARRANT_DISMISSAL if summons_only else MotionKind.CONVICTION_VACATUR
        self.kind.setCurrentIndex(self.kind.findData(kind))

    # -- matches ---------------------------------------------------------------------------

    def _person_typed(self) -> None:
        if self.chosen_person is not None:
            self.chosen_person = None
            self.chosen_label.clear()
        self._timer.start()

    def _look_up(self) -> None:
        last, first, nysid = self.last.text(), self.first.text(), self.nysid.text()
        born = normalize_date(self.dob.text()).value if self.dob.text().strip() else None
        if not (last.strip() or nysid.strip() or born):
            self._show_matches(IntakeMatches())
            return
        db, user = self.db, current_user()

        def find() -> IntakeMatches:
            with db.reading() as session:
                return intake_matches(
                    session, user, last=last, first=first, date_of_birth=born, nysid=nysid or None
                )

        self.lookup.request(find)

    def _show_matches(self, found_now: object) -> None:
        assert isinstance(found_now, IntakeMatches)
        self.matches = matches = found_now.matches
        self.sealed_matches = found_now.sealed
        self.match_list.clear()
        for found in matches:
            m = found.match
            lines = [
                f"{m.name}, born {m.date_of_birth or '?'}, NYSID {m.nysid or 'none'} ({m.why})"
            ]
            lines += [f"    {line}" for line in found.open_motions] or ["    no open motions"]
            item = QListWidgetItem("\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, m.person_id)
            self.match_list.addItem(item)
        sealed = sealed_matches_note(found_now.sealed)
        if matches:
            self.match_note.setText(
                f"{counted(len(matches), 'possible match', 'possible matches')}. "
                "Select one and press Enter to add this case to that person."
                + (f" Also {sealed[0].lower()}{sealed[1:]}" if sealed else "")
            )
        elif sealed:
            self.match_note.setText(sealed)
        else:
            self.match_note.setText("Nobody on file matches (yet).")

    def _pick(self, item: QListWidgetItem) -> None:
        self.chosen_person = int(item.data(Qt.ItemDataRole.UserRole))
        self.chosen_label.setText(
            f"Adding to the existing person: {item.text().splitlines()[0]}. "
            "Type in the name fields to enter a new person instead."
        )

    # -- saving ----------------------------------------------------------------------------

    def request(self) -> IntakeRequest:
        dob_text = self.dob.text().strip()
        born = normalize_date(dob_text).value if dob_text else None
        if dob_text and born is None:
            raise InvalidValueError(f"Date of birth '{dob_text}' is not a date.")
        event_id = self.event_choice.currentData()
        charges = [c.strip() for c in self.charges.text().split(";") if c.strip()]
        person = None
        if self.chosen_person is None:
            person = PersonInput(
                last=self.last.text(),
                first=self.first.text(),
                middle=self.middle.text(),
                date_of_birth=born,
                nysid=self.nysid.text() or None,
                **self.extras.person_values(),
            )
        return IntakeRequest(
            cases=[
                CaseInput(
                    docket=self.docket.text() or None,
                    summons=self.summons.text() or None,
                    charges=charges,
                    county=self.county.currentData(),
                    **self.extras.case_values(),
                )
            ],
            kind=self.kind.currentData(),
            person=person,
            person_id=self.chosen_person,
            person_updates=self.extras.updates() if self.chosen_person is not None else {},
            channel=IntakeChannel.EVENT if event_id is not None else IntakeChannel.WALK_IN,
            event_id=event_id,
            defense_org=self.defense_org.text() or None,
            defense_attorney=self.attorney.text() or None,
        )

    def save_and_close(self) -> None:
        if self.save():
            self.accept()

    def save(self) -> bool:
        """Save the intake; True when saved (the form is cleared for the next person)."""
        duplicate_of: str | None = None
        # Looked up again now: the list on screen may be from before the last keystroke.
        found = self._matches_now() if self.chosen_person is None else IntakeMatches()
        if found:
            self._show_matches(found)
            answer = (
                self.ask_about_match(found.matches)
                if found.matches
                else self.ask_about_sealed_match(found.sealed)
            )
            if answer is None:
                return False
            if isinstance(answer, int):
                self.chosen_person = answer
            else:
                duplicate_of = answer
        try:
            request = self.request()
            request.possible_duplicate_of = duplicate_of
            result = run_short_write(self, lambda: self._store(request), "Saving the intake")
        except CasetrackerError as error:
            # Nothing was saved and nothing typed is lost: say what to fix.
            self.show_problem(str(error))
            return False
        self.saved.emit(result)
        self.start_next()
        return True

    def _store(self, request: IntakeRequest) -> IntakeResult:
        with self.db.unit_of_work() as session:
            return intake(session, request, current_user())

    def _matches_now(self) -> IntakeMatches:
        born = normalize_date(self.dob.text()).value if self.dob.text().strip() else None
        last, first, nysid = self.last.text(), self.first.text(), self.nysid.text()
        if not (last.strip() or nysid.strip() or born):
            return IntakeMatches()
        with self.db.reading() as session:
            return intake_matches(
                session,
                current_user(),
                last=last,
                first=first,
                date_of_birth=born,
                nysid=nysid or None,
            )

    def ask_about_sealed_match(self, count: int) -> str | None:
        """The only possible matches are sealed records this role may not see: a supervisor
        can tell. Entering a new person anyway keeps it as a possible duplicate to review."""
        box = QMessageBox(self)
        box.setWindowTitle("Possible match in a sealed record")
        box.setText(
            f"{sealed_matches_note(count)} Enter a new person anyway? It will be marked "
            "as a possible duplicate for a supervisor to review."
        )
        new = box.addButton("Enter a new person", QMessageBox.ButtonRole.NoRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return "a person in a sealed record" if box.clickedButton() is new else None

    def ask_about_match(self, matches: list[IntakeMatch]) -> int | str | None:
        """With a possible match open, Save asks: this person (their id), a new person (the
        match named, kept as a possible duplicate), or neither (None: back to the form)."""
        selected = self.match_list.currentRow()
        found = matches[selected if 0 <= selected < len(matches) else 0].match
        who = f"{found.name}, born {found.date_of_birth or '?'}, NYSID {found.nysid or 'none'}"
        box = QMessageBox(self)
        box.setWindowTitle("Possible match on file")
        box.setText(f"{who} is already on file ({found.why}). Is this the same person?")
        use = box.addButton("Use this person", QMessageBox.ButtonRole.YesRole)
        new = box.addButton("Create a new person", QMessageBox.ButtonRole.NoRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(use)
        box.exec()
        if box.clickedButton() is use:
            return found.person_id
        if box.clickedButton() is new:
            return f"{found.name} (born {found.date_of_birth or '?'})"
        return None

    def show_problem(self, message: str) -> None:
        self.error.setText(message)

    def start_next(self) -> None:
        """The next person at the same event: keep event, organization, attorney and kind."""
        for field in (
            self.last,
            self.first,
            self.middle,
            self.dob,
            self.nysid,
            self.docket,
            self.summons,
            self.charges,
        ):
            field.clear()
        self.county.setCurrentIndex(0)
        self.extras.clear()
        # The kind stays for the next person at the event; it follows the numbers again.
        self.kind_chosen = False
        self.chosen_person = None
        self.chosen_label.clear()
        self.error.clear()
        self._show_matches(IntakeMatches())
        self.last.setFocus()

    def done(self, result: int) -> None:
        self._timer.stop()
        self.lookup.wait(3000)
        super().done(result)
