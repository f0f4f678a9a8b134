"""Accounts in the window: Edit > Users and Edit > Audit log for administrators, Help > Roles
and permissions for everyone, the idle lock once someone is signed in, and an audit entry for
each person's record opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casetracker.accounts import audit
from casetracker.accounts.permissions import accounts_exist, allowed
from casetracker.accounts.roles import ROLES, permission_table
from casetracker.services.identity import current_role

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    slots = _AccountSlots(window)
    window.accounts = slots  # type: ignore[attr-defined]
    with window.db.reading() as session:
        signed_in = accounts_exist(session) and current_role() is not None
        administrator = allowed(session, window.actor, "users.manage")
        auditor = allowed(session, window.actor, "audit.view")
    users = QAction("&Users…", window)
    users.triggered.connect(slots.open_users)
    users.setEnabled(administrator)
    log = QAction("Audit &log…", window)
    log.triggered.connect(slots.open_audit)
    log.setEnabled(auditor)
    window.menus["edit"].addSeparator()
    window.menus["edit"].addAction(users)
    window.menus["edit"].addAction(log)
    roles = QAction("&Roles and permissions", window)
    roles.triggered.connect(slots.open_permissions)
    window.menus["help"].addAction(roles)
    slots.users_action, slots.audit_action = users, log
    if signed_in:
        from ui.accounts.idle_lock import IdleLock

        slots.idle_lock = IdleLock(window, window.actor.name)
    window.detail_shown.connect(slots.record_opened)
    window.rows_shown.connect(slots.search_shown)


class _AccountSlots(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.idle_lock: QObject | None = None
        self.users_action: QAction | None = None
        self.audit_action: QAction | None = None
        self._last_person: int | None = None
        self._last_search: tuple[str, str] | None = None
        # Search runs as the user types; the search recorded is the one they stopped at.
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(1500)
        self.search_timer.timeout.connect(self.record_search)

    def open_users(self) -> None:
        from ui.accounts.users_dialog import UsersDialog

        UsersDialog(self.window_.db, self.window_.actor, self.window_).exec()

    def open_audit(self) -> None:
        from ui.accounts.audit_viewer import AuditViewer

        AuditViewer(self.window_.db, self.window_.actor, self.window_).exec()

    def open_permissions(self) -> None:
        PermissionsDialog(self.window_).exec()

    def search_shown(self) -> None:
        if self.window_.shown_query.search.strip():
            self.search_timer.start()

    def record_search(self) -> None:
        query = self.window_.shown_query
        text = query.search.strip()
        key = (text, repr(query.filter))
        if not text or key == self._last_search:
            return
        self._last_search = key
        flt = query.filter
        audit.record_now(
            self.window_.db,
            self.window_.actor,
            audit.SEARCH,
            "desk",
            search=text,
            stages=[s.value for s in flt.stages] or None,
            kinds=[k.value for k in flt.kinds] or None,
            counties=[c.value for c in flt.counties] or None,
            rows=self.window_.model.rowCount(),
            sealed_hidden=flt.hide_sealed or None,
            channel="window",
        )

    def record_opened(self) -> None:
        """One entry per person opened: moving between one person's motions is one look."""
        detail = getattr(self.window_.detail, "detail", None)
        person_id = getattr(detail, "person_id", None)
        if person_id is None or person_id == self._last_person:
            return
        self._last_person = person_id
        audit.record_now(
            self.window_.db,
            self.window_.actor,
            audit.OPEN_RECORD,
            f"person {person_id}",
            motion=getattr(detail, "motion_id", None),
            channel="window",
        )


class PermissionsDialog(QDialog):
    """The permission table (resources/permissions.json) as a grid: what each role may do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Roles and permissions")
        self.resize(900, 640)
        table = permission_table()
        grid = QTableWidget(len(table.permissions), len(ROLES))
        grid.setHorizontalHeaderLabels([role.capitalize() for role in ROLES])
        grid.setVerticalHeaderLabels(
            [p.label[:1].upper() + p.label[1:] for p in table.permissions.values()]
        )
        grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        grid.setAccessibleName("Permissions")
        for row, permission in enumerate(table.permissions.values()):
            for column, role in enumerate(ROLES):
                grid.setItem(row, column, QTableWidgetItem("✓" if role in permission.roles else ""))
        self.grid = grid
        roles = QLabel(
            "<br>".join(f"<b>{r.capitalize()}</b>: {what}" for r, what in table.roles.items())
        )
        roles.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(roles)
        layout.addWidget(grid, 1)
        layout.addWidget(close)
