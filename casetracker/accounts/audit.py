"""The audit log: who signed in, failed, was locked out, opened whose record, searched for
what, ran which report or export, and changed which user, setting or rule.

Entries are written inside the unit of work of the action they describe, so an action that
fails leaves no entry claiming it happened; sign-in failures are written in a unit of work of
their own, so they are kept although the sign-in is refused. Never holds a password.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.domain.clock import utcnow
from casetracker.domain.models import AuditEntry
from casetracker.storage.db import session_is_read_only

SIGN_IN = "sign-in"
SIGN_IN_FAILED = "sign-in failed"
SIGN_OUT = "sign-out"
# A command line run by a signed-in user: its sign-in and what it was for, in one entry.
COMMAND_RUN = "command run"
LOCKED_OUT = "locked out"
SCREEN_LOCKED = "screen locked"
OPEN_RECORD = "open record"
SEARCH = "search"
REPORT = "report"
EXPORT = "export"
USER_CHANGE = "user change"
SETTING_CHANGE = "setting change"
RULES_CHANGE = "rules change"
PERMISSION_REFUSED = "permission refused"


def actor_name(actor: Any) -> str:
    """A user name, an Actor (casetracker.operations) or anything with a `name`."""
    return actor if isinstance(actor, str) else str(getattr(actor, "name", actor))


def record(
    session: Session,
    actor: Any,
    action: str,
    target: str | None = None,
    **detail: Any,
) -> AuditEntry | None:
    """None, with a line in the log, on a read-only database: lists and reports are still
    served from a file this user may not change, which cannot take the entry."""
    if session_is_read_only(session):
        logging.getLogger(__name__).warning(
            "audit entry %s not recorded: the database is read-only", action
        )
        return None
    entry = AuditEntry(
        at=utcnow(),
        user=actor_name(actor)[:100],
        action=action,
        target=None if target is None else target[:200],
        detail=_json_safe(detail),
    )
    session.add(entry)
    session.flush()
    return entry


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_json_safe(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):
        return _json_safe(value.value)
    return str(value)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user: str
    action: str
    target: str | None
    detail: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "user": self.user,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
        }


def audit_log(
    session: Session,
    *,
    user: str | None = None,
    since: datetime | None = None,
    actions: Sequence[str] = (),
    limit: int | None = None,
) -> list[AuditRow]:
    """Newest first. `user` is matched as names are (trimmed, NFC, any case)."""
    from casetracker.accounts.names import user_key

    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if actions:
        query = query.where(AuditEntry.action.in_(list(actions)))
    rows = session.scalars(query if user is not None or limit is None else query.limit(limit))
    wanted = None if user is None else user_key(user)
    result: list[AuditRow] = []
    for row in rows:
        if wanted is not None and user_key(row.user) != wanted:
            continue
        result.append(AuditRow(row.id, row.at, row.user, row.action, row.target, row.detail))
        if limit is not None and len(result) >= limit:
            break
    return result


def record_now(db: Any, actor: Any, action: str, target: str | None = None, **detail: Any) -> None:
    """An audit entry in a unit of work of its own: for what is read rather than changed
    (a search, a record opened, a report written), where the reading made no transaction
    that writes."""
    with db.unit_of_work() as session:
        record(session, actor, action, target, **detail)
