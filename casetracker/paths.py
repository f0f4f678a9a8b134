"""Where the app keeps its files: per-user folders, and bundled resources in a frozen build."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import PlatformDirs

_DIRS = PlatformDirs("casetracker", appauthor=False)


def data_dir() -> Path:
    path = Path(os.environ.get("CASETRACKER_DATA_DIR") or _DIRS.user_data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = os.environ.get("CASETRACKER_DATA_DIR")
    path = Path(override) / "logs" if override else Path(_DIRS.user_log_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "casetracker.sqlite"


def resource_path(*parts: str) -> Path:
    """A file under resources/, found both in a checkout and in a PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base.joinpath("resources", *parts)


def package_path(*parts: str) -> Path:
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) / "casetracker" if base else Path(__file__).resolve().parent
    return root.joinpath(*parts)
