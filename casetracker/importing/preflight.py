"""Checking a workbook's size before the spreadsheet reader opens its sheets.

The reader (calamine) holds a sheet as one rectangle of cells from its first used cell to its
last, each cell a copy of its text: a sheet with cells in A1 and XFD1048576 asks for half a
terabyte, and 400,000 rows that all repeat one 1 KB shared text ask for gigabytes. A failed
allocation in it ends the whole process (the window with it), so the size a sheet would take
is worked out from the file first, and a sheet that would not fit is refused with one line.

What a sheet declares (its <dimension>) is not trusted: one cell outside it makes the
rectangle as big. The sheet's XML is searched for far references instead (a tenth of a second
at 100,000 rows), and measured cell by cell only when that bound is too big. Parts that
unpack to more than any list holds (zip bombs) are refused from the archive's directory
before anything is unpacked.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from casetracker.domain.errors import CasetrackerError

# What reading one sheet may take in memory: the reader's rectangle (about 32 bytes a cell)
# plus the rows as Python lists (8 bytes a cell), and each text twice (the reader's copy
# and Python's). Kept well under 1 GB so that checking and storing the rows fit beside it.
MEMORY_BUDGET = 600 * 2**20
_BYTES_PER_CELL = 40
_BYTES_PER_TEXT_CELL = 100  # two string objects' headers and the reader's String
_CHUNK = 1 << 22

_TYPE_SHARED = re.compile(rb'\st="s"')
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si\b[^>]*>(.*?)</(?:\w+:)?si>", re.S)
_TAG = re.compile(rb"<[^>]*>")
# In one pass: references to rows numbered 100,000 or more, and to columns past Z.
_FAR = re.compile(rb'r="(?:[A-Z]{0,3}\d{6,7}"|[A-Z]{2,3}\d)')
_FAR_PARTS = re.compile(rb'r="([A-Z]{0,3})(\d+)')
# A row or cell tag without a reference first (how every writer puts it).
_UNREFERENCED = re.compile(rb'<(c|row)(?:>|/>|\s(?!r="))')
_PREFIXED = re.compile(rb"<\w+:worksheet\b")
# A sheet's limits (Excel's): no reader makes a rectangle bigger than this.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
# A part of a workbook that unpacks to more than this is no list: its text alone, held by the
# reader and again as Python strings, would take the whole budget.
MAX_PART_BYTES = MEMORY_BUDGET // 2
_ZIPPED = frozenset({".xlsx", ".xlsm", ".xlsb", ".ods"})


class SheetTooLargeError(CasetrackerError):
    """A sheet that would not fit in memory; nothing was read."""


@dataclass
class Extent:
    rows: int = 0
    columns: int = 0
    cells: int = 0  # cells written in the file
    shared_text_cells: int = 0
    shared_text_bytes: int = 0  # the texts those cells repeat, counted once per cell


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_workbook(path: Path) -> None:
    """Raises SheetTooLargeError when a part of a zipped workbook (.xlsx, .xlsm, .xlsb, .ods)
    unpacks to more than any list holds (a zip bomb), or when a sheet of an .xlsx/.xlsm file
    would not fit in memory. Other formats, and files that are not zip archives, are left to
    the reader (and .xls, .xlsb and .ods are read in a child process: see isolated.py)."""
    suffix = path.suffix.lower()
    if suffix not in _ZIPPED:
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader says what is wrong with it
    with archive:
        check_unpacked_sizes(path, archive)
        if suffix not in (".xlsx", ".xlsm"):
            return
        members = {info.filename: info for info in archive.infolist()}
        shared = members.get("xl/sharedStrings.xml")
        shared_lengths: list[int] | None = None
        for name, info in members.items():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            # What the sheet declares (its <dimension>) is not trusted: one cell outside it
            # makes the reader's rectangle that much bigger. Its far references are searched.
            try:
                extent, xml_bytes = _quick_extent(path, archive, info)
            except _Unreadable:
                return
            longest = 0
            if shared is not None and _estimate(extent, xml_bytes, shared.file_size) > (
                MEMORY_BUDGET
            ):
                try:
                    longest = _longest_shared(path, archive, shared)
                except _Unreadable:
                    return
            if _estimate(extent, xml_bytes, longest) > MEMORY_BUDGET:
                # Only a bound so far: the real extent and shared text, cell by cell.
                try:
                    if shared_lengths is None:
                        shared_lengths = _shared_lengths(path, archive, shared)
                    # The texts the cells repeat, counted in one search: enough on its own
                    # to refuse a sheet that repeats a long text (no cell-by-cell pass).
                    texts = _shared_use(path, archive, info, shared_lengths)
                    if texts.shared_text_cells:
                        _refuse_if_too_large(path, name, texts, xml_bytes)
                    extent = _measured(path, archive, info, shared_lengths)
                except _Unreadable:
                    return
            _refuse_if_too_large(path, name, extent, xml_bytes)


def check_unpacked_sizes(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuses an archive with a part that unpacks to more than MAX_PART_BYTES, from the
    sizes its directory gives, before anything is unpacked. A directory that understates a
    part is caught when the part is read (zipfile stops at the stated size: bad CRC)."""
    for info in archive.infolist():
        if info.file_size > MAX_PART_BYTES:
            raise SheetTooLargeError(
                f"{path.name}: its part {info.filename} unpacks to "
                f"{info.file_size / 2**20:,.0f} MB (from {info.compress_size / 2**20:,.1f} MB "
                f"in the file), far more than any warrant list needs. It was not read (a "
                "damaged or hostile file?). Copy the list's own rows into a new workbook "
                "and import that."
            )


