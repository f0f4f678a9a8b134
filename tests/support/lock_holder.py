"""Another process holding SQLite's write lock, as a command-line import does."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Takes the write lock, says so, holds it, then lets go without writing.
_HOLDER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
"""


@contextmanager
def write_lock_held_elsewhere(path: Path, seconds: float) -> Iterator[None]:
    """Inside the block, another process holds the write lock of the database at `path` for
    `seconds` from the block's start; the block's end waits for that process to end."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.wait(timeout=120)
