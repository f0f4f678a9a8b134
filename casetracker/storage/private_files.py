"""Files with people's records in them are readable by their owner only, and no temporary copy
outlives the work.

- New files: the process's umask gains 077 at start (a stricter one is kept), so the database,
  backups, logs, error reports and exports are made 0600 and folders 0700. Windows has no
  umask: there the files take the permissions of the folder they are made in (the user's
  profile, private to the user and administrators), and `chmod` only sets read-only.
- Temporary files (openpyxl's, xlsxwriter's, report scratch files) go to a folder of this
  process inside the data folder's private `tmp/`, not the system's shared temp folder. It is
  removed when the process ends; one left by a killed process is removed at the next start.
"""

from __future__ import annotations

import atexit
import errno
import logging
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from casetracker.paths import data_dir, private_dir

log = logging.getLogger(__name__)

OWNER_ONLY = 0o600
# A scratch folder whose process cannot be asked about (or whose number was reused) is
# removed anyway once this old: no piece of work runs for two days.
STALE_AFTER_SECONDS = 2 * 24 * 3600

_scratch: Path | None = None


def restrict_new_files() -> None:
    """Every file and folder this process makes is its owner's alone (POSIX)."""
    if os.name == "posix":
        current = os.umask(0o077)
        os.umask(current | 0o077)


def scratch_root() -> Path:
    return private_dir(data_dir() / "tmp")


def process_scratch() -> Path:
    """This process's own temporary folder (made on first use, removed at exit)."""
    global _scratch
    root = scratch_root()
    if _scratch is None or _scratch.parent != root or not _scratch.is_dir():
        folder = root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        private_dir(folder)
        _scratch = folder
        atexit.register(shutil.rmtree, folder, True)
    return _scratch


@contextmanager
def private_temp_folder() -> Iterator[Path]:
    """For the length of the block (a command, the window's life), Python's tempfile, and
    so every library that uses it, writes into this process's private scratch folder; what
    killed processes left behind is removed first."""
    remove_leftover_scratch()
    folder = process_scratch()
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        synchronize, wait_timeout = 0x00100000, 0x00000102
        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(synchronize, False, pid)
        if not handle:
            return False
        try:
            return bool(kernel.WaitForSingleObject(handle, 0) == wait_timeout)
        finally:
            kernel.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def remove_leftover_scratch() -> int:
    """Remove the scratch folders of processes that no longer run; the number removed."""
    root = scratch_root()
    removed = 0
    now = time.time()
    for folder in root.iterdir():
        pid_text = folder.name.split("-", 1)[0]
        pid = int(pid_text) if pid_text.isdigit() else None
        try:
            old = now - folder.stat().st_mtime > STALE_AFTER_SECONDS
        except OSError:
            continue
        if folder == _scratch or (pid is not None and process_alive(pid) and not old):
            continue
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            folder.unlink(missing_ok=True)
        removed += 1
    if removed:
        log.info("removed %d temporary folders left by ended processes", removed)
    return removed


def _mode_of(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None


@contextmanager
def private_output(path: str | Path) -> Iterator[Path]:
    """Yield a scratch path in this process's private folder; it becomes `path` only when
    the block succeeds, owner-only (or as strict as the file it replaces), so a failed,
    cancelled or killed export never leaves half a file under the name asked for, nor a copy
    in a folder others can read. OSError when `path` cannot be written."""
    target = Path(path)
    # A missing or read-only folder is found when the file is moved there, not before: the
    # writer has then finished and closed its file (openpyxl's write-only workbook, left
    # unsaved, prints "Exception ignored" tracebacks when it is collected).
    work = process_scratch() / f"{uuid.uuid4().hex}{target.suffix}"
    try:
        yield work
        place(work, target)
    finally:
        work.unlink(missing_ok=True)


def place(work: Path, target: Path) -> None:
    """Move a finished file into place: a rename on the same disk, else a copy to a hidden
    name beside the target and a rename, so the target is never partly written."""
    # Owner-only, and never looser than the umask made the new file nor than the file it
    # replaces.
    before = _mode_of(target)
    made = _mode_of(work)
    mode = OWNER_ONLY & (0o777 if made is None else made) & (0o777 if before is None else before)
    os.chmod(work, mode)
    try:
        os.replace(work, target)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    beside = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        descriptor = os.open(beside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(descriptor, "wb") as out, work.open("rb") as source:
            shutil.copyfileobj(source, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(beside, target)
    finally:
        beside.unlink(missing_ok=True)
