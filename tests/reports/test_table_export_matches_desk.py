""" "Export the table as filtered" writes exactly the motions the desk shows, in its order."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from casetracker.devtools.demo import generate_demo
from casetracker.domain.enums import Stage
from casetracker.reports.table_export import export_table
from casetracker.services.desk import DeskQuery, matching_rows
from casetracker.services.queries import MotionFilter
from casetracker.storage.db import Database


def test_export_equals_the_desk_for_search_and_filter(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.unit_of_work() as session:
        list(generate_demo(session, people=300, today=date(2026, 11, 20)))
    flt = MotionFilter(stages=(Stage.SCREENED, Stage.CONSENTED, Stage.INTAKE))
    with sqlite_db.unit_of_work() as session:
        sample = matching_rows(session, DeskQuery(filter=flt))[7]
    name_part = sample.last_name[:4].lower()
    docket_part = (sample.docket or "")[2:9].lower()
    # A two-letter search (as typing starts) taken from the sample, so it always finds it.
    short = sample.first_name[:2].lower()
    for search in ("", short, name_part, docket_part, f"{name_part} {sample.first_name}"):
        out = tmp_path / f"table-{search or 'all'}.csv"
        with sqlite_db.unit_of_work() as session:
            shown = [row.id for row in matching_rows(session, DeskQuery(filter=flt, search=search))]
            count = export_table(session, flt, out, search=search)
        with out.open(newline="", encoding="utf-8-sig") as handle:
            exported = [int(line[0]) for line in list(csv.reader(handle))[1:]]
        assert shown, f"the demo should have motions matching {search!r}"
        assert exported == shown and count == len(shown)
