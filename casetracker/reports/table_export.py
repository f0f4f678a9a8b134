"""The motions table as currently filtered, to .xlsx or .csv (by the file's extension).

Rows are streamed from the database in batches, so exporting 100,000 motions keeps memory flat.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from casetracker.reports.calendar import to_local
from casetracker.reports.safe_text import csv_value
from casetracker.reports.xlsx_sheets import (
    DATE_FORMAT,
    Column,
    add_sheet,
    atomic_file,
    new_workbook,
    save,
    write_table,
)
from casetracker.services.desk import DeskQuery, motion_ids, rows_for
from casetracker.services.queries import MotionFilter, MotionRow

COLUMNS = (
    Column("Motion", 8),
    Column("Person", 28),
    Column("Date of birth", 12, DATE_FORMAT),
    Column("NYSID", 12),
    Column("Docket / summons", 18),
    Column("Charge", 14),
    Column("County", 18),
    Column("Kind", 17),
    Column("Stage", 16),
    Column("In stage since", 12, DATE_FORMAT),
    Column("Prosecutor", 18),
    Column("Court date", 12, DATE_FORMAT),
    Column("Sealing deadline", 12, DATE_FORMAT),
)


def table_rows(session: Session, flt: MotionFilter, search: str = "") -> Iterator[MotionRow]:
    """The rows the desk shows for this filter and search, in its order: the desk's own search
    decides, so the export can never disagree with the table. Streamed a page at a time."""
    ids = motion_ids(session, DeskQuery(filter=flt, search=search))
    for start in range(0, len(ids), _PAGE):
        page = ids[start : start + _PAGE]
        found = rows_for(session, page)
        yield from (found[i] for i in page if i in found)


_PAGE = 900


def _values(row: MotionRow) -> tuple[Any, ...]:
    return (
        row.id,
        row.person_name,
        row.date_of_birth,
        row.nysid,
        row.reference,
        row.charge,
        row.county.label if row.county else None,
        row.kind.label,
        row.stage.label,
        to_local(row.stage_entered_at, None).date(),
        row.assigned_prosecutor,
        row.court_date,
        row.sealing_deadline,
    )


def export_table(
    session: Session, flt: MotionFilter, path: Path, *, search: str = "", title: str = ""
) -> int:
    """Write the filtered table; returns the number of motions written."""
    path = Path(path)
    rows = (_values(row) for row in table_rows(session, flt, search))
    if path.suffix.lower() == ".csv":
        return _csv(rows, path)
    book = new_workbook()
    # The filter range is known only at the end; a generous range filters the same.
    sheet = add_sheet(
        book, "Motions", COLUMNS, header_text=title or "Motions", filter_rows=1_048_575
    )
    count = write_table(sheet, COLUMNS, rows)
    save(book, path)
    return count


def _csv(rows: Iterator[tuple[Any, ...]], path: Path) -> int:
    count = 0
    # utf-8 with a BOM: how Excel knows the file is UTF-8 (accents in names survive).
    with atomic_file(path) as partial, partial.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow([c.title for c in COLUMNS])
        for values in rows:
            writer.writerow(
                [v.isoformat() if hasattr(v, "isoformat") else csv_value(v) for v in values]
            )
            count += 1
    return count
