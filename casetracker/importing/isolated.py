"""Reading a spreadsheet in a child process, so that a file that makes the reader crash or
run away ends that child, not the window.

The spreadsheet reader (calamine) is native code: when an allocation fails it aborts the
whole process, and some damaged files make it allocate far more than any list needs. The
preflight (preflight.py) refuses the shapes known to do that before the reader opens a file;
this is the second wall, for the shapes nobody has thought of yet. The child reads every sheet
under a memory cap and a time limit and hands the rows back; if it dies, is killed or runs
out of time, the import is refused with one line and nothing was read.

Portability: the child is started with the "spawn" method, which works the same on Linux,
macOS and Windows. The memory cap is RLIMIT_AS, which Linux enforces; macOS accepts it but does
not enforce it, and Windows has no such limit without a job object. There a runaway read is
stopped by the time limit only (and the system may page meanwhile); it still ends in the
child, never in the window.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import cast

from casetracker.importing.reader import ImportFileError, Sheet, SourceFile, open_source

# What the child may take: the reader's copy and the rows (preflight.MEMORY_BUDGET) and the
# interpreter itself, with room to spare.
MEMORY_LIMIT = 768 * 2**20
# A 100,000-row list reads in 1 to 2 s; a file small on disk that takes 20 s is no list. A
# big file gets longer: a million-row workbook (about 75 MB) reads in about 15 s.
TIME_LIMIT = 20.0
SECONDS_PER_MB = 0.5
_POLL = 0.1


def read_isolated(
    path: str | Path,
    *,
    cancelled: Callable[[], bool] | None = None,
    time_limit: float | None = None,
    memory_limit: int = MEMORY_LIMIT,
) -> SourceFile:
    """open_source(path) with every sheet read in a child process; ImportFileError (one
    line) when the file cannot be used, the child dies, runs out of time or memory."""
    path = Path(path)
    if time_limit is None:
        time_limit = TIME_LIMIT + SECONDS_PER_MB * path.stat().st_size / 2**20
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_read_in_child,
        args=(str(path), sender, memory_limit),
        name="casetracker-reader",
        daemon=True,
    )
    child.start()
    sender.close()  # the child holds the only writer: its end closes when it ends
    try:
        message = _receive(receiver, child, path.name, time_limit, cancelled)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if isinstance(message, str):
        raise ImportFileError(message)
    sha, names, sheets = cast(tuple[str, list[str], list[Sheet]], message)
    loaded = {sheet.name: sheet for sheet in sheets}

    def load(name: str) -> Sheet:
        return loaded[name]  # every sheet was read; SourceFile.sheet checks the name

    source = SourceFile(path, sha, names, load)
    source._loaded.update(loaded)
    return source


def _receive(
    receiver: Connection,
    child: multiprocessing.process.BaseProcess,
    name: str,
    time_limit: float,
    cancelled: Callable[[], bool] | None,
) -> object:
    deadline = time.monotonic() + time_limit
    while not receiver.poll(_POLL):
        if cancelled is not None and cancelled():
            child.kill()
            raise ImportFileError(f"Reading {name} was cancelled; nothing was read.")
        if time.monotonic() > deadline:
            child.kill()
            raise ImportFileError(
                f"{name}: reading it took more than {time_limit:.0f} s, far longer than any "
                "warrant list needs; it was stopped and nothing was read (a damaged or "
                "hostile file?). Copy the list's own rows into a new workbook and import that."
            )
        if not child.is_alive() and not receiver.poll(0):
            break
    try:
        return receiver.recv()
    except (EOFError, OSError):
        pass
    child.join(5)
    return (
        f"{name} could not be read: the spreadsheet reader failed on it (it asked for more "
        f"memory than any list needs, or crashed; exit code {child.exitcode}), so nothing was "
        "read (a damaged or hostile file?). Open and re-save it, or ask the sender for a new "
        "copy."
    )


def _limit_memory(limit: int) -> None:
    if sys.platform == "win32":
        return  # no address-space limit without a job object: the time limit stands alone
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _read_in_child(path: str, sender: Connection, memory_limit: int) -> None:
    """In the child: every sheet, or the one-line refusal, sent back through `sender`."""
    # What the reader prints when it fails (a native backtrace) is not for the user: the
    # parent says what happened in one line.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    os.close(quiet)
    _limit_memory(memory_limit)
    try:
        source = open_source(path, isolate=False)
        sheets = [source.sheet(name) for name in source.sheet_names]
        message: object = (source.sha256, source.sheet_names, sheets)
    except ImportFileError as error:
        message = str(error)
    except MemoryError:
        message = (
            f"{Path(path).name} could not be read within {memory_limit // 2**20:,} MB of "
            "memory (a damaged or hostile file?); nothing was read."
        )
    except Exception as error:  # one line for the parent, whatever the reader raised
        message = (
            f"{Path(path).name} cannot be read as a spreadsheet "
            f"({type(error).__name__}: {' '.join(str(error).split())[:120]})."
        )
    sender.send(message)
    sender.close()
