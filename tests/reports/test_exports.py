"""Every kind of export: hostile text stays text, and LibreOffice opens each file."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from casetracker.domain.enums import County, NotificationOutcome, ScreeningResult, Stage
from casetracker.reports.court_list import load_court_list, write_court_list
from casetracker.reports.defenders import load_defender_list, write_defender_list
from casetracker.reports.table_export import export_table
from casetracker.reports.weekly_data import build_weekly_report
from casetracker.reports.weekly_pdf import write_weekly_pdf
from casetracker.reports.weekly_xlsx import write_weekly_xlsx
from casetracker.services.intake import CaseInput, IntakeRequest, PersonInput, intake
from casetracker.services.motions import advance
from casetracker.services.queries import MotionFilter
from casetracker.storage.db import Database

HOSTILE = ['=HYPERLINK("http://x.invalid","click")', "+1", "-2", "@SUM(A1:A2)", "\tx", "\r=1"]
# What the app stores: input is trimmed, so "\tx" becomes harmless and "\r=1" becomes "=1".
STORED = [t.strip() for t in HOSTILE]
DANGEROUS = [t for t in STORED if t[0] in "=+-@"]
WEEK_END = date(2025, 6, 15)
COURT_DAY = date(2025, 6, 12)


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 6, day, hour, tzinfo=UTC)


@pytest.fixture
def hostile_office(sqlite_db: Database) -> Database:
    """One motion per hostile name, each granted this week, with hostile notes and reasons."""
    with sqlite_db.unit_of_work() as session:
        for n, text in enumerate(HOSTILE):
            request = IntakeRequest(
                cases=[
                    CaseInput(docket=f"2016SN{n:06d}", charges=["PL 221.05"], county=County.KINGS)
                ],
                person=PersonInput(last=text, first=text, address=text, phone="555-0100"),
                defense_org=text,
                defense_attorney=text,
            )
            m = intake(session, request, "clerk", at=_at(2)).motion_ids[0]
            steps = [
                (Stage.VERIFIED, {}),
                (Stage.SCREENED, {"screening_result": ScreeningResult.ELIGIBLE}),
                (Stage.CONSENTED, {"assigned_prosecutor": text, "decision_note": text}),
                (Stage.FILED, {"filed_date": date(2025, 6, 5)}),
                (Stage.CALENDARED, {"court_date": COURT_DAY, "court_part": "AP1"}),
                (Stage.GRANTED, {"order_date": COURT_DAY, "outcome_reasons": text}),
            ]
            for day, (target, values) in enumerate(steps, start=3):
                advance(session, m, target, reason=text, user=text, values=values, at=_at(day))
        # One more, sealed and notified, so the defender list shows a notification status.
        advance(
            session,
            m,
            Stage.SEALED,
            reason="sealed",
            user="clerk",
            values={"sealing_confirmed_date": date(2025, 6, 14)},
            at=_at(14),
        )
        advance(
            session,
            m,
            Stage.NOTIFIED,
            reason="told",
            user="clerk",
            values={
                "notification_date": date(2025, 6, 15),
                "notification_outcome": NotificationOutcome.DELIVERED,
            },
            at=_at(15),
        )
    return sqlite_db


@pytest.fixture
def exports(hostile_office: Database, tmp_path: Path) -> dict[str, Path]:
    out = {
        "weekly.xlsx": tmp_path / "weekly.xlsx",
        "weekly.pdf": tmp_path / "weekly.pdf",
        "court.xlsx": tmp_path / "court.xlsx",
        "court.pdf": tmp_path / "court.pdf",
        "defenders.xlsx": tmp_path / "defenders.xlsx",
        "table.xlsx": tmp_path / "table.xlsx",
        "table.csv": tmp_path / "table.csv",
    }
    with hostile_office.unit_of_work() as session:
        report = build_weekly_report(session, WEEK_END, now=datetime(2025, 6, 20, 12, tzinfo=UTC))
        write_weekly_xlsx(report, out["weekly.xlsx"])
        write_weekly_pdf(report, out["weekly.pdf"])
        court = load_court_list(session, COURT_DAY, " ap1 ")
        write_court_list(court, out["court.xlsx"])
        write_court_list(court, out["court.pdf"])
        write_defender_list(load_defender_list(session), out["defenders.xlsx"], "Granted")
        assert export_table(session, MotionFilter(), out["table.xlsx"]) == len(HOSTILE)
        assert export_table(session, MotionFilter(), out["table.csv"]) == len(HOSTILE)
    return out


def test_no_cell_in_any_xlsx_is_a_formula(exports: dict[str, Path]) -> None:
    for name, path in exports.items():
        if not name.endswith(".xlsx"):
            continue
        with zipfile.ZipFile(path) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
            assert sheets, name
            for sheet in sheets:
                xml = archive.read(sheet).decode()
                assert not re.search(r"<f[ >]", xml), f"formula in {name} {sheet}"
                assert 't="str"' not in xml  # formula results are typed str
        texts = {
            cell
            for ws in load_workbook(path).worksheets
            for row in ws.iter_rows(values_only=True)
            for cell in row
            if isinstance(cell, str)
        }
        for text in DANGEROUS:
            found = any(t.lower().startswith(text.lower()) for t in texts)
            assert found, f"{text!r} lost from {name}"


def test_hostile_text_reads_back_exactly_and_as_text(exports: dict[str, Path]) -> None:
    sheet = load_workbook(exports["table.xlsx"]).active
    assert sheet is not None
    names = [row[1].value.lower() for row in sheet.iter_rows(min_row=2)]
    assert sorted(names) == sorted(f"{t}, {t}".lower() for t in STORED)
    for row in sheet.iter_rows(min_row=2):
        assert row[1].data_type == "s"
        if row[1].value[0] in "=+-@\t\r":
            assert row[1].quotePrefix


def test_csv_cells_that_could_run_start_with_a_quote(exports: dict[str, Path]) -> None:
    with exports["table.csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][1] == "Person"
    people = [row[1].lower() for row in rows[1:]]
    quoted = [("'" if t in DANGEROUS else "") + f"{t}, {t}".lower() for t in STORED]
    assert sorted(people) == sorted(quoted)
    for row in rows[1:]:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", cell


def test_weekly_workbook_reconciles_with_its_detail_sheets(exports: dict[str, Path]) -> None:
    book = load_workbook(exports["weekly.xlsx"])
    summary = _section(book["Summary"], "Movement during the week")
    summary.update(_section(book["Summary"], "Open work by days in the current stage"))
    moved = list(book["Moved this week"].iter_rows(min_row=2, values_only=True))
    actions = [row[5] for row in moved]
    for label in ("Consents", "Filed", "Calendared", "Granted", "Sealed", "Notified"):
        assert summary[label] == actions.count(label), label
    backlog = list(book["Open backlog"].iter_rows(min_row=2, values_only=True))
    waiting = summary["Waiting only to be closed (not open work)"]
    assert summary["Open work"] + waiting == len(backlog)
    assert waiting == sum(1 for r in backlog if r[10] == "Waiting only to be closed")
    work = [r for r in backlog if r[10] == "Open work"]
    assert summary["0–30 days"] == sum(1 for r in work if r[8] <= 30)
    assert summary["Over a year"] == sum(1 for r in work if r[8] > 365)
    assert isinstance(moved[0][9], datetime)  # a real date-time, not text
    overdue = list(book["Overdue sealing"].iter_rows(min_row=2, values_only=True))
    assert summary["Overdue sealing deadlines"] == len(overdue)
    assert book["Moved this week"].freeze_panes == "A2"
    assert book["Moved this week"].auto_filter.ref.startswith("A1:L")
    with zipfile.ZipFile(exports["weekly.xlsx"]) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        sheet1 = archive.read("xl/worksheets/sheet1.xml").decode()
        assert 'orientation="landscape"' in sheet1 and "Confidential" in sheet1


def _section(sheet: Any, heading: str) -> dict[str, Any]:
    """The label -> value rows under one heading of the Summary sheet, up to the blank row."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == heading) + 2
    end = next(i for i in range(start, len(rows)) if rows[i][0] is None)
    return {row[0]: row[1] for row in rows[start:end]}


