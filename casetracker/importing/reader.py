"""Opening a spreadsheet file as sheets of rows, or refusing it with one line that says why."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from python_calamine import CalamineWorkbook, PasswordError

from casetracker.domain.errors import CasetrackerError
from casetracker.importing.preflight import SheetTooLargeError, check_workbook
from casetracker.storage.database_files import refuse_database_file

Cell = object
Row = list[Cell]

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xla", ".xlsb", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES
# Formats whose sheets the preflight cannot size from the file: read in a child process
# (isolated.py), so that a file that makes the reader crash or run away cannot end this one.
ISOLATED_SUFFIXES = frozenset({".xls", ".xla", ".xlsb", ".ods"})
# A warrant list of a million rows is far beyond any office's; a bigger sheet is not a list.
MAX_ROWS = 1_000_000
MAX_CSV_BYTES = 200 * 1024 * 1024
# Each cell a Python string (about 60 bytes) in a list: more than this would not fit in the
# memory one import may take (preflight.MEMORY_BUDGET); a million rows of eight is at it.
MAX_CSV_CELLS = 8_000_000


class ImportFileError(CasetrackerError):
    """The file cannot be used at all; nothing was read into the database."""

    def __init__(self, message: str) -> None:
        # Shown as one line: sheet names and headers from the file may hold line breaks.
        super().__init__(" ".join(message.split()))


@dataclass
class Sheet:
    name: str
    rows: list[Row]
    # The spreadsheet column of rows[i][0], 0 for A: calamine leaves out empty leading columns.
    first_column: int = 0


@dataclass
class SourceFile:
    path: Path
    sha256: str
    sheet_names: list[str]
    _loader: Callable[[str], Sheet]
    _loaded: dict[str, Sheet] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return self.path.name

    def sheet(self, name: str) -> Sheet:
        if name not in self.sheet_names:
            choices = ", ".join(f"'{n}'" for n in self.sheet_names)
            raise ImportFileError(f"{self.file_name} has no sheet '{name}' (it has {choices}).")
        if name not in self._loaded:
            self._loaded[name] = self._loader(name)
        return self._loaded[name]


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_source(
    path: str | Path,
    *,
    isolate: bool | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SourceFile:
    """Open a workbook or CSV file; ImportFileError (one line) when it cannot be used.

    isolate: read every sheet in a child process under a memory and time limit (see
    isolated.py): True always (the window: a file must never take it down), None for the
    formats the preflight cannot size (.xls, .xlsb, .ods), False never. cancelled: asked
    while a child reads; when it says yes the child is stopped."""
    path = Path(path)
    name = path.name
    refuse_database_file(path)  # before anything opens it: see storage/database_files.py
    if not path.exists():
        raise ImportFileError(f"{name}: there is no such file.")
    if path.is_dir():
        raise ImportFileError(f"{name} is a folder, not a spreadsheet file.")
    if not path.is_file():
        # A pipe would never end and a device never holds a list: neither is opened.
        raise ImportFileError(
            f"{name} is not a regular file (a pipe or a device?); save the list as a "
            "file and import that."
        )
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        allowed = ", ".join(sorted(SUFFIXES))
        raise ImportFileError(f"{name} is not a spreadsheet this app reads ({allowed}).")
    try:
        size = path.stat().st_size
        if size == 0:
            raise ImportFileError(f"{name} is empty (0 bytes).")
        if isolate or (isolate is None and suffix in ISOLATED_SUFFIXES):
            from casetracker.importing.isolated import read_isolated

            return read_isolated(path, cancelled=cancelled)
        sha = file_hash(path)
    except OSError as error:
        raise ImportFileError(f"{name} cannot be read: {error.strerror or error}.") from None
    if suffix in TEXT_SUFFIXES:
        return _open_text(path, sha, size)
    return _open_workbook(path, sha)


def _open_workbook(path: Path, sha: str) -> SourceFile:
    name = path.name
    try:
        check_workbook(path)
    except SheetTooLargeError as error:
        raise ImportFileError(str(error)) from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_names = [
            meta.name for meta in workbook.sheets_metadata if str(meta.visible).endswith("Visible")
        ] or list(workbook.sheet_names)
    except BaseException as error:  # calamine raises Rust panics as BaseException
        raise _refusal(name, error) from None
    if not sheet_names:
        raise ImportFileError(f"{name} has no sheets.")

    def load(sheet_name: str) -> Sheet:
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
            start = sheet.start
            if sheet.height > MAX_ROWS:
                raise ImportFileError(
                    f"{name}, sheet '{sheet_name}', has {sheet.height:,} rows; more than "
                    f"{MAX_ROWS:,} is not a warrant list. Split it and import the parts."
                )
            rows = cast(list[Row], list(sheet.iter_rows()))
        except ImportFileError:
            raise
        except BaseException as error:
            raise _refusal(f"{name}, sheet '{sheet_name}',", error) from None
        return Sheet(sheet_name, rows, start[1] if start else 0)

    return SourceFile(path, sha, sheet_names, load)


def _refusal(where: str, error: BaseException) -> BaseException:
    """The one-line refusal for a reader error; interrupts and memory errors pass through."""
    if isinstance(error, KeyboardInterrupt | SystemExit | MemoryError):
        return error
    if isinstance(error, PasswordError):
        return ImportFileError(
            f"{where} is password-protected; save an unprotected copy and import that."
        )
    return ImportFileError(f"{where} {_why_unreadable(error)}")


def _why_unreadable(error: BaseException) -> str:
    text = " ".join(str(error).split())
    lowered = text.lower()
    if "limit" in lowered:
        return "declares an impossibly large sheet (damaged or hostile file); it was not read."
    if "too small" in lowered or "past end" in lowered or "eof" in lowered or "buffer" in lowered:
        return "is truncated or damaged and cannot be read; ask the sender for a new copy."
    if "zip" in lowered or "invalid" in lowered or "xml" in lowered or "larger than" in lowered:
        return (
            "is damaged or not really a spreadsheet of its kind; open and re-save it, "
            "or ask the sender for a new copy."
        )
    detail = text[:120] or type(error).__name__
    return f"cannot be read as a spreadsheet ({detail})."


def _open_text(path: Path, sha: str, size: int) -> SourceFile:
    name = path.name
    if size > MAX_CSV_BYTES:
        raise ImportFileError(f"{name} is {size // 2**20:,} MB; split it and import the parts.")

    def load(_sheet_name: str) -> Sheet:
        data = path.read_bytes()
        if b"\x00" in data[:4096] and not _utf16(data):
            raise ImportFileError(
                f"{name} is not a text (CSV) file; if it is a spreadsheet, give it its real "
                "extension (.xlsx, .xls or .ods)."
            )
        text = decode_text(data)
        del data  # the text alone from here: a big file is not held twice over
        return Sheet(path.stem, parse_csv(text, name))

    return SourceFile(path, sha, [path.stem], load)


def _utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for UTF-16 text (Excel's "Unicode Text"), with its byte
    order mark or, without one, with a zero byte beside nearly every character of the start;
    None for anything else."""
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be"
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 8:
        return None
    if head[1::2].count(0) > pairs * 0.9 and head[0::2].count(0) < pairs * 0.1:
        return "utf-16-le"
    if head[0::2].count(0) > pairs * 0.9 and head[1::2].count(0) < pairs * 0.1:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode Text"), else Windows-1252: what
    Excel and Windows programs write."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    utf16 = _utf16(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace").removeprefix("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _lines(text: str, sample: str) -> Iterator[str]:
    """The text's lines, ends kept, for the CSV reader: a slice of the text each, where a
    StringIO would first copy the whole text at four bytes a character."""
    end_of_line = "\r" if "\n" not in sample and "\r" in sample else "\n"
    start = 0
    while True:
        end = text.find(end_of_line, start) + 1
        if not end:
            if start < len(text):
                yield text[start:]
            return
        yield text[start:end]
        start = end


def parse_csv(text: str, name: str = "The file") -> list[Row]:
    sample = text[:65536]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    # The sniffer guesses a delimiter; only the three common ones are trusted.
    delimiter = dialect.delimiter if dialect.delimiter in ",;\t|" else ","
    if delimiter == "," and sample.count(";") > sample.count(",") * 2:
        delimiter = ";"
    cells = text.count(delimiter) + text.count("\n") + 1
    if cells > MAX_CSV_CELLS:
        raise ImportFileError(
            f"{name} holds about {cells:,} cells; more than {MAX_CSV_CELLS:,} is no warrant "
            "list (a damaged or hostile file?). Split it and import the parts."
        )
    reader = csv.reader(_lines(text, sample), delimiter=delimiter, quotechar='"')
    try:
        rows: list[Row] = []
        for row in reader:
            rows.append(list(row))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(f"{name} has more than {MAX_ROWS:,} rows; split it.")
    except csv.Error as error:
        raise ImportFileError(f"{name}: the CSV text is malformed ({error}).") from None
    return rows
