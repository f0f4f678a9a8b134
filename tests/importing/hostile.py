"""Hostile and oversized files, made on the spot (never committed): a workbook is a zip of
a few XML parts, written here directly so that a test can shape it as an attacker would."""

from __future__ import annotations

import zipfile
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
