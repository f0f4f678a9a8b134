"""How long the window may sit unused before it locks: an office setting, 15 minutes unless
the office chooses otherwise, never more than 30 (CJIS 5.5.5 session lock)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casetracker.accounts.permissions import require
from casetracker.domain.errors import InvalidValueError
from casetracker.storage.settings import get_setting, set_setting

IDLE_LOCK_MINUTES = "idle_lock_minutes"
DEFAULT_MINUTES = 15
MAX_MINUTES = 30


def idle_lock_minutes(session: Session) -> int:
    value = get_setting(session, IDLE_LOCK_MINUTES, DEFAULT_MINUTES)
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        return DEFAULT_MINUTES
    return max(1, min(MAX_MINUTES, minutes))


def set_idle_lock_minutes(session: Session, minutes: int, user: str) -> None:
    require(session, user, "settings.change")
    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidValueError(
            f"The window locks after 1 to {MAX_MINUTES} idle minutes; {minutes} is out of range."
        )
    set_setting(session, IDLE_LOCK_MINUTES, minutes, user)
