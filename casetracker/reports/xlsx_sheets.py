"""What every exported sheet has: a bold frozen header, an autofilter, sensible widths, real
dates with a date format, and a print setup (landscape, fit to width, "Confidential").

Sheets are streamed (openpyxl write-only mode) so a 100,000-row export stays fast and small in
memory; that mode wants widths, panes and page setup decided before the first row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from casetracker.reports.output import ExportError, atomic_file
from casetracker.reports.safe_text import safe_row, set_text

__all__ = ["ExportError", "atomic_file"]

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    number_format: str | None = None


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def add_sheet(
    book: Workbook,
    title: str,
    columns: Sequence[Column],
    *,
    header_text: str,
    freeze: str = "A2",
    filter_rows: int | None = None,
) -> WriteOnlyWorksheet:
    """A new streamed sheet with its header row written; `filter_rows` data rows follow."""
    sheet: WriteOnlyWorksheet = book.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = freeze
    print_setup(sheet, header_text)
    # The column titles sit just above the frozen pane; they repeat on every printed page.
    titles = int(freeze.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) - 1
    if filter_rows is not None:
        sheet.print_title_rows = f"{titles}:{titles}"
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A{titles}:{last}{titles + max(filter_rows, 1)}"
    return sheet


def print_setup(sheet: WriteOnlyWorksheet, header_text: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_LETTER
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    # Header and footer codes: &L/&C/&R sections, &P page, &N pages, && a literal ampersand.
    sheet.oddHeader.left.text = header_text.replace("&", "&&")
    sheet.oddHeader.right.text = "Confidential"
    sheet.oddHeader.right.font = "Calibri,Bold"
    sheet.oddFooter.left.text = "Confidential"
    sheet.oddFooter.center.text = "&A"
    sheet.oddFooter.right.text = "Page &P of &N"


def header_row(sheet: WriteOnlyWorksheet, titles: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet)
        set_text(cell, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def styled(
    sheet: WriteOnlyWorksheet,
    value: Any,
    *,
    font: Font | None = None,
    number_format: str | None = None,
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def data_row(sheet: WriteOnlyWorksheet, values: Sequence[Any]) -> list[Any]:
    """A data row: user text made inert; dates get openpyxl's own date formats."""
    return safe_row(sheet, values)


def write_table(
    sheet: WriteOnlyWorksheet, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> int:
    sheet.append(header_row(sheet, (c.title for c in columns)))
    formats = [c.number_format for c in columns]
    count = 0
    needs_format = any(formats)
    for values in rows:
        row = data_row(sheet, values)
        if needs_format:
            row = [
                styled(sheet, v, number_format=f)
                if f and v is not None and not isinstance(v, str | Cell)
                else v
                for v, f in zip(row, formats, strict=True)
            ]
        sheet.append(row)
        count += 1
    return count


def save(book: Workbook, path: Path) -> None:
    with atomic_file(path) as partial:
        book.save(partial)


def local_value(value: Any) -> Any:
    """Spreadsheets hold naive dates and times; never a time zone."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, date | datetime | int | float | str) or value is None:
        return value
    return str(value)
