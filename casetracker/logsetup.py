"""The rotating log file. Tracebacks go here, never to the user; messages name record ids,
never a person's name, date of birth or NYSID."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
from pathlib import Path

from casetracker.paths import log_dir

_configured = False


def setup_logging(level: int = logging.INFO) -> Path:
    global _configured
    path = log_dir() / "casetracker.log"
    if _configured:
        return path
    _owner_only(path)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    # SQLAlchemy logs every statement and its values (names, NYSIDs) at INFO.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    _configured = True
    return path


def _owner_only(path: Path) -> None:
    """The log is made owner-only whatever the umask; one made before is tightened (never
    loosened). Rotated files keep the mode of the file they were."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for file in path.parent.glob(path.name + "*"):
        try:
            mode = file.stat().st_mode & 0o777
            if mode & 0o077:
                file.chmod(mode & 0o600)
        except OSError:
            pass
