"""The no-contact list as a CSV file for the defender organizations."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from casetracker.courtlists.aftercare import NoContactRow
from casetracker.reports.safe_text import csv_value as safe_cell

HEADER = (
    "Person id",
    "Name",
    "Date of birth",
    "Motion id",
    "Stage",
    "Docket / summons",
    "County",
    "Defense organization",
)


def write_no_contact_csv(rows: Sequence[NoContactRow], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(
                [
                    row.person_id,
                    safe_cell(row.person_name),
                    row.date_of_birth.isoformat() if row.date_of_birth else "",
                    row.motion_id,
                    row.stage.label,
                    safe_cell(row.reference),
                    row.county,
                    safe_cell(row.defense_org or ""),
                ]
            )
