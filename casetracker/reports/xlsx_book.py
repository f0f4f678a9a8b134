"""A workbook written with xlsxwriter that prints as well as it reads: the pieces the weekly
report's sheets share (cell styles, columns that fit their titles, tables written fast, print
setup with repeated titles, and user text kept inert).

Rows are streamed (constant_memory): each row goes to disk once the next one starts, so a
sheet of 100,000 rows costs no more memory than a sheet of ten. That mode wants rows written
in order, and row heights and page setup decided before the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from casetracker.reports.output import atomic_file
from casetracker.reports.safe_text import DANGEROUS_STARTS

_FIRST = frozenset(s[0] for s in DANGEROUS_STARTS)
# Landscape US letter less its margins (0.5" each side, 0.75" top and bottom), in points;
# a row of Arial 10 is 12.75 pt high at 100 %.
PAGE_WIDTH_PT = 720.0
PAGE_HEIGHT_PT = 500.0
ROW_PT = 12.75

# Column kinds: how a value is written and aligned.
TEXT, INT, ONE_DECIMAL, PERCENT, DATE, DATETIME = (
    "text",
    "int",
    "one_decimal",
    "percent",
    "date",
    "datetime",
)
_NUMBER_FORMATS = {
    INT: "#,##0",
    ONE_DECIMAL: "0.0",
    PERCENT: "0.0%",
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
}
_MIN_WIDTH = {TEXT: 10, INT: 8, ONE_DECIMAL: 8, PERCENT: 8, DATE: 11, DATETIME: 16}


@dataclass(frozen=True)
class Col:
    """A table column: its title, what it holds, and (for text) how wide it may grow."""

    title: str
    kind: str = INT
    width: float | None = None

    @property
    def fitted_width(self) -> float:
        """Wide enough for the longest word of the title (titles wrap between words) and
        for the values it holds."""
        longest = max((len(word) for word in self.title.split()), default=0)
        return max(self.width or 0, longest + 2, _MIN_WIDTH[self.kind])

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


class Styles:
    """The formats of the workbook, made once (xlsxwriter keeps every format it is given)."""

    def __init__(self, book: Workbook) -> None:
        add = book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.bold = add({"bold": True})
        self.note = add({"text_wrap": True, "valign": "top"})
        self.quoted = add({"quote_prefix": True})
        self.bold_quoted = add({"bold": True, "quote_prefix": True})
        head = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#305496"}
        head.update({"text_wrap": True, "valign": "top", "border": 1, "border_color": "#FFFFFF"})
        self.head_left = add({**head, "align": "left"})
        self.head_right = add({**head, "align": "right"})
        # Column titles can be user text too (a prosecutor's or an event's name).
        self.head_left_quoted = add({**head, "align": "left", "quote_prefix": True})
        self.head_right_quoted = add({**head, "align": "right", "quote_prefix": True})
        self.group = add({"bold": True, "bottom": 1})
        self.numbers = {kind: add({"num_format": f}) for kind, f in _NUMBER_FORMATS.items()}
        self.bold_numbers = {
            kind: add({"num_format": f, "bold": True}) for kind, f in _NUMBER_FORMATS.items()
        }
        self.right = add({"align": "right"})


def new_book(path: Path) -> Workbook:
    return Workbook(
        str(path),
        {
            "constant_memory": True,
            # User text is text: never a formula, a link or a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
            # Arial prints the same everywhere: Excel has it, and LibreOffice has a font with
            # its exact widths (Liberation Sans), so columns sized here fit their titles in
            # both. (Calibri becomes a wider font where it is missing, and titles get cut.)
            "default_format_properties": {"font_name": "Arial", "font_size": 10},
            "default_row_height": 17,
        },
    )


@contextmanager
def saved_book(path: Path) -> Iterator[Workbook]:
    """A workbook that becomes `path` only when the block succeeds; readable by its owner only,
    as it holds names (reports.output)."""
    with atomic_file(path) as partial:
        book = new_book(partial)
        try:
            yield book
        finally:
            book.close()


def text(
    sheet: Worksheet, styles: Styles, row: int, col: int, value: str, bold: bool = False
) -> None:
    """User text, kept inert: a leading = + - @ gets the quote prefix, so it stays text even
    after someone edits the cell."""
    if value and value[0] in _FIRST:
        sheet.write_string(row, col, value, styles.bold_quoted if bold else styles.quoted)
    else:
        sheet.write_string(row, col, value, styles.bold if bold else None)


def set_columns(sheet: Worksheet, columns: Sequence[Col], first: int = 0) -> None:
    for index, column in enumerate(columns, start=first):
        sheet.set_column(index, index, column.fitted_width)


def header_height(columns: Sequence[Col]) -> float:
    """Points for a header row whose titles wrap to fit their columns."""
    lines = 1
    for column in columns:
        lines = max(lines, _wrapped_lines(column.title, column.fitted_width))
    return ROW_PT * lines + 2


def _wrapped_lines(title: str, width: float) -> int:
    lines, used = 1, 0
    for word in title.split():
        need = len(word) if used == 0 else used + 1 + len(word)
        if need > width - 1 and used:
            lines += 1
            used = len(word)
        else:
            used = need
    return lines


def write_header(
    sheet: Worksheet, styles: Styles, row: int, columns: Sequence[Col], first: int = 0
) -> None:
    sheet.set_row(row, header_height(columns))
    for index, column in enumerate(columns, start=first):
        quoted = bool(column.title) and column.title[0] in _FIRST
        if column.numeric:
            style = styles.head_right_quoted if quoted else styles.head_right
        else:
            style = styles.head_left_quoted if quoted else styles.head_left
        sheet.write_string(row, index, column.title, style)


def row_writers(
    sheet: Worksheet, styles: Styles, columns: Sequence[Col], bold: bool = False
) -> list[Callable[[int, int, Any], Any]]:
    """One writer per column, chosen once: a table of 100,000 rows calls them a million times."""
    numbers = styles.bold_numbers if bold else styles.numbers
    writers: list[Callable[[int, int, Any], Any]] = []
    for column in columns:
        if column.kind == TEXT:
            writers.append(_text_writer(sheet, styles, bold))
        elif column.kind in (DATE, DATETIME):
            writers.append(_date_writer(sheet, numbers[column.kind], numbers[DATE]))
        else:
            writers.append(_number_writer(sheet, styles, numbers[column.kind], bold))
    return writers


def _text_writer(sheet: Worksheet, styles: Styles, bold: bool) -> Callable[[int, int, Any], Any]:
    write = sheet.write_string
    plain = styles.bold if bold else None
    quoted = styles.bold_quoted if bold else styles.quoted

    def write_text(row: int, col: int, value: Any) -> None:
        value = value if isinstance(value, str) else str(value)
        write(row, col, value, quoted if value and value[0] in _FIRST else plain)

    return write_text


def _number_writer(
    sheet: Worksheet, styles: Styles, style: Format, bold: bool
) -> Callable[[int, int, Any], Any]:
    write, write_string = sheet.write_number, sheet.write_string
    write_text = _text_writer(sheet, styles, bold)

    def write_number(row: int, col: int, value: Any) -> None:
        if isinstance(value, int | float):
            write(row, col, value, style)
        elif value == "n/a":
            write_string(row, col, value, styles.right)  # aligned with the numbers
        else:
            write_text(row, col, value)

    return write_number


def _date_writer(
    sheet: Worksheet, with_time: Format, day_only: Format
) -> Callable[[int, int, Any], Any]:
    write = sheet.write_datetime

    def write_date(row: int, col: int, value: Any) -> None:
        write(row, col, value, with_time if isinstance(value, datetime) else day_only)

    return write_date


def write_rows(
    sheet: Worksheet,
    styles: Styles,
    first_row: int,
    columns: Sequence[Col],
    rows: Iterable[Sequence[Any]],
    first_col: int = 0,
) -> int:
    """Write the rows under a header; returns the next free row. None leaves a cell empty."""
    writers = list(enumerate(row_writers(sheet, styles, columns), start=first_col))
    row = first_row
    for values in rows:
        for (col, write), value in zip(writers, values, strict=True):
            if value is not None:
                write(row, col, value)
        row += 1
    return row


class StreamedSheet(Worksheet):
    """A worksheet that writes long tables as XML straight into xlsxwriter's row file.

    xlsxwriter's own cell calls cost several microseconds each, too many for the million
    cells of a 100,000-motion backlog; here a row is one string. What it writes is what
    xlsxwriter writes for the same cells (inline strings in constant_memory mode, numbers and
    dates as values with their cell style), and the sheet's size is recorded the same way.
    It reaches into xlsxwriter (its row file, row counter and sheet size): pyproject pins the
    versions it was checked with, and tests read every detail sheet back.
    """

    def write_table_rows(
        self, styles: Styles, first_row: int, columns: Sequence[Col], rows: Iterable[Sequence[Any]]
    ) -> int:
        """Write the rows from `first_row` on (nothing may follow them on this sheet);
        returns the next free row. None leaves a cell empty."""
        if not self.constant_memory:
            return write_rows(self, styles, first_row, columns, rows)
        self._write_single_row(first_row)  # flush the rows written so far (the header)
        encoders = [_encoder(styles, column, index) for index, column in enumerate(columns)]
        out = self.row_data_fh
        pending: list[str] = []
        row = first_row
        for values in rows:
            number = row + 1
            cells = "".join(
                encode(number, value)
                for encode, value in zip(encoders, values, strict=True)
                if value is not None
            )
            pending.append(f'<row r="{number}">{cells}</row>')
            row += 1
            if len(pending) >= 2000:
                out.write("".join(pending))
                pending.clear()
        out.write("".join(pending))
        if row > first_row:
            self._check_dimensions(row - 1, 0)
            self._check_dimensions(row - 1, len(columns) - 1)
        self.previous_row = row
        return row


def _encoder(styles: Styles, column: Col, index: int) -> Callable[[int, Any], str]:
    letter = xl_col_to_name(index)
    quoted = styles.quoted._get_xf_index()

    def encode_text(number: int, value: Any) -> str:
        value = value if isinstance(value, str) else str(value)
        if not _SPECIAL.search(value):  # most text: nothing to quote, keep or escape
            return f'<c r="{letter}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        if not value:
            return ""
        style = f' s="{quoted}"' if value[0] in _FIRST else ""
        space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
        if _NEEDS_ESCAPE.search(value):
            value = _escape(value)
        return f'<c r="{letter}{number}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'

    if column.kind == TEXT:
        return encode_text
    style = styles.numbers[column.kind]._get_xf_index()
    day_style = styles.numbers[DATE]._get_xf_index()

    def encode_number(number: int, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return encode_text(number, value)
        return f'<c r="{letter}{number}" s="{style}"><v>{value!r}</v></c>'

    def encode_date(number: int, value: Any) -> str:
        if isinstance(value, datetime):
            seconds = value.hour * 3600 + value.minute * 60 + value.second
            serial = value.toordinal() - _EXCEL_EPOCH + (seconds + value.microsecond / 1e6) / 86400
            return f'<c r="{letter}{number}" s="{style}"><v>{serial!r}</v></c>'
        if isinstance(value, date):
            serial = value.toordinal() - _EXCEL_EPOCH
            return f'<c r="{letter}{number}" s="{day_style}"><v>{serial}</v></c>'
        return encode_text(number, value)

    return encode_date if column.kind in (DATE, DATETIME) else encode_number


# Day 0 of Excel's 1900 date system, as an ordinal (1899-12-30, so that 1900-03-01 is 61).
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
# Anything encode_text must look at twice: an empty text, a leading = + - @ or space, a
# trailing space, or a character to escape.
_SPECIAL = re.compile(
    r"^$|^[=+\-@\s]|\s$|[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LITERAL_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")


def _escape(value: str) -> str:
    """As Excel (and xlsxwriter) write text: a literal _xHHHH_ is escaped, control characters
    become _xHHHH_, and & < > are XML entities."""
    value = _LITERAL_ESCAPE.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda match: f"_x{ord(match.group(0)):04X}_", value)
    value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def print_setup(
    sheet: Worksheet,
    header_text: str,
    *,
    widths: Sequence[float],
    title_rows: tuple[int, int] | None = None,
    title_columns: int | None = None,
) -> int:
    """Landscape letter, "Confidential" and page numbers on every page, titles repeated; the
    scale is fixed (not "fit to page", which LibreOffice lets override the page breaks) so
    that columns of these widths fit a page across. Returns the scale, for page breaks."""
    sheet.set_landscape()
    sheet.set_paper(1)  # US letter
    sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    header = header_text.replace("&", "&&")
    sheet.set_header(f'&L{header}&R&"Calibri,Bold"Confidential', {"margin": 0.3})
    sheet.set_footer("&LConfidential&C&A&RPage &P of &N", {"margin": 0.3})
    if title_rows is not None:
        sheet.repeat_rows(*title_rows)
    if title_columns is not None:
        sheet.repeat_columns(0, title_columns)
    scale = fit_scale(widths)
    sheet.set_print_scale(scale)
    return scale


# Printing below this scale makes 10 pt text too small to read on paper.
READABLE_SCALE = 80


def fit_width_chars(scale: int = READABLE_SCALE) -> float:
    """How many characters of column width fit a page across at `scale`."""
    points = PAGE_WIDTH_PT * 100 / scale / 1.08
    return points / 0.75 / 7 - 1.5


def fit_scale(widths: Sequence[float]) -> int:
    """The print scale (percent) at which columns of these widths fit a page across."""
    return max(10, min(100, int(100 * PAGE_WIDTH_PT / width_points(widths))))


def width_points(widths: Sequence[float]) -> float:
    """Printed width of columns of these widths (Arial 10: 7 px a character, 5 px of padding,
    and xlsxwriter rounds a width up by 0.71 character; 0.75 pt a pixel), with some to spare
    for the printer's own rounding."""
    return sum(((w + 0.71) * 7 + 5) * 0.75 for w in widths) * 1.08
