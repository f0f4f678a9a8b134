"""The error report: every error and warning, the rejected rows in their original columns
(to correct and import again), and the possible matches to review."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from casetracker.importing.plan import ImportPlan
from casetracker.normalize.cell import cell_text

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BOLD = Font(bold=True)


def safe(value: object) -> object:
    """A value as a report cell: text that a spreadsheet would run as a formula is defused."""
    if value is None or isinstance(value, bool | int | float | datetime | date):
        return value
    if isinstance(value, time | timedelta):
        return str(value)
    text = str(value)
    # Illegal XML control characters would make the whole file unreadable.
    text = "".join(ch for ch in text if ch >= " " or ch in "\n\t")
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def write_error_report(plan: ImportPlan, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    problems = workbook.create_sheet("Problems")
    problems.append(
        _header(problems, ["Severity", "Sheet", "Row", "Column", "Value", "Problem", "How to fix"])
    )
    for p in sorted(plan.problems, key=lambda p: (p.row, p.severity != "error")):
        problems.append(
            [p.severity, safe(p.sheet), p.row, safe(p.column), safe(p.value), p.problem, p.fix]
        )

    rejected = workbook.create_sheet("Rejected rows")
    headers = plan.mapping.headers
    rejected.append(_header(rejected, [*headers, "Row in original", "Problem"]))
    first_error: dict[int, str] = {}
    for p in plan.problems:
        if p.severity == "error":
            first_error[p.row] = (
                first_error.get(p.row, "") + ("; " if p.row in first_error else "") + p.problem
            )
    width = len(headers)
    for row_number, row in plan.rejected:
        cells = [safe(_plain(c)) for c in row[:width]]
        cells += [None] * (width - len(cells))
        rejected.append([*cells, row_number, first_error.get(row_number, "")])

    if plan.possible_matches:
        matches = workbook.create_sheet("Possible matches")
        matches.append(
            _header(
                matches,
                ["Row", "Name", "Date of birth", "May be", "Their name", "Their DOB", "Why"],
            )
        )
        for m in plan.possible_matches:
            matches.append(
                [
                    m.row,
                    safe(m.name),
                    m.date_of_birth,
                    m.other,
                    safe(m.other_name),
                    m.other_date_of_birth,
                    m.why,
                ]
            )
    workbook.save(path)
    return path


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float | datetime | date) or value is None:
        return value
    return cell_text(value)


def _header(sheet: Any, titles: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=safe(title))
        cell.font = _BOLD
        cells.append(cell)
    return cells
