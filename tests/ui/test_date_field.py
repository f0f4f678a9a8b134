"""Typing a date as staff do: the field reads ISO and US forms, starts at today where a step
records something that happens now, and a dialog will not take text that is not a date."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from casetracker.domain.clock import today
from ui.court_lists import forms
from ui.date_field import DateField

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-20", date(2026, 12, 20)),
        ("12/20/2026", date(2026, 12, 20)),
        ("12/20/26", date(2026, 12, 20)),
    ],
)
def test_typing_a_date_gives_that_date(qtbot: QtBot, typed: str, expected: date) -> None:
    field = DateField(required=True)
    qtbot.addWidget(field)
    qtbot.keyClicks(field.line, typed)
    assert field.date() == expected
    assert field.problem() is None


def test_text_that_is_not_a_date_is_named(qtbot: QtBot) -> None:
    field = DateField(required=True)
    qtbot.addWidget(field)
    assert field.problem() == "a date is needed"
    qtbot.keyClicks(field.line, "0261220")
    assert field.date() is None
    assert "0261220" in (field.problem() or "")


# The offscreen platform cannot raise a popup or grab the keyboard; a real desktop can.
@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints|grabbing)")
def test_the_calendar_opens_at_today(qtbot: QtBot) -> None:
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    field.open_calendar()
    calendar = field._menu.actions()[0].defaultWidget()  # type: ignore[attr-defined]
    assert calendar.selectedDate().toPython() == today()
    calendar.clicked.emit(calendar.selectedDate())
    assert field.date() == today()


def test_the_outcome_form_asks_for_a_new_date_only_when_adjourned(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def answer(dialog: object) -> int:
        form = dialog.layout()  # type: ignore[attr-defined]
        fields = dict(forms._date_fields(form))
        outcome = next(
            w
            for w in dialog.findChildren(forms.QComboBox)  # type: ignore[attr-defined]
        )
        seen["granted"] = (
            fields["Order date"].isVisibleTo(dialog),
            fields["New court date"].isVisibleTo(dialog),
        )
        outcome.setCurrentIndex(outcome.findData("adjourned"))
        seen["adjourned"] = (
            fields["Order date"].isVisibleTo(dialog),
            fields["New court date"].isVisibleTo(dialog),
        )
        fields["New court date"].line.setText("1/14/27")
        dialog.accept()  # type: ignore[attr-defined]
        return 1

    monkeypatch.setattr(forms.QDialog, "exec", answer)
    result = forms.ask_outcome(None, date(2026, 12, 15))
    assert seen["granted"] == (True, False)
    assert seen["adjourned"] == (False, True)
    assert result is not None and result.new_date == date(2027, 1, 14)
