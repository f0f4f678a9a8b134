"""The accounts side of every operation (casetracker.operations): its permission checked in
the core before the body runs, and, for changes the motion history does not record (rules,
settings, users, reports and exports), an audit row written in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from casetracker.accounts import audit
from casetracker.accounts.permissions import require

if TYPE_CHECKING:
    # Not at run time: casetracker.operations installs these hooks as it loads.
    from casetracker.operations.actor import Actor
    from casetracker.operations.changes import Changes

# Operations whose effect the history of a motion does not show.
_AUDITED_PREFIXES = (
    "rules.",
    "settings.",
    "signoff.rule",
    "reason_codes.",
    "users.",
    "report",
    "export",
    "court_list.max",
)


def check_permission(session: Session, actor: Actor, name: str) -> None:
    require(session, actor, name)


def audit_operation(session: Session, actor: Actor, name: str, changes: Changes) -> None:
    if changes.settings or name.startswith(_AUDITED_PREFIXES):
        audit.record(
            session,
            actor,
            audit.RULES_CHANGE
            if name.startswith("rules.")
            else audit.SETTING_CHANGE
            if changes.settings
            else audit.EXPORT,
            name,
            summary=changes.summary or None,
            settings=sorted(changes.settings) or None,
        )


def install() -> None:
    from casetracker.operations import hooks

    hooks.add_before(check_permission)
    hooks.add_after(audit_operation)
