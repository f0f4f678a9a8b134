"""The error report: every error and warning, the rejected rows in their original columns
(to correct and import again), and the possible matches to review, best first, on a sheet of
their own.

Written with xlsxwriter in constant-memory mode: row by row straight to the file, each row
freed once written (100,000 rows x 16 cells: 8.6 s with openpyxl's write-only mode, a few
tenths of a second here, as the report holds only the rows with something to say).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from casetracker.importing.plan import ImportPlan
from casetracker.normalize.cell import cell_text

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet's own limits: a wider rejected row is cut, a longer text shortened.
MAX_COLUMNS = 16_384
MAX_ROWS = 1_048_576
MAX_TEXT = 32_767


def safe(value: object) -> object:
    """A value as a report cell: text that a spreadsheet would run as a formula is defused."""
    if value is None or isinstance(value, bool | int | float | datetime | date):
        return value
    if isinstance(value, time | timedelta):
        return str(value)
    text = str(value)
    # Illegal XML control characters would make the whole file unreadable.
    if not text.isprintable():
        text = "".join(ch for ch in text if ch >= " " or ch in "\n\t")
    if text.startswith(_FORMULA_STARTS):
        text = "'" + text
    return text[:MAX_TEXT]


class _Sheet:
    """One worksheet written row by row, every value with its type's own writer."""

    def __init__(self, workbook: Any, name: str, titles: list[str], bold: Any, dates: Any):
        self.sheet = workbook.add_worksheet(name)
        self.dates = dates
        self.row = 1
        self.sheet.write_row(0, 0, [safe(t) for t in titles[:MAX_COLUMNS]], bold)
        self.sheet.freeze_panes(1, 0)

    def add(self, values: list[object]) -> None:
        if self.row >= MAX_ROWS:
            return
        sheet, row = self.sheet, self.row
        for column, value in enumerate(values[:MAX_COLUMNS]):
            if value is None or value == "":
                continue
            if value.__class__ is str:
                sheet.write_string(row, column, value)
            elif isinstance(value, bool):
                sheet.write_boolean(row, column, value)
            elif isinstance(value, int | float):
                sheet.write_number(row, column, value)
            elif isinstance(value, datetime | date):
                sheet.write_datetime(row, column, value, self.dates)
            else:
                sheet.write_string(row, column, str(safe(value)))
        self.row += 1


def write_error_report(plan: ImportPlan, path: Path) -> Path:
    # Loaded here: only an import with something to report needs the writer.
    from xlsxwriter import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(
        str(path),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    try:
        bold = workbook.add_format({"bold": True})
        dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
        _write_problems(workbook, plan, bold, dates)
        _write_rejected(workbook, plan, bold, dates)
        _write_matches(workbook, plan, bold, dates)
    finally:
        workbook.close()
    return path


def _write_problems(workbook: Any, plan: ImportPlan, bold: Any, dates: Any) -> None:
    sheet = _Sheet(
        workbook,
        "Problems",
        ["Severity", "Sheet", "Row", "Column", "Value", "Problem", "How to fix"],
        bold,
        dates,
    )
    for p in sorted(plan.problems, key=lambda p: (p.row, p.severity != "error")):
        sheet.add(
            [p.severity, safe(p.sheet), p.row, safe(p.column), safe(p.value), p.problem, p.fix]
        )


def _write_rejected(workbook: Any, plan: ImportPlan, bold: Any, dates: Any) -> None:
    if not plan.rejected:
        return
    # The row's own columns first (as many as a sheet holds), then where it was and why.
    width = min(len(plan.mapping.headers), MAX_COLUMNS - 2)
    headers = plan.mapping.headers[:width]
    sheet = _Sheet(workbook, "Rejected rows", [*headers, "Row in original", "Problem"], bold, dates)
    why: dict[int, str] = {}
    for p in plan.problems:
        if p.severity == "error":
            why[p.row] = f"{why[p.row]}; {p.problem}" if p.row in why else p.problem
    for row_number, row in plan.rejected:
        cells = [safe(_plain(c)) for c in row[:width]]
        cells += [None] * (width - len(cells))
        sheet.add([*cells, row_number, why.get(row_number, "")])


def _write_matches(workbook: Any, plan: ImportPlan, bold: Any, dates: Any) -> None:
    if not plan.possible_matches:
        return
    sheet = _Sheet(
        workbook,
        "Possible matches",
        ["Score", "Row", "Name", "Date of birth", "May be", "Their name", "Their DOB", "Why"],
        bold,
        dates,
    )
    for m in plan.possible_matches:
        sheet.add(
            [
                m.score,
                m.row,
                safe(m.name),
                m.date_of_birth,
                m.other,
                safe(m.other_name),
                m.other_date_of_birth,
                m.why,
            ]
        )


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float | datetime | date) or value is None:
        return value
    return cell_text(value)
