"""Keeping user text inert in spreadsheets (formula injection, CWE-1236).

A name or note that begins with = + - @ tab or carriage return can be read as a formula by
Excel or LibreOffice. In .xlsx such text is written as a plain string cell with the "quote
prefix" style, so it stays text even after someone edits the cell; in .csv it gets a leading
apostrophe, which is what spreadsheet programs show as "this is text".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported only by the writers that use it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_STARTS)


def csv_value(value: Any) -> Any:
    """A value for csv.writer: text that could run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and is_dangerous(value):
        return "'" + value
    return value


def text_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A string cell that no spreadsheet program will evaluate."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    set_text(cell, value)
    return cell


def set_text(cell: Cell | WriteOnlyCell, value: str) -> None:
    # openpyxl itself turns a leading "=" into a formula cell; force the string type after it.
    cell.value = value
    cell.data_type = "s"
    cell.quotePrefix = True


def safe_row(sheet: WriteOnlyWorksheet, values: Sequence[Any]) -> list[Any]:
    """A row for a write-only sheet, with every dangerous text wrapped as a text cell.
    Other values pass through untouched, so the fast path stays fast."""
    return [
        text_cell(sheet, v) if isinstance(v, str) and v and v[0] in _FIRST else v for v in values
    ]


_FIRST = frozenset(s[0] for s in DANGEROUS_STARTS)
