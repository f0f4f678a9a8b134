"""Office settings kept in the database, read and written inside the caller's unit of work."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from casetracker.domain.clock import utcnow
from casetracker.domain.models import AuditEntry, Setting
from casetracker.domain.workflow import DEFAULT_SEALING_DAYS, WorkflowSettings

SEALING_DAYS = "sealing_days"
OPPOSITION_NEEDS_SIGNOFF = "opposition_needs_signoff"


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(Setting, key)
    return default if row is None else row.value.get("value", default)


def set_setting(session: Session, key: str, value: Any, user: str) -> None:
    """Set an office setting; the change is an audit entry with its before and after."""
    row = session.get(Setting, key)
    before = None if row is None else row.value.get("value")
    if before != value:
        session.add(
            AuditEntry(
                at=utcnow(),
                user=user[:100],
                action="setting change",
                target=key[:200],
                detail={"before": before, "after": value},
            )
        )
    if row is None:
        session.add(Setting(key=key, value={"value": value}, updated_by=user))
    else:
        row.value = {"value": value}
        row.updated_by = user
        row.updated_at = utcnow()


def workflow_settings(session: Session) -> WorkflowSettings:
    days = get_setting(session, SEALING_DAYS, DEFAULT_SEALING_DAYS)
    signoff = get_setting(session, OPPOSITION_NEEDS_SIGNOFF, False)
    return WorkflowSettings(sealing_days=int(days), opposition_needs_signoff=bool(signoff))


# Keeping files (storage.backup, storage.error_reports): how many days, office-wide.
BACKUP_RETENTION_DAYS = "backup_retention_days"
ERROR_REPORT_RETENTION_DAYS = "error_report_retention_days"
RETENTION_DEFAULTS = {BACKUP_RETENTION_DAYS: 14, ERROR_REPORT_RETENTION_DAYS: 90}


def retention_days(session: Session, key: str) -> int:
    value = get_setting(session, key, RETENTION_DEFAULTS[key])
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return RETENTION_DEFAULTS[key]
