"""Hostile and oversized files, made on the spot (never committed): a workbook is a zip of
a few XML parts, written here directly so that a test can shape it as an attacker would."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _write(path: Path, sheet_parts: list[bytes], shared: list[str]) -> Path:
    items = "".join(f"<si><t>{text}</t></si>" for text in shared)
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(shared)}" uniqueCount="{len(shared)}">{items}</sst>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/sharedStrings.xml", strings)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START.encode())
            for part in sheet_parts:
                sheet.write(part)
            sheet.write(b"</worksheet>")
    return path


def corner_cells_xlsx(path: Path, dimension: str | None = "A1:XFD1048576") -> Path:
    """Cells in A1 and XFD1048576 only: a reader that holds the sheet as one rectangle asks
    for 17 billion cells. `dimension`: what the sheet declares (None: nothing; a small
    range: a lie)."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = (
        f"{declared}<sheetData>"
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>'
        "</sheetData>"
    )
    return _write(path, [body.encode()], ["x"])


def long_text_xlsx(path: Path, rows: int = 400_000, text_bytes: int = 1024) -> Path:
    """A list header, then `rows` rows of three cells that all repeat one shared text of
    text_bytes: a few MB on disk, gigabytes once every cell holds its own copy."""
    shared = ["Docket", "Name", "Charge", "X" * text_bytes]
    parts = [
        f'<dimension ref="A1:C{rows + 1}"/><sheetData>'.encode(),
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        b'<c r="C1" t="s"><v>2</v></c></row>',
    ]
    block: list[bytes] = []
    for number in range(2, rows + 2):
        block.append(
            f'<row r="{number}"><c r="A{number}" t="s"><v>3</v></c><c r="B{number}" t="s">'
            f'<v>3</v></c><c r="C{number}" t="s"><v>3</v></c></row>'.encode()
        )
        if len(block) == 10_000:
            parts.append(b"".join(block))
            block = []
    parts.append(b"".join(block))
    parts.append(b"</sheetData>")
    return _write(path, parts, shared)


def wide_csv(path: Path, columns: int = 16_500, rows: int = 3) -> Path:
    """A list whose rows run past Excel's 16,384 columns: the first three are a real list,
    the rest filler; one row has no charge, so the error report has a rejected row."""
    header = ["Docket", "Name", "Charge", *(f"Extra {i}" for i in range(columns - 3))]
    lines = [",".join(header)]
    for index in range(rows):
        charge = "" if index == 0 else "PL 221.05"
        filler = ["x"] * (columns - 3)
        lines.append(",".join([f"2015KN{index:06d}", f'"DOE{index}, JOHN"', charge, *filler]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# Excel's binary workbook (.xlsb): the same zip of parts, each a stream of records (a type
# and a length, each a little-endian base-128 number, then the record's bytes).
_XLSB_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
    "</Types>"
)
_XLSB_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/>'
    "</Relationships>"
)


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _record(kind: int, body: bytes = b"") -> bytes:
    return _varint(kind) + _varint(len(body)) + body


def _wide(text: str) -> bytes:
    return len(text).to_bytes(4, "little") + text.encode("utf-16-le")


