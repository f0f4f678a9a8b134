"""Where the app keeps its files: per-user folders, and bundled resources in a frozen build."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import PlatformDirs

_DIRS = PlatformDirs("casetracker", appauthor=False)


def private_dir(path: Path) -> Path:
    """Make `path` (and missing parents) a folder only its owner can open: the records of
    people with criminal cases are kept in it. A folder others could read is tightened;
    one already stricter is left alone. On Windows the mode is ignored and the folder
    keeps what the user's profile gives it (readable by that user and administrators)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            path.chmod(mode & 0o700)
    return path


def data_dir() -> Path:
    return private_dir(Path(os.environ.get("CASETRACKER_DATA_DIR") or _DIRS.user_data_dir))


def log_dir() -> Path:
    override = os.environ.get("CASETRACKER_DATA_DIR")
    path = Path(override) / "logs" if override else Path(_DIRS.user_log_dir)
    return private_dir(path)


DATABASE_NAME = "casetracker.sqlite"


def database_dir() -> Path:
    """The database's own folder inside the data folder. Nothing else is kept there, so no
    file dialog (import, reports) opens it by default; its backups/ folder is inside it."""
    return data_dir() / "database"


def config_dir() -> Path:
    """Per-user settings of this computer (not of the office, which are in the database)."""
    override = os.environ.get("CASETRACKER_DATA_DIR")
    return private_dir(Path(override) / "config" if override else Path(_DIRS.user_config_dir))


def default_database_path() -> Path:
    """database/casetracker.sqlite in the data folder; a database made before it had a
    folder of its own (casetracker.sqlite directly in the data folder) is still used where
    it is, as long as the new place holds none."""
    new = database_dir() / DATABASE_NAME
    old = data_dir() / DATABASE_NAME
    if not new.exists() and old.exists():
        return old
    return new


def resource_path(*parts: str) -> Path:
    """A file under resources/, found both in a checkout and in a PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base.joinpath("resources", *parts)


def package_path(*parts: str) -> Path:
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) / "casetracker" if base else Path(__file__).resolve().parent
    return root.joinpath(*parts)