class DamagedArchiveError(SheetTooLargeError):
    """A part of the archive does not unpack to what its directory says."""


def _damaged(path: Path, info: zipfile.ZipInfo) -> DamagedArchiveError:
    return DamagedArchiveError(
        f"{path.name} is damaged: its part {info.filename} does not unpack to what the file "
        "says it holds. It was not read; open and re-save it, or ask the sender for a new copy."
    )


def _quick_extent(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> tuple[Extent, int]:
    """A bound on the sheet's rectangle, and its XML's real size, from two quick searches:
    references to rows numbered 100,000 or more or to columns past Z, and rows and cells
    written without a reference (each follows the one before, so each adds at most one to
    the bound). Most lists have none of these, and the searches over a 100,000-row sheet take
    a few tenths of a second. A sheet written with a namespace prefix (<x:c>) is bounded by
    the sheet's limits, so that it is measured cell by cell."""
    max_row = 99_999
    max_col = 26
    size = 0
    rows_unreferenced = cells_unreferenced = 0
    prefixed = False
    for data in _chunks(path, archive, info):
        if not size:
            prefixed = _PREFIXED.search(data, 0, 4096) is not None
        size += len(data)
        for found in _FAR.finditer(data):
            parts = _FAR_PARTS.match(data, found.start())
            if parts is None:
                continue
            max_row = max(max_row, int(parts[2]))
            if parts[1]:
                max_col = max(max_col, column_number(parts[1]))
        for found in _UNREFERENCED.finditer(data):
            if found[1] == b"c":
                cells_unreferenced += 1
            else:
                rows_unreferenced += 1
        if 2 * size > MEMORY_BUDGET:
            break  # too much XML already; the size alone refuses it
    if prefixed:
        return Extent(MAX_ROWS, MAX_COLUMNS, 0), size
    max_row = min(max_row + rows_unreferenced + cells_unreferenced, MAX_ROWS)
    max_col = min(max_col + cells_unreferenced, MAX_COLUMNS)
    return Extent(max_row, max_col, 0), size


def _estimate(extent: Extent, xml_bytes: int, longest_shared: int) -> int:
    """The most the reader and the rows could take: every cell of the rectangle, the inline
    text (no more than the XML), and every cell a copy of the longest shared text."""
    area = extent.rows * extent.columns
    return (
        area * _BYTES_PER_CELL + 2 * xml_bytes + area * (_BYTES_PER_TEXT_CELL + 2 * longest_shared)
    )


def _refuse_if_too_large(path: Path, member: str, extent: Extent, xml_bytes: int) -> None:
    area = extent.rows * extent.columns
    needed = (
        area * _BYTES_PER_CELL
        + extent.shared_text_cells * _BYTES_PER_TEXT_CELL
        + 2 * extent.shared_text_bytes
        + 2 * xml_bytes
    )
    if needed <= MEMORY_BUDGET:
        return
    sheet = member.rsplit("/", 1)[-1].removesuffix(".xml")
    if extent.shared_text_bytes * 2 > MEMORY_BUDGET // 2:
        why = (
            f"repeats {extent.shared_text_bytes / 2**20:,.0f} MB of text over "
            f"{extent.shared_text_cells:,} cells"
        )
    else:
        why = f"spans {extent.rows:,} rows by {extent.columns:,} columns ({area:,} cells)"
    raise SheetTooLargeError(
        f"{path.name}: a sheet ({sheet}) {why}; reading it would take about "
        f"{needed / 2**30:,.1f} GB of memory, far more than any warrant list needs. "
        "It was not read (a damaged or hostile file?). Copy the list's own rows into a new "
        "workbook and import that."
    )


class _Unreadable(Exception):
    """Python cannot unpack the part (an unusual compression): the reader says the rest."""


def _chunks(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, closing: bytes = b"</"
) -> Iterator[bytes]:
    """The member's bytes in pieces, each ending at the end of a closing tag (the last one
    starting with `closing`), so that no item is cut in two. A part that does not unpack to
    what the archive's directory says (a bad CRC, a truncated stream, more bytes than stated)
    raises DamagedArchiveError."""
    tail = b""
    try:
        with archive.open(info) as stream:
            while True:
                block = stream.read(_CHUNK)
                if not block:
                    break
                data = tail + block
                cut = data.rfind(closing)
                cut = data.find(b">", cut) + 1 if cut >= 0 else 0
                if cut <= 0 or len(data) - cut > _CHUNK:
                    cut = len(data)
                tail = data[cut:]
                yield data[:cut]
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise _damaged(path, info) from error
    except (NotImplementedError, RuntimeError, OSError, ValueError) as error:
        raise _Unreadable from error
    if tail:
        yield tail


_EVENT = re.compile(
    rb"<(?:\w+:)?(?:(row)|c)\b([^>]*?)/?>(?:\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>))?"
    rb"(?:\s*<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>)?"
)
_ANY_REF = re.compile(rb'\sr="([A-Z]{0,3})(\d{1,7})"')


def _measured(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, shared_lengths: list[int]
) -> Extent:
    """The sheet's real extent and shared text, row by row and cell by cell, as the reader
    places them: a row or cell without a reference follows the one before."""
    min_row = min_col = 1 << 30
    max_row = max_col = 0
    cells = shared_cells = shared_bytes = 0
    row = 0
    col = 0
    for data in _chunks(path, archive, info):
        for match in _EVENT.finditer(data):
            attributes, value = match[2], match[3]
            ref = _ANY_REF.search(attributes)
            if match[1] is not None:  # a row
                row = int(ref[2]) if ref is not None and not ref[1] else row + 1
                col = 0
                max_row = max(max_row, row)
                continue
            if ref is not None and ref[1]:
                col, row = column_number(ref[1]), int(ref[2])
            else:
                col += 1
                row = max(row, 1)
            cells += 1
            min_row, max_row = min(min_row, row), max(max_row, row)
            min_col, max_col = min(min_col, col), max(max_col, col)
            if value is not None and _TYPE_SHARED.search(attributes):
                shared_cells += 1
                index = int(value) if value.isdigit() else -1
                if 0 <= index < len(shared_lengths):
                    shared_bytes += shared_lengths[index]
    if not cells:
        return Extent()
    return Extent(max_row - min_row + 1, max_col - min_col + 1, cells, shared_cells, shared_bytes)


_SHARED_VALUE = re.compile(rb'\st="s"[^>]*>\s*<(?:\w+:)?v>(\d+)<')


def _shared_use(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, shared_lengths: list[int]
) -> Extent:
    """How many cells hold a shared text, and the bytes of those texts, counted once a cell;
    the extent left empty (a lower bound on what reading takes)."""
    uses: Counter[bytes] = Counter()
    for data in _chunks(path, archive, info):
        uses.update(_SHARED_VALUE.findall(data))
    count = len(shared_lengths)
    text_bytes = 0
    for index, times in uses.items():
        number = int(index)
        if number < count:
            text_bytes += shared_lengths[number] * times
    return Extent(0, 0, 0, sum(uses.values()), text_bytes)


def _longest_shared(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """A bound on the longest shared text, in bytes, markup included: one split per chunk,
    no item read one by one (a tenth of the time of _shared_lengths)."""
    longest = 0
    for data in _chunks(path, archive, info, b"</si>"):
        longest = max(longest, max(map(len, data.split(b"</si>")), default=0))
    return longest


def _shared_lengths(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo | None
) -> list[int]:
    """The length in bytes of each shared text, by index."""
    if info is None:
        return []
    lengths: list[int] = []
    for data in _chunks(path, archive, info, b"</si>"):
        lengths.extend(len(_TAG.sub(b"", item[1])) for item in _SHARED_ITEM.finditer(data))
    return lengths