def xlsb_with_cells(path: Path, cells: list[tuple[int, int, str]]) -> Path:
    """An .xlsb of one sheet holding the (row, column, text) cells given, 0-based."""
    workbook = b"".join(
        [
            _record(131),  # BrtBeginBook
            _record(143),  # BrtBeginBundleShs
            _record(
                156,
                (0).to_bytes(4, "little")
                + (1).to_bytes(4, "little")
                + _wide("rId1")
                + _wide("Sheet1"),
            ),  # BrtBundleSh: visible, tab 1, relationship, name
            _record(144),  # BrtEndBundleShs
            _record(132),  # BrtEndBook
        ]
    )
    rows: dict[int, list[tuple[int, str]]] = {}
    for row, column, text in cells:
        rows.setdefault(row, []).append((column, text))
    sheet = [_record(129), _record(148, bytes(16)), _record(145)]  # begin, dimension, data
    for row in sorted(rows):
        sheet.append(_record(0, row.to_bytes(4, "little") + bytes(13)))  # BrtRowHdr
        for column, text in sorted(rows[row]):
            # BrtCellSt: column, style, the text itself
            sheet.append(_record(6, column.to_bytes(4, "little") + bytes(4) + _wide(text)))
    sheet += [_record(146), _record(130)]  # end of data, end of sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _XLSB_CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS.replace("workbook.xml", "workbook.bin"))
        archive.writestr("xl/workbook.bin", workbook)
        archive.writestr("xl/_rels/workbook.bin.rels", _XLSB_WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.bin", b"".join(sheet))
    return path


def far_cell_after_list_xlsx(path: Path, rows: int = 100_000) -> Path:
    """A real-looking list of `rows` rows that declares exactly its own range (A1:C...), then
    one more cell at XFD1048576: the declared dimension is a lie only one cell tells."""
    parts = [
        f'<dimension ref="A1:C{rows + 1}"/><sheetData>'.encode(),
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        b'<c r="C1" t="s"><v>2</v></c></row>',
    ]
    parts.extend(
        f'<row r="{n}"><c r="A{n}" t="s"><v>3</v></c><c r="B{n}" t="s"><v>4</v></c>'
        f'<c r="C{n}" t="s"><v>5</v></c></row>'.encode()
        for n in range(2, rows + 2)
    )
    parts.append(b'<row r="1048576"><c r="XFD1048576" t="s"><v>5</v></c></row></sheetData>')
    return _write(path, parts, ["Docket", "Name", "Charge", "2015KN000001", "DOE, JOHN", "x"])


def unreferenced_cells_xlsx(path: Path) -> Path:
    """Cells written without references (each follows the one before): one in A1, and a last
    row of 16,384 after row 1,048,575 rows that say nothing of where they are."""
    body = [
        b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>',
        b"<row/>" * 1_048_574,
        b"<row>" + b'<c t="s"><v>0</v></c>' * 16_384 + b"</row></sheetData>",
    ]
    return _write(path, body, ["x"])


def bomb_xlsx(path: Path, part: str = "sheet", unpacked: int = 320 * 2**20) -> Path:
    """A workbook whose sheet XML (part="sheet") or shared texts (part="shared") unpack to
    `unpacked` bytes of one repeated letter: a zip bomb, small on disk."""
    filler = b"Y" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
            shared.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            shared.write(b"<si><t>")
            if part == "shared":
                for _ in range(unpacked >> 20):
                    shared.write(filler)
            shared.write(b"x</t></si></sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START.encode())
            sheet.write(b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
            if part == "sheet":
                for _ in range(unpacked >> 20):
                    sheet.write(filler)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return path


def lying_directory_xlsx(path: Path, unpacked: int = 8 * 2**20) -> Path:
    """A workbook whose directory says its sheet unpacks to a few hundred bytes (with the
    checksum of those bytes) while the sheet's data unpacks to `unpacked` bytes."""
    head = (_SHEET_START + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>').encode()
    data = head + b"Y" * unpacked + b"</t></is></c></row></sheetData></worksheet>"
    _write(path, [data[len(_SHEET_START) :]], ["x"])
    name = b"xl/worksheets/sheet1.xml"
    raw = bytearray(path.read_bytes())
    told_crc = zlib.crc32(data[: len(head)])
    # Local header (PK 3 4): CRC at 14, unpacked size at 22 (zip64: in the extra field);
    # central directory (PK 1 2): CRC at 16, unpacked size at 24 (same).
    for signature, crc_at, size_at, name_len_at, name_at in (
        (b"PK\x03\x04", 14, 22, 26, 30),
        (b"PK\x01\x02", 16, 24, 28, 46),
    ):
        position = raw.find(signature)
        while position >= 0:
            length = struct.unpack_from("<H", raw, position + name_len_at)[0]
            start = position + name_at
            if raw[start : start + length] == name:
                struct.pack_into("<I", raw, position + crc_at, told_crc)
                extra_len = struct.unpack_from("<H", raw, position + name_len_at + 2)[0]
                extra = start + length
                _tell_size(raw, position + size_at, extra, extra_len, len(head))
            position = raw.find(signature, position + 4)
    path.write_bytes(bytes(raw))
    return path


def _tell_size(raw: bytearray, size_at: int, extra: int, extra_len: int, size: int) -> None:
    """Writes `size` as the unpacked size, in the zip64 extra field if the header uses one."""
    if struct.unpack_from("<I", raw, size_at)[0] != 0xFFFFFFFF:
        struct.pack_into("<I", raw, size_at, size)
        return
    end = extra + extra_len
    while extra + 4 <= end:
        tag, length = struct.unpack_from("<HH", raw, extra)
        if tag == 1:  # zip64: the unpacked size comes first
            struct.pack_into("<Q", raw, extra + 4, size)
            return
        extra += 4 + length


# OpenDocument (.ods): a zip whose content.xml holds every sheet; a cell or row can say it
# repeats, so a few bytes can stand for millions of cells.
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
)
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def ods_cell(text: str, repeated: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{times}><text:p>{text}</text:p>'
        "</table:table-cell>"
    )


def write_ods(path: Path, parts: list[bytes]) -> Path:
    """An .ods whose one sheet's body (rows) is `parts`."""
    stamp = (2020, 1, 1, 0, 0, 0)
    content = zipfile.ZipInfo("content.xml", stamp)
    content.compress_type = zipfile.ZIP_DEFLATED
    manifest = zipfile.ZipInfo("META-INF/manifest.xml", stamp)
    manifest.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype", stamp), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr(manifest, _ODS_MANIFEST)
        with archive.open(content, "w", force_zip64=True) as stream:
            stream.write(_ODS_HEAD.encode())
            for part in parts:
                stream.write(part)
            stream.write(_ODS_TAIL.encode())
    return path


def ods_repeated_long_text(path: Path, rows: int = 400_000, text_bytes: int = 1024) -> Path:
    """A header, then one row of three 1 KB cells said to repeat `rows` times: under a KB on
    disk, over a GB once read."""
    text = "X" * text_bytes
    body = (
        "<table:table-row>"
        + ods_cell("Docket")
        + ods_cell("Name")
        + ods_cell("Charge")
        + "</table:table-row>"
        + f'<table:table-row table:number-rows-repeated="{rows}">'
        + ods_cell(text, 3)
        + "</table:table-row>"
    )
    return write_ods(path, [body.encode()])


def ods_corner_cells(path: Path) -> Path:
    """A cell in A1 and one in XFD1048576, the space between them repeated empty cells."""
    body = (
        "<table:table-row>" + ods_cell("x") + "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048574"><table:table-cell/>'
        "</table:table-row>"
        '<table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
        + ods_cell("y")
        + "</table:table-row>"
    )
    return write_ods(path, [body.encode()])


def ods_bomb(path: Path, unpacked: int = 320 * 2**20) -> Path:
    """An .ods whose content.xml unpacks to `unpacked` bytes (one long comment)."""
    filler = b" " * (1 << 20)
    return write_ods(
        path,
        [b"<table:table-row>", ods_cell("x").encode(), b"<!--"]
        + [filler] * (unpacked >> 20)
        + [b"--></table:table-row>"],
    )


# Excel 97-2003 (.xls): a BIFF8 record stream ("Workbook") inside an OLE compound file.
_SECTOR = 512
_FREE, _END_OF_CHAIN, _FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _biff(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _biff_bof(kind: int) -> bytes:
    # BIFF8, the substream's kind (5 workbook globals, 0x10 worksheet), build and year.
    return _biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0206))


def xls_with_numbers(path: Path, cells: list[tuple[int, int, float]]) -> Path:
    """An .xls of one sheet holding the (row, column, number) cells given, 0-based. The
    format stores a row and a column in 16 bits each, however far past the sheet's limits."""
    sheet = [_biff_bof(0x10)]
    sheet += [_biff(0x0203, struct.pack("<HHHd", r, c, 0, value)) for r, c, value in cells]
    sheet.append(_biff(0x000A))  # EOF
    name = "Sheet1".encode("latin-1")
    bound_sheet_length = 4 + 8 + len(name)  # header; position, state, kind, length; name
    globals_ = _biff_bof(0x05) + _biff(0x0042, struct.pack("<H", 1200))  # CODEPAGE: UTF-16
    # Padding records of no known kind: a stream under 4,096 bytes would live in the
    # compound file's mini stream, which this small writer does not make.
    padding = _biff(0x0860, bytes(4096))
    sheet_at = len(globals_) + bound_sheet_length + len(padding) + 4
    globals_ += _biff(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, len(name), 0) + name)
    globals_ += padding + _biff(0x000A)
    stream = globals_ + b"".join(sheet)
    assert len(stream) >= 4096
    sectors = -(-len(stream) // _SECTOR)
    stream += bytes(sectors * _SECTOR - len(stream))
    directory_sector = 1 + sectors
    fat = [_FAT_SECTOR, *range(2, sectors + 1), _END_OF_CHAIN, _END_OF_CHAIN]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack(
        "<IIIIIIII", 0, 1, directory_sector, 0, 4096, _END_OF_CHAIN, 0, _END_OF_CHAIN
    )
    header += struct.pack("<I", 0)  # no DIFAT sectors: the header's own list suffices
    header += struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108  # the FAT is sector 0

    def entry(label: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = label.encode("utf-16-le") + b"\x00\x00"
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _FREE, _FREE, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, _END_OF_CHAIN, 0)
    directory += entry("Workbook", 2, _FREE, 1, len(globals_) + len(b"".join(sheet)))
    directory = directory.ljust(_SECTOR, b"\x00")
    # Unused directory slots: an empty name and no siblings.
    directory = directory[:256] + b"".join(
        bytes(64)
        + struct.pack("<HBB", 0, 0, 0)
        + struct.pack("<III", _FREE, _FREE, _FREE)
        + bytes(16 + 4 + 16)
        + struct.pack("<IQ", 0, 0)
        for _ in range(2)
    )
    path.write_bytes(header + struct.pack(f"<{_SECTOR // 4}I", *fat) + stream + directory)
    return path


def many_cells_csv(path: Path, rows: int = 3_000, columns: int = 3_000) -> Path:
    """A CSV of rows x columns one-letter cells: 18 MB on disk at the default, and 9 million
    Python strings in lists (over half a GB) once read."""
    line = ",".join(["a"] * columns) + "\n"
    with path.open("w", encoding="ascii", newline="") as handle:
        handle.write("Docket,Name,Charge\n")
        for _ in range(rows):
            handle.write(line)
    return path
