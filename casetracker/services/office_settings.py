"""Changing office settings: the permission check, the range, then the stored value (whose
change the storage layer records in the audit log)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casetracker.accounts.permissions import require
from casetracker.domain.errors import InvalidValueError
from casetracker.storage.settings import RETENTION_DEFAULTS, SEALING_DAYS, set_setting


def set_sealing_days(session: Session, days: int, user: str) -> None:
    require(session, user, "settings.change")
    if not 1 <= days <= 3650:
        raise InvalidValueError(f"Sealing period {days} days is out of range (1 to 3650).")
    set_setting(session, SEALING_DAYS, days, user)


def set_retention_days(session: Session, key: str, days: int, user: str) -> None:
    """How long backups or error reports are kept (storage.settings.RETENTION_DEFAULTS)."""
    require(session, user, "settings.change")
    if key not in RETENTION_DEFAULTS:
        raise InvalidValueError(f"{key} is not a setting of how long files are kept.")
    if not 1 <= days <= 3650:
        raise InvalidValueError(f"Keeping files {days} days is out of range (1 to 3650).")
    set_setting(session, key, days, user)
