"""A reader whose role may not see sealed records gets the same figures, but the detail rows
of sealed motions carry no name, number or reason; every report prints the audit chain head."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook

from casetracker.domain.models import Motion
from casetracker.reports.weekly_data import build_weekly_report
from casetracker.reports.weekly_figures import SEALED_NAME
from casetracker.reports.weekly_xlsx import write_weekly_xlsx
from casetracker.storage.db import Database
from tests.reports.known_history import NEW_YORK, WEEK_END, at, build_known_office


def test_sealed_motions_are_counted_but_not_named(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.unit_of_work() as session:
        ids = build_known_office(session)
    with sqlite_db.reading() as session:
        shown = build_weekly_report(session, WEEK_END, now=at(20, 12), tz=NEW_YORK)
        hidden = build_weekly_report(
            session, WEEK_END, now=at(20, 12), tz=NEW_YORK, hide_sealed=True
        )
        sealed = {ids["granted"], ids["notified"]}
        names = {
            f"{m.person.last_name}, {m.person.first_name}"
            for m in session.query(Motion).filter(Motion.id.in_(sealed))
        }
        dockets = {m.case.docket for m in session.query(Motion).filter(Motion.id.in_(sealed))}

    assert hidden.chain_head and hidden.chain_head.startswith("#")
    # The figures are the same; only the detail rows differ.
    assert (
        replace(
            hidden,
            sealed_masked=0,
            generated_at=shown.generated_at,
            moved=shown.moved,
            backlog=shown.backlog,
            overdue=shown.overdue,
        )
        == shown
    )
    rows = [*hidden.moved, *hidden.backlog, *hidden.overdue]
    assert hidden.sealed_masked == sum(1 for r in rows if r.motion_id in sealed) > 0
    for row in rows:
        if row.motion_id in sealed:
            assert row.person == SEALED_NAME and row.reference == ""
        else:
            assert row.person != SEALED_NAME
    assert {r.person for r in shown.moved if r.motion_id in sealed} <= names

    write_weekly_xlsx(hidden, tmp_path / "w.xlsx")
    book = load_workbook(tmp_path / "w.xlsx")
    cells = [
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    ]
    assert not any(name in cell for cell in cells for name in names)
    assert not any(docket in cells for docket in dockets)
    summary = [c for row in book["Summary"].iter_rows(values_only=True) for c in row if c]
    assert any(hidden.chain_head in str(c) for c in summary)
    assert any("sealed records show no name" in str(c) for c in summary)
