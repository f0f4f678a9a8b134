"""Who is acting: the signed-in account once the database has accounts; until then the
operating-system user name (or $CASETRACKER_USER)."""

from __future__ import annotations

import getpass
import os

_signed_in: str | None = None
_role: str | None = None


def set_signed_in(name: str | None, role: str | None = None) -> None:
    """Called by a client (command line, window) after a sign-in succeeds, and with None at
    sign-out; from then on `current_user()` is that account's name."""
    global _signed_in, _role
    _signed_in = name
    _role = role if name is not None else None


def current_role() -> str | None:
    """The signed-in account's role; None in a single-user database."""
    return _role


def current_user() -> str:
    if _signed_in is not None:
        return _signed_in
    override = os.environ.get("CASETRACKER_USER")
    if override:
        return override
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
