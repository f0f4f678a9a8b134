"""Correcting records in the window: from the detail pane and the Edit menu, keyboard first,
undone with Ctrl+Z; community events; the intake's contact and disposition fields."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from casetracker.domain.enums import (
    ChargeRole,
    DispositionKind,
    FlagKind,
    NotificationMethod,
    NotificationOutcome,
    Stage,
)
from casetracker.domain.models import Case, CommunityEvent, Motion, Person
from casetracker.records import ops
from casetracker.storage.db import Database
from tests.desk_data import add_people
from tests.ui.helpers import wait_until
from ui.main_window import MainWindow
from ui.records.case_dialog import CaseDialog
from ui.records.events_dialog import EventsDialog
from ui.records.person_dialog import PersonDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database) -> Iterator[MainWindow]:
    add_people(sqlite_db)
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.rows_shown, timeout=5000):
        win.show()
    yield win
    win.close()


def _open_first(qtbot: QtBot, win: MainWindow) -> None:
    win.table.setFocus()
    with qtbot.waitSignal(win.detail_shown, timeout=5000):
        win.table.setCurrentIndex(win.model.index(0, 0))
    assert win.detail.detail is not None


def _person(db: Database, person_id: int) -> Person:
    with db.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.flags  # noqa: B018 - loaded before the session closes
        session.expunge(person)
        return person


def test_edit_person_with_the_keyboard_then_undo(qtbot: QtBot, window: MainWindow) -> None:
    _open_first(qtbot, window)
    detail = window.detail.detail
    assert detail is not None
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.record_editor.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, PersonDialog)
    # The window manager activates a new window a moment after it is shown.
    wait_until(qtbot, dialog.isActiveWindow)
    dialog.editors["phone"].setText("(718) 555-0120")
    dialog.editors["language"].setText("Spanish")
    dialog.interpreter.setChecked(True)
    dialog.flag_kind.setCurrentIndex(dialog.flag_kind.findData(FlagKind.OPEN_FELONY))
    dialog.flag_source.setText("OCA record 2026-11-20")
    dialog.reason.setText("called the person")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.error.text() == ""
    wait_until(qtbot, lambda: "interpreter needed" in window.detail.text.toPlainText())
    assert not dialog.isVisible()
    person = _person(window.db, detail.person_id)
    assert (person.phone, person.language, person.interpreter_needed) == (
        "(718) 555-0120",
        "Spanish",
        True,
    )
    assert [f.kind for f in person.flags] == [FlagKind.OPEN_FELONY]
    shown = window.detail.text.toPlainText()
    assert "Spanish, interpreter needed" in shown and "Corrections to the record" in shown
    assert "Edit" in window.statusBar().currentMessage()

    assert window.bulk.undo_action.text().startswith("&Undo Edit Adams")
    window.activateWindow()  # as the window manager does when a dialog closes
    wait_until(qtbot, window.isActiveWindow)
    with qtbot.waitSignal(window.detail_shown, timeout=5000):
        qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    person = _person(window.db, detail.person_id)
    assert person.phone is None and person.flags == [] and not person.interpreter_needed


def test_a_stale_or_bad_edit_keeps_the_dialog_open_and_says_why(
    qtbot: QtBot, window: MainWindow
) -> None:
    _open_first(qtbot, window)
    detail = window.detail.detail
    assert detail is not None
    window.detail._link(QUrl(f"edit-person:{detail.person_id}"))  # noqa: SLF001 - a click
    dialog = window.record_editor.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, PersonDialog)
    dialog.editors["email"].setText("not an address")
    dialog.save()
    assert dialog.isVisible() and "not an address" in dialog.error.text()
    # Someone else corrects the person meanwhile: the dialog's copy is now stale.
    ops.edit_person(window.db, "other.clerk", detail.person_id, {"phone": "212 555 0199"})
    dialog.editors["email"].setText("jose@example.org")
    dialog.save()
    assert dialog.isVisible()
    assert "other.clerk" in dialog.error.text() and "phone" in dialog.error.text()
    assert dialog.editors["email"].text() == "jose@example.org"
    assert _person(window.db, detail.person_id).email is None
    dialog.reject()


def test_edit_case_disposition_and_charges_from_the_detail_pane(
    qtbot: QtBot, window: MainWindow
) -> None:
    _open_first(qtbot, window)
    detail = window.detail.detail
    assert detail is not None
    case_id = detail.cases[0].id
    assert f"edit-case:{case_id}" in window.detail.text.toHtml()
    window.detail._link(QUrl(f"edit-case:{case_id}"))  # noqa: SLF001 - a click
    dialog = window.record_editor.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, CaseDialog)
    dialog.editors["disposition"].setText("PLED GUILTY 240.20")
    dialog.editors["disposition_date"].setText("2016-08-01")
    dialog.editors["sentence"].setText("Conditional discharge")
    dialog.editors["defense_counsel"].setText("Legal Aid Society")
    dialog.add_conviction.setText("PL 240.20")
    dialog.add_arrest.setText("VTL 1192.4")
    with qtbot.waitSignal(window.detail_shown, timeout=5000):
        dialog.save()
    with window.db.reading() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.disposition_kind == DispositionKind.CONVICTED
        assert case.defense_counsel == "Legal Aid Society"
        assert [(c.section, c.role) for c in case.charges] == [
            ("PL 221.05", ChargeRole.ARREST),
            ("VTL 1192(4)", ChargeRole.ARREST),
            ("PL 240.20", ChargeRole.CONVICTION),
        ]
    assert "PL 240.20 Disorderly conduct (conviction)" in window.detail.text.toPlainText()

    # Again: untick the VTL charge, switch 221.05's role with R, and say what an unknown
    # wording means.
    window.detail._link(QUrl(f"edit-case:{case_id}"))  # noqa: SLF001
    dialog = window.record_editor.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, CaseDialog)
    wait_until(qtbot, dialog.isActiveWindow)
    qtbot.keyClicks(dialog.editors["court"], "Criminal Court")
    dialog.charges.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.charges.setCurrentRow(0)
    dialog.charges.setFocus()
    qtbot.keyClick(dialog.charges, Qt.Key.Key_R)
    dialog.editors["disposition"].setText("SEE COURT FILE")
    dialog.save()
    assert "give its kind too" in dialog.error.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData(DispositionKind.DISMISSED))
    with qtbot.waitSignal(window.detail_shown, timeout=5000):
        dialog.save()
    with window.db.reading() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.disposition_kind == DispositionKind.DISMISSED
        assert case.court == "Criminal Court"
        assert [(c.section, c.role) for c in case.charges] == [
            ("PL 221.05", ChargeRole.CONVICTION),
            ("PL 240.20", ChargeRole.CONVICTION),
        ]


def test_community_events_created_retired_and_gone_from_intake(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = window.record_editor  # type: ignore[attr-defined]
    editor.open_events()
    dialog = editor.dialog
    assert isinstance(dialog, EventsDialog)
    wait_until(qtbot, dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = dialog.form
    assert form is not None
    wait_until(qtbot, form.isActiveWindow)
    qtbot.keyClicks(form.name, "Flatbush clinic")
    qtbot.keyClicks(form.day, "2026-12-19")
    form.county.setCurrentIndex(form.county.findText("Kings (Brooklyn)"))
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "Flatbush clinic"
    wait_until(qtbot, lambda: any("Flatbush" in label for _, label in window.event_names))

    window.intake_action.trigger()
    labels = [
        window.intake_form.event_choice.itemText(i)
        for i in range(window.intake_form.event_choice.count())
    ]
    assert "2026-12-19 Flatbush clinic" in labels
    window.intake_form.close()

    dialog.table.selectRow(0)
    dialog.retire_current()
    assert dialog.table.rowCount() == 0
    dialog.show_retired.setChecked(True)
    assert dialog.table.item(0, 1).text() == "Flatbush clinic (retired)"
    with window.db.reading() as session:
        event = session.query(CommunityEvent).one()
        assert event.retired_at is not None
    window.intake_action.trigger()
    labels = [
        window.intake_form.event_choice.itemText(i)
        for i in range(window.intake_form.event_choice.count())
    ]
    assert "2026-12-19 Flatbush clinic" not in labels
    window.intake_form.close()
    dialog.reject()


def test_intake_takes_contact_and_disposition(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.intake_form
    wait_until(qtbot, form.isActiveWindow)
    extras = form.extras
    qtbot.keyClicks(form.last, "Walkin")
    qtbot.keyClicks(form.first, "Robin")
    qtbot.keyClicks(extras.phone, "718 555 0177")
    qtbot.keyClicks(extras.email, "robin@example")
    qtbot.keyClicks(extras.language, "Haitian Creole")
    extras.interpreter.setChecked(True)
    extras.consent.setChecked(True)
    qtbot.keyClicks(form.docket, "2010KN000123")
    qtbot.keyClicks(form.charges, "PL 221.10")
    qtbot.keyClicks(extras.conviction, "PL 240.20")
    qtbot.keyClicks(extras.disposition, "PG 240.20")
    qtbot.keyClicks(extras.disposition_date, "5/1/2010")
    qtbot.keyClicks(extras.sentence, "Fine $100")
    qtbot.keyClicks(extras.counsel, "Brooklyn Defender Services")
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "not an address" in form.error.text() and form.last.text() == "Walkin"
    extras.email.setText("robin@example.org")
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    result = saved.args[0]
    assert extras.phone.text() == "" and extras.disposition.text() == ""
    with window.db.reading() as session:
        person = session.get(Person, result.person_id)
        case = session.get(Case, result.case_ids[0])
        motion = session.get(Motion, result.motion_ids[0])
        assert person is not None and case is not None and motion is not None
        assert (person.phone, person.email, person.language) == (
            "718 555 0177",
            "robin@example.org",
            "Haitian Creole",
        )
        assert person.interpreter_needed and person.consent_to_contact
        assert case.disposition_kind == DispositionKind.CONVICTED
        assert str(case.disposition_date) == "2010-05-01"
        assert (case.sentence, case.defense_counsel) == ("Fine $100", "Brooklyn Defender Services")
        assert [(c.section, c.role) for c in case.charges] == [
            ("PL 221.10", ChargeRole.ARREST),
            ("PL 240.20", ChargeRole.CONVICTION),
        ]
    form.close()


def test_notification_attempts_from_the_detail_pane(qtbot: QtBot, window: MainWindow) -> None:
    from tests.core.helpers import walk_to
    from ui.records.notification_dialog import NotificationDialog

    motion_id = window.model.motion_id(0)
    walk_to(window.db, motion_id, Stage.GRANTED)
    _open_first(qtbot, window)
    assert "Notification: no attempt yet" in window.detail.text.toPlainText()
    for day, outcome, method in (
        ("2026-02-10", NotificationOutcome.NO_ANSWER, NotificationMethod.PHONE),
        ("2026-02-11", NotificationOutcome.DELIVERED, NotificationMethod.MAIL),
    ):
        window.detail._link(QUrl(f"notify:{motion_id}"))  # noqa: SLF001 - a click
        dialog = window.record_editor.dialog  # type: ignore[attr-defined]
        assert isinstance(dialog, NotificationDialog)
        dialog.day.setText(day)
        dialog.outcome.setCurrentIndex(dialog.outcome.findData(outcome))
        dialog.method.setCurrentIndex(dialog.method.findData(method))
        with qtbot.waitSignal(window.detail_shown, timeout=5000):
            dialog.save()
    shown = window.detail.text.toPlainText()
    assert "Notification: 2026-02-11 mail: reached (delivered)" in shown
    assert "2026-02-10 phone: no answer" in shown
    with window.db.reading() as session:
        motion = session.get(Motion, motion_id)
        assert motion is not None and motion.stage == Stage.GRANTED