def test_libreoffice_converts_every_kind_of_report(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed: the test command installs it"
    converted = tmp_path / "converted"
    for name, path in exports.items():
        if name.endswith(".pdf"):
            assert path.read_bytes().startswith(b"%PDF-"), name
            continue
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(converted / name),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        pdf = converted / name / (path.stem + ".pdf")
        assert result.returncode == 0 and pdf.exists(), f"{name}: {result.stderr[-500:]}"
        assert pdf.stat().st_size > 1000 and pdf.read_bytes().startswith(b"%PDF-"), name


def test_court_list_for_an_unknown_part_says_what_to_check(hostile_office: Database) -> None:
    from casetracker.domain.errors import NotFoundError

    with hostile_office.unit_of_work() as session, pytest.raises(NotFoundError, match="part"):
        load_court_list(session, COURT_DAY + timedelta(days=1), "AP1")


def test_weekly_workbook_quotes_every_hostile_text(exports: dict[str, Path]) -> None:
    """Names, prosecutors (column titles of 'By prosecutor') and reasons stay text even after
    someone edits the cell: each carries the quote prefix, on every sheet."""
    book = load_workbook(exports["weekly.xlsx"])
    hostile = [
        (ws.title, cell.coordinate)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@")
    ]
    sheets = {title for title, _ in hostile}
    assert {"By prosecutor", "Moved this week", "Open backlog"} <= sheets
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                    assert cell.quotePrefix and cell.data_type == "s", (ws.title, cell.coordinate)
