"""Accounts in the window: sign-in at start, the idle lock that keeps open work, Edit > Users
for administrators only, the audit viewer, and sealed motions left out of the desk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from casetracker.accounts.store import add_user
from casetracker.devtools.demo import generate_demo
from casetracker.domain.enums import CourtOutcome
from casetracker.domain.models import AuditEntry, Motion
from casetracker.services.identity import set_signed_in
from casetracker.storage.db import Database, open_database
from tests.ui.helpers import wait_until
from ui.accounts.sign_in import SignInDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui

ADMIN, PASSWORD = "ada.admin", "plum lantern river 42"


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'office.sqlite'}")
    with db.unit_of_work() as session:
        for _ in generate_demo(session, people=40, seed=11):
            pass
        add_user(session, None, ADMIN, "administrator", PASSWORD)
        add_user(session, ADMIN, "ida.intake", "intake", PASSWORD)
    yield db
    set_signed_in(None)
    db.dispose()


def _window(qtbot: QtBot, db: Database, name: str, role: str) -> MainWindow:
    set_signed_in(name, role)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    wait_until(qtbot, lambda: window.model.rowCount() > 0)
    return window


def test_sign_in_dialog_says_what_is_wrong_and_locks_after_five(
    qtbot: QtBot, office: Database
) -> None:
    dialog = SignInDialog(office)
    qtbot.addWidget(dialog)
    dialog.name.setText("ida.intake")
    for _ in range(5):
        dialog.password.setText("not the password")
        dialog.try_sign_in()
    assert "Locked; an administrator can unlock it" in dialog.message.text()
    assert dialog.signed_in is None
    dialog.name.setText(" ADA.ADMIN ")
    dialog.password.setText(PASSWORD)
    dialog.try_sign_in()
    assert dialog.signed_in is not None and dialog.signed_in.name == ADMIN


def test_idle_lock_hides_the_desk_and_keeps_open_work(qtbot: QtBot, office: Database) -> None:
    window = _window(qtbot, office, "ida.intake", "intake")
    lock = window.accounts.idle_lock  # type: ignore[attr-defined]
    assert lock is not None and lock.minutes == 15
    window.filters.search.setText("half-typed search")
    seen: list[bool] = []

    def answer() -> bool:
        seen.append(window.centralWidget().isVisible())
        return True

    lock.ask = answer
    lock.last_input -= 16 * 60
    lock.check()
    assert seen == [False]  # hidden while the dialog asked
    assert window.centralWidget().isVisible()
    assert window.filters.search.text() == "half-typed search"
    with office.reading() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert "screen locked" in actions


def test_idle_lock_covers_open_dialogs_and_gives_them_back(qtbot: QtBot, office: Database) -> None:
    """A dialog open when the window locks (here the intake form, waiting in exec() as the
    window runs it) is covered while the sign-in dialog asks, and afterwards is still open
    with what was typed, and still answers as before."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog

    from ui.accounts.idle_lock import Cover
    from ui.intake_form import IntakeForm

    window = _window(qtbot, office, "ida.intake", "intake")
    window.statusBar().showMessage("Signed off motion 12")
    lock = window.accounts.idle_lock  # type: ignore[attr-defined]
    form = IntakeForm(office, [], window)
    seen: list[tuple[bool, bool, bool]] = []

    def answer() -> bool:
        covers = [c for c in form.findChildren(Cover) if c.isVisible()]
        seen.append(
            (
                len(covers) == 1 and covers[0].geometry() == form.rect(),
                form.isVisible(),  # still open, under its cover
                window.statusBar().isVisible(),
            )
        )
        return True

    lock.ask = answer

    def while_open() -> None:
        form.last.setText("Halfway")
        form.dob.setText("1980-05-17")
        lock.last_input -= 16 * 60
        lock.check()
        QTimer.singleShot(0, form.accept)

    QTimer.singleShot(0, while_open)
    result = form.exec()
    assert seen == [(True, True, False)]
    assert result == QDialog.DialogCode.Accepted  # the lock did not end the dialog
    assert form.findChildren(Cover) == []
    assert form.last.text() == "Halfway" and form.dob.text() == "1980-05-17"
    assert window.statusBar().isVisible()


