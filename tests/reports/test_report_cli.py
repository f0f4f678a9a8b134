"""`casetracker report ...` end to end on a demo database."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from casetracker.cli.main import run
from casetracker.devtools.demo import generate_demo
from casetracker.domain.models import Motion
from casetracker.storage.db import Database


def test_report_commands_write_their_files(
    sqlite_db: Database, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite_db.unit_of_work() as session:
        for _ in generate_demo(session, people=200):
            pass
    with sqlite_db.unit_of_work() as session:
        court = session.query(Motion).filter(Motion.court_date.is_not(None)).first()
        assert court is not None and court.court_part
        day, part = court.court_date.isoformat(), court.court_part.lower()

    weekly, pdf = tmp_path / "w.xlsx", tmp_path / "w.pdf"
    assert (
        run(
            [
                "report",
                "weekly",
                "--week-ending",
                "2025-06-15",
                "--out",
                str(weekly),
                "--pdf",
                str(pdf),
                "--db",
                sqlite_url,
            ]
        )
        == 0
    )
    assert load_workbook(weekly).sheetnames == [
        "Summary",
        "By county",
        "By prosecutor",
        "By motion kind",
        "By community event",
        "Moved this week",
        "Open backlog",
        "Overdue sealing",
    ]
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert (
        run(
            [
                "report",
                "court-list",
                "--date",
                day,
                "--part",
                part,
                "--out",
                str(tmp_path / "c.pdf"),
                "--db",
                sqlite_url,
            ]
        )
        == 0
    )
    assert run(["report", "defenders", "--out", str(tmp_path / "d.xlsx"), "--db", sqlite_url]) == 0
    assert (
        run(
            [
                "report",
                "table",
                "--stage",
                "granted",
                "--out",
                str(tmp_path / "t.csv"),
                "--db",
                sqlite_url,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Weekly report for" in out and "motions written to" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["weekly", "--week-ending", "2025-13-01", "--out", "x.xlsx"], "is not a date"),
        (["weekly", "--week-ending", "2025-06-15", "--out", "x.csv"], "must end in .xlsx"),
        (
            ["court-list", "--date", "2025-06-12", "--part", "AP1", "--out", "c.xlsx"],
            "No motion is set down",
        ),
    ],
)
def test_report_mistakes_get_one_clear_line(
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    args = [str(tmp_path / a) if a.endswith((".xlsx", ".csv")) else a for a in args]
    assert run(["report", *args, "--db", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
