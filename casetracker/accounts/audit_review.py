"""Reading the audit log and verifying the chain: for administrators (audit.view)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from casetracker.accounts.audit import AuditRow, audit_log
from casetracker.accounts.permissions import require
from casetracker.storage.chain import Verification, verify_chain
from casetracker.storage.db import Database


def review_audit_log(
    session: Session,
    actor: Any,
    *,
    user: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    require(session, actor, "audit.view")
    return audit_log(session, user=user, since=since, limit=limit)


def verify_audit_chain(db: Database, actor: Any) -> Verification:
    """Chain whatever is still queued (a write unit of work does that before it commits),
    then walk the chain from its start."""
    with db.unit_of_work() as session:
        require(session, actor, "audit.view")
    with db.reading() as session:
        return verify_chain(session)
