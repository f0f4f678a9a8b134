"""Running the real command line in a fresh process, as a user does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def one_line_refusal(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """The command refused with one line on stderr, exit code 2, naming `words`."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("casetracker: error: "), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def read_only_wrapper(folder: Path) -> list[str] | None:
    """A command prefix that runs with `folder` read-only: as an ordinary user the folder's
    mode does it; root ignores modes, so a read-only bind mount in a private mount namespace
    is used (None when that is not possible here)."""
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        return []
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = subprocess.run(
        [unshare, "-rm", "true"], capture_output=True, text=True, timeout=30, check=False
    )
    return [unshare, "-rm"] if probe.returncode == 0 else None


def run_read_only(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line with `folder` (and everything in it) read-only."""
    prefix = read_only_wrapper(folder)
    assert prefix is not None
    command = [sys.executable, str(ROOT / "main.py"), *args]
    if not prefix:
        mode = folder.stat().st_mode
        for path in [folder, *folder.iterdir()]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=ROOT)
        finally:
            for path in [*folder.iterdir(), folder]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            folder.chmod(mode)
    quoted = " ".join(f"'{part}'" for part in command)
    script = (
        f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}' && "
        f"exec {quoted}"
    )
    return subprocess.run(
        [*prefix, "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
