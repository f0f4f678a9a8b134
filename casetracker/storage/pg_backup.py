"""A PostgreSQL database is backed up with pg_dump's custom format (`pg_dump -Fc`), written
under a hidden name and renamed when pg_dump succeeds."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from casetracker.domain.errors import StorageError
from casetracker.paths import data_dir, private_dir


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The address for pg_dump without the password (which goes in its environment, not on
    a command line that others on the computer can list)."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    address = url.set(drivername="postgresql", password=None)
    return address.render_as_string(hide_password=False), env


def pg_dump_backup(url: URL, out: Path | None = None) -> Path:
    name = url.database or "casetracker"
    if out is None:
        out = private_dir(data_dir() / "backups") / f"{name}-{datetime.now():%Y%m%d-%H%M%S}.dump"
    elif out.is_dir():
        out = out / f"{name}-{datetime.now():%Y%m%d-%H%M%S}.dump"
    if not out.parent.is_dir():
        raise StorageError(f"The folder {out.parent} does not exist; choose another.")
    address, env = _libpq(url)
    program = shutil.which("pg_dump")
    if program is None:
        shown = url.set(drivername="postgresql").render_as_string(hide_password=True)
        raise StorageError(
            f"pg_dump is not installed here; install PostgreSQL's client tools, or run on "
            f"the server: pg_dump -Fc -f {out.name} '{shown}'"
        )
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        result = subprocess.run(
            [program, "-Fc", "-f", str(partial), "-d", address],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if result.returncode != 0:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            why = lines[0].removeprefix("pg_dump: error: ") if lines else "no reason given"
            raise StorageError(f"pg_dump failed: {why}")
        os.chmod(partial, 0o600)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out