def test_users_and_audit_log_are_for_administrators(qtbot: QtBot, office: Database) -> None:
    intake = _window(qtbot, office, "ida.intake", "intake")
    assert not intake.accounts.users_action.isEnabled()  # type: ignore[attr-defined]
    assert not intake.accounts.audit_action.isEnabled()  # type: ignore[attr-defined]
    admin = _window(qtbot, office, ADMIN, "administrator")
    assert admin.accounts.users_action.isEnabled()  # type: ignore[attr-defined]

    from ui.accounts.audit_viewer import AuditViewer
    from ui.accounts.users_dialog import UserFormDialog, UsersDialog

    dialog = UsersDialog(office, admin.actor, admin)
    qtbot.addWidget(dialog)
    assert [row.name for row in dialog.rows] == [ADMIN, "ida.intake"]

    def fill(**kw: object) -> UserFormDialog:
        form = UserFormDialog(dialog, **kw)  # type: ignore[arg-type]
        form.name.setText("pat.prosecutor")
        form.role.setCurrentText("prosecutor")
        form.password.setText("violet harbor ninety")
        form.again.setText("violet harbor ninety")
        return form

    dialog.ask_form = fill
    dialog.add()
    assert "pat.prosecutor" in [row.name for row in dialog.rows], dialog.message.text()
    viewer = AuditViewer(office, admin.actor, admin)
    qtbot.addWidget(viewer)
    assert viewer.table.rowCount() > 0
    viewer.verify()
    assert "Audit chain intact" in viewer.message.text()


def test_the_desk_leaves_sealed_motions_out_for_intake(qtbot: QtBot, office: Database) -> None:
    with office.reading() as session:
        total = session.scalar(select(func.count(Motion.id))) or 0
        sealed = (
            session.scalar(
                select(func.count(Motion.id)).where(Motion.outcome == CourtOutcome.GRANTED)
            )
            or 0
        )
    assert sealed
    admin = _window(qtbot, office, ADMIN, "administrator")
    assert admin.model.rowCount() == total
    intake = _window(qtbot, office, "ida.intake", "intake")
    assert intake.model.rowCount() == total - sealed


def test_a_settled_desk_search_is_audited_once(qtbot: QtBot, office: Database) -> None:
    window = _window(qtbot, office, ADMIN, "administrator")
    window.filters.search.setText("smith")
    wait_until(qtbot, lambda: window.shown_query.search == "smith")
    slots = window.accounts  # type: ignore[attr-defined]
    slots.record_search()
    slots.record_search()  # the same search again: no second entry
    with office.reading() as session:
        searches = session.scalars(select(AuditEntry).where(AuditEntry.action == "search")).all()
    assert [(e.user, e.detail["search"]) for e in searches] == [(ADMIN, "smith")]


def test_start_up_asks_for_a_sign_in_only_when_accounts_exist(
    qtbot: QtBot, office: Database, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casetracker.services.identity import current_role, current_user
    from ui import app
    from ui.accounts import sign_in

    assert app.sign_in_at_start(sqlite_db) is None  # single-user: no dialog at all

    def give_up(self: SignInDialog) -> int:
        return 0

    monkeypatch.setattr(sign_in.SignInDialog, "exec", give_up)
    assert app.sign_in_at_start(office) is False

    def sign_in_as_intake(self: SignInDialog) -> int:
        self.name.setText("ida.intake")
        self.password.setText(PASSWORD)
        self.try_sign_in()
        return 1 if self.signed_in else 0

    monkeypatch.setattr(sign_in.SignInDialog, "exec", sign_in_as_intake)
    who = app.sign_in_at_start(office)
    assert who and who.name == "ida.intake"
    assert (current_user(), current_role()) == ("ida.intake", "intake")


def test_a_persons_sealed_motions_are_left_out_of_their_record_for_intake(
    office: Database,
) -> None:
    from casetracker.services.motion_detail import motion_detail

    with office.reading() as session:
        pairs = session.execute(
            select(Motion.person_id, Motion.id, Motion.outcome).order_by(Motion.id)
        ).all()
    by_person: dict[int, list[tuple[int, object]]] = {}
    for person, motion, outcome in pairs:
        by_person.setdefault(person, []).append((motion, outcome))
    mixed = next(
        (
            ms
            for ms in by_person.values()
            if any(o == CourtOutcome.GRANTED for _, o in ms)
            and any(o != CourtOutcome.GRANTED for _, o in ms)
        ),
        None,
    )
    if mixed is None:
        pytest.skip("the demo office has no person with a sealed and an open motion")
    open_id = next(m for m, o in mixed if o != CourtOutcome.GRANTED)
    with office.reading() as session:
        full = motion_detail(session, open_id)
        hidden = motion_detail(session, open_id, hide_sealed=True)
    sealed = {m for m, o in mixed if o == CourtOutcome.GRANTED}
    assert sealed <= {row.id for row in full.motions}
    assert not sealed & {row.id for row in hidden.motions}
    assert len(hidden.cases) < len(full.cases)
