"""Checking a workbook's size before the spreadsheet reader opens its sheets.

The reader (calamine) holds a sheet as one rectangle of cells from its first used cell to its
last, each cell a copy of its text: a sheet with cells in A1 and XFD1048576 asks for half a
terabyte, and 400,000 rows that all repeat one 1 KB shared text ask for gigabytes. A failed
allocation in it ends the whole process (the window with it), so the size a sheet would take
is worked out from the file first, and a sheet that would not fit is refused with one line.

What a sheet declares (its <dimension>) is trusted only where it is consistent with the file:
a sheet without one, or small enough to read through cheaply, is measured cell by cell.
"""

from __future__ import annotations

import re
import zipfile
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
# Bytes of XML per declared cell beyond which the declared dimension cannot be true.
_MAX_XML_PER_CELL = 4096
_CHUNK = 1 << 22
# A sheet's XML smaller than this is searched whatever it declares (a few milliseconds).
_ALWAYS_MEASURED = 4 * 2**20

_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\b[^>]*?\sref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"'
)
_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*?)/?>(?:\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>))?"
    rb"(?:\s*<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>)?"
)
_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')
_TYPE_SHARED = re.compile(rb'\st="s"')
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d{1,7})"')
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si\b[^>]*>(.*?)</(?:\w+:)?si>", re.S)
_TAG = re.compile(rb"<[^>]*>")
# In one pass: references to rows numbered 100,000 or more, and to columns past Z.
_FAR = re.compile(rb'r="(?:[A-Z]{0,3}\d{6,7}"|[A-Z]{2,3}\d)')
_FAR_PARTS = re.compile(rb'r="([A-Z]{0,3})(\d+)')


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
    """Raises SheetTooLargeError when a sheet of an .xlsx/.xlsm file would not fit in memory.
    Other formats, and files that are not zip archives, are left to the reader."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader says what is wrong with it
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        shared = members.get("xl/sharedStrings.xml")
        shared_lengths: list[int] | None = None
        for name, info in members.items():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            xml_bytes = info.file_size
            extent = _declared(archive, info)
            if extent is None or info.file_size < _ALWAYS_MEASURED or _implausible(extent, info):
                extent, xml_bytes = _quick_extent(archive, info)
            longest = 0
            if shared is not None and _estimate(extent, xml_bytes, shared.file_size) > (
                MEMORY_BUDGET
            ):
                longest = _longest_shared(archive, shared)
            if _estimate(extent, xml_bytes, longest) > MEMORY_BUDGET:
                # Only a bound so far: the real extent and shared text, cell by cell.
                if shared_lengths is None:
                    shared_lengths = _shared_lengths(archive, shared)
                extent = _measured(archive, info, shared_lengths)
            _refuse_if_too_large(path, name, extent, xml_bytes)


def _declared(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Extent | None:
    """The sheet's declared dimension, read from the start of its XML."""
    try:
        with archive.open(info) as stream:
            head = stream.read(65536)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return None
    found = _DIMENSION.search(head)
    if found is None:
        return None
    first_col, first_row = column_number(found[1]), int(found[2])
    last_col = column_number(found[3]) if found[3] else first_col
    last_row = int(found[4]) if found[4] else first_row
    rows = abs(last_row - first_row) + 1
    columns = abs(last_col - first_col) + 1
    return Extent(rows, columns, rows * columns)


def _quick_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[Extent, int]:
    """A bound on the sheet's rectangle, and its XML's real size, from two quick searches:
    rows numbered 100,000 or more, and columns past Z. Most lists have neither, and the
    searches over a 100,000-row sheet take a tenth of a second."""
    max_row = 99_999
    max_col = 26
    size = 0
    try:
        for data in _chunks(archive, info):
            size += len(data)
            for found in _FAR.finditer(data):
                parts = _FAR_PARTS.match(data, found.start())
                if parts is None:
                    continue
                max_row = max(max_row, int(parts[2]))
                if parts[1]:
                    max_col = max(max_col, column_number(parts[1]))
            if 2 * size > MEMORY_BUDGET:
                break  # too much XML already; the size alone refuses it
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        pass  # the reader will say the file is damaged
    return Extent(max_row, max_col, 0), size


def _implausible(extent: Extent, info: zipfile.ZipInfo) -> bool:
    """More XML than the declared cells could hold: the dimension is not the sheet's."""
    return info.file_size > max(extent.rows * extent.columns, 1) * _MAX_XML_PER_CELL


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


def _chunks(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, closing: bytes = b"</"
) -> Iterator[bytes]:
    """The member's bytes in pieces, each ending at the end of a closing tag (the last one
    starting with `closing`), so that no item is cut in two."""
    tail = b""
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
    if tail:
        yield tail


def _measured(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shared_lengths: list[int]) -> Extent:
    """The sheet's real extent and shared text, cell by cell."""
    min_row = min_col = 1 << 30
    max_row = max_col = 0
    cells = shared_cells = shared_bytes = 0
    row = 0  # a cell without a reference follows the one before
    col = 0
    try:
        for data in _chunks(archive, info):
            for match in _CELL.finditer(data):
                attributes, value = match[1], match[2]
                ref = _REF.search(attributes)
                if ref is not None:
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
            for found in _ROW.finditer(data):
                number = int(found[1])
                max_row = max(max_row, number)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        pass  # the reader will say the file is damaged
    if not cells:
        return Extent()
    return Extent(max_row - min_row + 1, max_col - min_col + 1, cells, shared_cells, shared_bytes)


def _longest_shared(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """A bound on the longest shared text, in bytes, markup included: one split per chunk,
    no item read one by one (a tenth of the time of _shared_lengths)."""
    longest = 0
    try:
        for data in _chunks(archive, info, b"</si>"):
            longest = max(longest, max(map(len, data.split(b"</si>")), default=0))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return info.file_size
    return longest


def _shared_lengths(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> list[int]:
    """The length in bytes of each shared text, by index."""
    if info is None:
        return []
    lengths: list[int] = []
    try:
        for data in _chunks(archive, info, b"</si>"):
            lengths.extend(len(_TAG.sub(b"", item[1])) for item in _SHARED_ITEM.finditer(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return lengths
    return lengths
