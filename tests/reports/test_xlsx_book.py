"""The streamed detail rows are what xlsxwriter itself writes for the same cells, whatever the
text holds (entities, Excel's _xHHHH_ escapes, control characters, spaces, formulas)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from casetracker.reports.xlsx_book import (
    DATE,
    DATETIME,
    INT,
    ONE_DECIMAL,
    TEXT,
    Col,
    StreamedSheet,
    Styles,
    saved_book,
    write_header,
    write_rows,
)

TEXTS = [
    "plain",
    "a & b <c> > d",
    "_x0041_ stays as typed",
    "bell\x07inside",
    " leading space",
    "trailing space ",
    "=SUM(A1:A2)",
    "-2",
    "Renée Ñúñez",
]
COLUMNS = [Col("Text", TEXT), Col("Count", INT), Col("Days", ONE_DECIMAL)]
COLUMNS += [Col("Day", DATE), Col("When", DATETIME)]


def test_streamed_rows_equal_xlsxwriters_own(tmp_path: Path) -> None:
    rows: list[tuple[Any, ...]] = [
        (text, n, n / 4, date(2026, 3, n + 1), datetime(2026, 3, n + 1, 9, 30))
        for n, text in enumerate(TEXTS)
    ]
    rows.append((None, None, None, None, None))
    rows.append(("", 0, 0.0, None, None))  # an empty text is an empty cell
    path = tmp_path / "book.xlsx"
    with saved_book(path) as book:
        styles = Styles(book)
        streamed = book.add_worksheet("Streamed", worksheet_class=StreamedSheet)
        assert isinstance(streamed, StreamedSheet)
        write_header(streamed, styles, 0, COLUMNS)
        assert streamed.write_table_rows(styles, 1, COLUMNS, rows) == len(rows) + 1
        plain = book.add_worksheet("Cell by cell")
        write_header(plain, styles, 0, COLUMNS)
        write_rows(plain, styles, 1, COLUMNS, rows)
    book = load_workbook(path)
    ours, theirs = book["Streamed"], book["Cell by cell"]
    mine = list(ours.iter_rows(values_only=True))
    assert mine[-1][0] is None
    reference = list(theirs.iter_rows(values_only=True))
    assert mine[:-1] == reference[:-1] and mine[-1][1:] == reference[-1][1:]
    for got, want in zip(ours.iter_rows(max_row=len(rows)), theirs.iter_rows(), strict=False):
        for a, b in zip(got, want, strict=True):
            assert (a.data_type, a.number_format, a.quotePrefix) == (
                b.data_type,
                b.number_format,
                b.quotePrefix,
            ), a.coordinate
    values = [row[0] for row in ours.iter_rows(min_row=2, values_only=True)]
    assert values[:2] == ["plain", "a & b <c> > d"] and "=SUM(A1:A2)" in values
    assert ours["A8"].quotePrefix and not ours["A2"].quotePrefix
    assert ours.max_row == theirs.max_row
