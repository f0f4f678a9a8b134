"""Possible matches on a city-sized list of ordinary names: few enough to review, and the
true near-duplicates among them, best first."""

from __future__ import annotations

from pathlib import Path

from casetracker.importing.plan import build_plan
from casetracker.importing.reader import open_source
from casetracker.storage.db import Database
from tests.importing.city import write_city_list

ROWS = 60_000


def test_a_city_list_flags_its_near_duplicates_and_little_else(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "city.csv"
    planted = write_city_list(path, ROWS, planted_each=20)
    with db.reading() as session:
        plan = build_plan(session, open_source(path))
    assert plan.counts.valid == ROWS
    matches = plan.possible_matches
    found = {(m.row, m.other) for m in matches}
    missed = [p for p in planted if (p.row, f"row {p.other_row} of this file") not in found]
    assert missed == []
    # Same name with another date of birth is common among 60,000 ordinary names (about
    # 30,000 such pairs here): it is no match by itself.
    assert len(matches) < ROWS // 100
    assert all(m.why and 0 < m.score <= 100 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    # A planted swap of day and month outranks a date one digit off.
    scores = {(m.row, m.other): m.score for m in matches}
    by_kind = {p.kind: scores[(p.row, f"row {p.other_row} of this file")] for p in planted}
    assert by_kind["day month"] > by_kind["dob digit"]
