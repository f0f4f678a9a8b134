"""The rotating log file. Tracebacks go here, never to the user; messages name record ids,
never a person's name, date of birth or NYSID."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from casetracker.paths import log_dir

_configured = False


def setup_logging(level: int = logging.INFO) -> Path:
    global _configured
    path = log_dir() / "casetracker.log"
    if _configured:
        return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = True
    return path
