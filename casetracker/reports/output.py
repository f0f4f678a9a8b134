"""Writing an export file: all or nothing, and private (no spreadsheet library needed here, so
a writer that does not use openpyxl does not pay for importing it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from casetracker.domain.errors import CasetrackerError
from casetracker.storage.private_files import private_output


class ExportError(CasetrackerError):
    pass


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yield a private scratch path; it becomes `path` (owner-only) only when the block
    succeeds, so a failed or cancelled export never leaves half a file (or spoils an older
    one), and no copy in a folder others can read (storage.private_files)."""
    path = Path(path)
    try:
        with private_output(path) as partial:
            yield partial
    except OSError as error:
        raise ExportError(
            f"Cannot write {path}: {error.strerror or error}. Choose another folder or close "
            "the file if it is open in another program."
        ) from None
