"""The weekly workbook as leadership prints it: converted to PDF by LibreOffice, every page of
every sheet carries its labels, no table is split from its header, no title is cut."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from casetracker.devtools.demo import generate_demo
from casetracker.domain.enums import Stage
from casetracker.reports.calendar import last_complete_week_end, local_midnight_utc
from casetracker.reports.weekly_data import build_weekly_report
from casetracker.reports.weekly_figures import MOVEMENT, WeeklyReport
from casetracker.reports.weekly_xlsx import write_weekly_xlsx
from casetracker.storage.db import open_database

TODAY = date(2026, 3, 18)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[WeeklyReport, list[tuple[str, str]]]:
    """(report, [(sheet name, page text)]) for a 400-person demo office."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if not soffice or not pdftotext:
        pytest.skip("LibreOffice (soffice) and pdftotext are needed to print the workbook")
    folder = tmp_path_factory.mktemp("pages")
    db = open_database(f"sqlite:///{folder / 'demo.sqlite'}")
    try:
        with db.unit_of_work() as session:
            for _ in generate_demo(session, people=400, today=TODAY):
                pass
        with db.reading() as session:
            report = build_weekly_report(
                session, last_complete_week_end(TODAY), now=local_midnight_utc(TODAY, None)
            )
    finally:
        db.dispose()
    book = folder / "weekly.xlsx"
    write_weekly_xlsx(report, book)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = folder / "weekly.pdf"
    info = re.search(r"Pages:\s+(\d+)", _run(["pdfinfo", str(pdf)]))
    assert info is not None
    count = int(info.group(1))
    found = []
    for number in range(1, count + 1):
        text = _run([pdftotext, "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"])
        footer = [line for line in text.splitlines() if "Page " in line and " of " in line][-1]
        sheet = re.sub(r"\s{2,}", "|", footer.strip()).split("|")[1]
        found.append((sheet, text))
    return report, found


def _run(command: list[str]) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _sheet(pages: list[tuple[str, str]], name: str) -> list[str]:
    found = [text for sheet, text in pages if sheet == name]
    assert found, f"no page of {name}"
    return found


def test_every_sheet_prints_and_the_summary_is_short(
    pages: tuple[WeeklyReport, list[tuple[str, str]]],
) -> None:
    report, found = pages
    sheets = {sheet for sheet, _ in found}
    assert {"Summary", "By county", "Open backlog", "Moved this week"} <= sheets
    assert len(_sheet(found, "Summary")) <= 4
    for _, text in found:
        assert "Confidential" in text and report.title in text


def test_no_summary_table_is_split_from_its_header(
    pages: tuple[WeeklyReport, list[tuple[str, str]]],
) -> None:
    _, found = pages
    summary = _sheet(found, "Summary")
    # Each heading, its column titles and its first and last rows are on one page.
    tables = {
        "Results$": ("To date", "People notified"),
        "Movement during the week$": ("Action", "Closed"),
        "Open work by days in the current stage$": ("Days in stage", "Overdue sealing deadlines"),
        "12-week trend": ("Week ending", "2026-03-15"),
        "Median days in stage": ("Median days", "Stays"),
    }
    for heading, (first, last) in tables.items():
        line = re.compile(rf"^\s*{heading}", re.MULTILINE)
        holding = [text for text in summary if line.search(text)]
        assert len(holding) == 1, heading
        assert first in holding[0] and last in holding[0], heading
    for text in summary:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        body = lines[1:-1]  # page header and footer
        assert body, "an empty page"
        # No page ends on a heading or a row of column titles.
        assert not body[-1].startswith(("Results", "Motions by stage", "Stage ", "Result ")), text


def test_breakdown_pages_repeat_the_counties_and_the_figure_names(
    pages: tuple[WeeklyReport, list[tuple[str, str]]],
) -> None:
    _, found = pages
    for text in _sheet(found, "By county"):
        # The group names across the top, on every page...
        for county in ("Bronx", "Queens", "All motions"):
            assert county in text
        # ...and whole titles, not cut ones.
        assert "Screene " not in text and "Calenda " not in text and "Withdra " not in text
    whole = "\n".join(_sheet(found, "By county"))
    for label in (*(s.label for s in Stage), *(label for _, label in MOVEMENT)):
        assert label in whole, label


def test_detail_pages_repeat_their_column_titles(
    pages: tuple[WeeklyReport, list[tuple[str, str]]],
) -> None:
    report, found = pages
    backlog = _sheet(found, "Open backlog")
    assert len(backlog) > 1, "the backlog should need several pages"
    for text in backlog:
        # Titles wrap between words in their cells, so each word is looked for.
        for word in ("Motion", "Person", "Docket", "Prosecutor", "since", "Counted"):
            assert word in text, word
    for text in _sheet(found, "Moved this week"):
        for word in ("Motion", "Person", "Action", "previous", "Reason"):
            assert word in text, word
    # Every open motion is printed.
    printed = sum(
        1 for text in backlog for line in text.splitlines() if re.match(r"\s*\d+\s+\S", line)
    )
    assert printed >= len(report.backlog)
