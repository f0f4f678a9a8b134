"""Saving an intake while a possible match is on file asks first: "Butlr, Helen" with Helen
Butler's date of birth used to become a second person without a word."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from casetracker.domain.models import MotionEvent, Person
from casetracker.storage.db import Database
from tests.core.helpers import make_motion
from ui.intake_form import IntakeForm

pytestmark = pytest.mark.gui


def _form(qtbot: QtBot, db: Database, answer: object) -> tuple[IntakeForm, list[str]]:
    form = IntakeForm(db, [])
    qtbot.addWidget(form)
    asked: list[str] = []

    def ask(matches: list) -> object:  # type: ignore[type-arg]
        asked.append(matches[0].match.name)
        return answer(matches) if callable(answer) else answer

    form.ask_about_match = ask  # type: ignore[method-assign]
    form.last.setText("Butlr")
    form.first.setText("Helen")
    form.dob.setText("1980-05-17")
    form.docket.setText("2015KN044321")
    form.charges.setText("PL 221.10")
    return form, asked


def _people(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count(Person.id))) or 0)


def test_use_this_person_adds_the_case_to_them(qtbot: QtBot, sqlite_db: Database) -> None:
    make_motion(sqlite_db, last="Butler", first="Helen", dob=date(1980, 5, 17))
    form, asked = _form(qtbot, sqlite_db, lambda matches: matches[0].match.person_id)
    form.save()
    assert asked == ["Butler, Helen"]
    assert _people(sqlite_db) == 1


def test_a_new_person_is_kept_as_a_possible_duplicate(qtbot: QtBot, sqlite_db: Database) -> None:
    make_motion(sqlite_db, last="Butler", first="Helen", dob=date(1980, 5, 17))
    form, asked = _form(qtbot, sqlite_db, "Butler, Helen (born 1980-05-17)")
    form.save()
    assert asked and _people(sqlite_db) == 2
    with sqlite_db.reading() as session:
        reasons = session.scalars(select(MotionEvent.reason)).all()
    assert any("possible duplicate to review" in r and "Butler, Helen" in r for r in reasons)


def test_cancel_saves_nothing_and_keeps_what_was_typed(qtbot: QtBot, sqlite_db: Database) -> None:
    make_motion(sqlite_db, last="Butler", first="Helen", dob=date(1980, 5, 17))
    form, asked = _form(qtbot, sqlite_db, None)
    form.save()
    assert asked and _people(sqlite_db) == 1
    assert form.last.text() == "Butlr" and form.docket.text() == "2015KN044321"


def test_a_sealed_match_is_a_count_for_intake(qtbot: QtBot, sqlite_db: Database) -> None:
    """Intake may not see sealed records: a possible match known only through a sealed case
    shows as a count ("ask a supervisor"), never by name, docket or NYSID; a supervisor sees
    the person as before."""
    from casetracker.accounts.store import add_user
    from casetracker.domain.enums import CourtOutcome
    from casetracker.domain.models import Motion
    from casetracker.services.identity import set_signed_in

    made = make_motion(sqlite_db, last="Butler", first="Helen", nysid="12345678A")
    with sqlite_db.unit_of_work() as session:
        session.get(Motion, made.motion_ids[0]).outcome = CourtOutcome.GRANTED  # type: ignore[union-attr]
        add_user(session, None, "ada.admin", "administrator", "plum lantern river 42")
        add_user(session, "ada.admin", "ida.intake", "intake", "plum lantern river 42")
        add_user(session, "ada.admin", "sam.super", "supervisor", "plum lantern river 42")
    try:
        set_signed_in("ida.intake", "intake")
        form, asked = _form(qtbot, sqlite_db, None)
        form._show_matches(form._matches_now())
        shown = form.match_note.text() + " ".join(
            form.match_list.item(i).text() for i in range(form.match_list.count())
        )
        assert "1 possible match in a sealed record: ask a supervisor" in shown
        assert "Butler" not in shown and "12345678A" not in shown and "2016SN" not in shown
        sealed_asked: list[int] = []

        def enter_anyway(count: int) -> str:
            sealed_asked.append(count)
            return "a person in a sealed record"

        form.ask_about_sealed_match = enter_anyway  # type: ignore[method-assign]
        form.save()
        assert asked == [] and sealed_asked == [1] and _people(sqlite_db) == 2
        with sqlite_db.reading() as session:
            reasons = session.scalars(select(MotionEvent.reason)).all()
        assert any("a person in a sealed record may be the same" in r for r in reasons)

        set_signed_in("sam.super", "supervisor")
        form, asked = _form(qtbot, sqlite_db, None)
        form._show_matches(form._matches_now())
        names = [form.match_list.item(i).text() for i in range(form.match_list.count())]
        assert any(n.startswith("Butler, Helen") for n in names), names
    finally:
        set_signed_in(None)
