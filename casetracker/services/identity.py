"""Who is acting. Until accounts exist, the operating-system user name."""

from __future__ import annotations

import getpass
import os


def current_user() -> str:
    override = os.environ.get("CASETRACKER_USER")
    if override:
        return override
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
