"""Writing the weekly status report as an .xlsx workbook leadership can forward as it is.

Sheets: Summary (with native Excel charts), one breakdown sheet per dimension, then the detail
sheets every summary number can be recomputed from: the moves of the week, the open backlog
and the overdue sealing deadlines. No cell holds a formula: every figure is a value, so the
file reads the same in any program and the report never runs anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from casetracker.domain.enums import Stage
from casetracker.reports.safe_text import safe_row
from casetracker.reports.weekly_figures import (
    BUCKETS,
    MOVEMENT,
    OPEN_STAGES,
    TREND_SERIES,
    GroupFigures,
    Progress,
    WeeklyReport,
    bucket_of,
)
from casetracker.reports.xlsx_sheets import (
    BOLD,
    DATE_FORMAT,
    DATETIME_FORMAT,
    TITLE_FONT,
    Column,
    add_sheet,
    header_row,
    new_workbook,
    save,
    styled,
    write_table,
)

PERCENT = "0.0%"
ONE_DECIMAL = "0.0"
# The trend chart shows the series a reader follows; the table beside it has them all.
CHART_SERIES = 5

NOTES = (
    "How the numbers are counted",
    "The week is the seven local calendar days ending on the report date.",
    "Movement counts the history of each motion by action within the week. An action that "
    "was later undone is not counted in any week, and the undo is not counted as movement.",
    "Stage counts, the open backlog and overdue sealing are the state when the report was "
    "made. Open means every stage but Closed and Withdrawn.",
    "Days in stage are calendar days since the motion entered its current stage (an "
    "adjournment starts a new stay in Calendared).",
    "Median days in stage is over the stays that ended this week (see the 'Moved this week' "
    "sheet, column 'Days in previous stage').",
    "Consent rate = consents / (consents + oppositions); more-information requests are not "
    "decisions.",
    "Breakdowns use each motion's current county, assigned prosecutor, kind and event.",
)


def write_weekly_xlsx(report: WeeklyReport, path: Path, progress: Progress | None = None) -> None:
    book = new_workbook()
    header = f"{report.title} ({report.scope.title})"
    _summary(book, report, header)
    if progress:
        progress(0, 3, "Writing the breakdowns")
    for name, groups in report.breakdowns.items():
        _breakdown(book, name, groups, report, header)
    if progress:
        progress(1, 3, "Writing the detail sheets")
    _moved(book, report, header)
    _backlog(book, report, header)
    _overdue(book, report, header)
    if progress:
        progress(2, 3, "Saving the workbook")
    save(book, path)


# -- Summary --------------------------------------------------------------------------------


class _Rows:
    """Appends rows to a streamed sheet and remembers the row number, for chart references."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.row = 0

    def add(self, values: Sequence[Any] = ()) -> int:
        self.sheet.append(safe_row(self.sheet, list(values)))
        self.row += 1
        return self.row

    def heading(self, text: str) -> None:
        self.add([])
        self.add([styled(self.sheet, text, font=BOLD)])

    def table_header(self, titles: Sequence[str]) -> int:
        return self.add(header_row(self.sheet, titles))


def _summary(book: Workbook, report: WeeklyReport, header: str) -> None:
    columns = [Column("", 34), Column("", 13), Column("", 13)]
    columns += [Column("", 13)] * (len(TREND_SERIES) - 2)
    sheet = add_sheet(book, "Summary", columns, header_text=header, freeze="A4")
    rows = _Rows(sheet)
    s = sheet
    rows.add([styled(s, report.title, font=TITLE_FONT)])
    rows.add(
        [
            f"Week {report.week.title}. Covers {report.scope.title}. Stage counts and backlog "
            f"as of {report.generated_at:%Y-%m-%d %H:%M}."
        ]
    )
    rows.add([styled(s, "Confidential: for the office and its leadership.", font=BOLD)])

    totals = report.totals
    rows.heading("Motions by stage now")
    stage_header = rows.table_header(["Stage", "Motions"])
    for stage in Stage:
        rows.add([stage.label, totals.stages[stage]])
    rows.add([styled(s, "All motions", font=BOLD), styled(s, totals.total, font=BOLD)])
    rows.add(["Open (not closed or withdrawn)", totals.open])

    rows.heading("Movement during the week")
    rows.table_header(["Action", "Motions"])
    for action, label in MOVEMENT:
        rows.add([label, totals.moved[action]])
    rows.add(["Consent rate this week", _rate(s, totals.consent_rate)])
    rows.add(["Consent rate to date", _rate(s, report.consent_rate_to_date)])

    rows.heading("Open backlog by days in the current stage")
    rows.table_header(["Days in stage", "Motions"])
    for label, count in zip(BUCKETS, totals.backlog, strict=True):
        rows.add([label, count])
    rows.add([styled(s, "Open work", font=BOLD), styled(s, totals.open_work, font=BOLD)])
    rows.add(["Waiting only to be closed", totals.waiting_close])
    rows.add(["Overdue sealing deadlines", report.overdue_count])

    rows.heading("Median days in stage (stays that ended this week)")
    rows.table_header(["Stage left", "Median days", "Stays"])
    if not report.medians:
        rows.add(["No motion left a stage this week."])
    for median in report.medians:
        rows.add(
            [
                median.stage.label,
                styled(s, round(median.median_days, 1), number_format=ONE_DECIMAL),
                median.stays,
            ]
        )

    rows.heading(f"{len(report.trend)}-week trend")
    trend_header = rows.table_header(["Week ending", *(t for t, _ in TREND_SERIES)])
    for week in report.trend:
        rows.add(
            [
                styled(s, week.week.end, number_format=DATE_FORMAT),
                *(week.series(actions) for _, actions in TREND_SERIES),
            ]
        )
    trend_last = rows.row

    rows.add([])
    rows.add([styled(s, NOTES[0], font=BOLD)])
    for note in NOTES[1:]:
        rows.add([note])

    pipeline = BarChart()
    pipeline.type = "bar"
    pipeline.title = "Pipeline: motions by stage now"
    pipeline.y_axis.title = "Motions"
    pipeline.legend = None
    pipeline.add_data(
        Reference(s, min_col=2, min_row=stage_header, max_row=stage_header + len(Stage)),
        titles_from_data=True,
    )
    pipeline.set_categories(
        Reference(s, min_col=1, min_row=stage_header + 1, max_row=stage_header + len(Stage))
    )
    pipeline.x_axis.scaling.orientation = "maxMin"  # first stage at the top, as in the table
    pipeline.height, pipeline.width = 10.5, 17
    sheet.add_chart(pipeline, "E5")

    trend = LineChart()
    trend.title = "Weekly movement"
    trend.y_axis.title = "Motions"
    trend.add_data(
        Reference(s, min_col=2, max_col=1 + CHART_SERIES, min_row=trend_header, max_row=trend_last),
        titles_from_data=True,
    )
    trend.set_categories(Reference(s, min_col=1, min_row=trend_header + 1, max_row=trend_last))
    trend.x_axis.number_format = "dd mmm"
    trend.height, trend.width = 9, 17
    sheet.add_chart(trend, "E28")


def _rate(sheet: WriteOnlyWorksheet, value: float | None) -> Any:
    return "n/a" if value is None else styled(sheet, value, number_format=PERCENT)


# -- Breakdowns -----------------------------------------------------------------------------


def _breakdown(
    book: Workbook, name: str, groups: list[GroupFigures], report: WeeklyReport, header: str
) -> None:
    columns = [Column(name, 30), Column("All motions", 8), Column("Open", 8)]
    columns += [Column(stage.label, 8) for stage in Stage]
    columns += [Column(label, 9) for _, label in MOVEMENT]
    columns += [Column("Consent rate", 8, PERCENT)]
    columns += [Column(label, 8) for label in BUCKETS]
    sheet = add_sheet(
        book,
        f"By {name.lower()}",
        columns,
        header_text=header,
        freeze="B4",
        filter_rows=len(groups),
    )
    # 38 columns on one sheet of paper would be unreadable: two pages wide, and the PDF
    # summary is the printable version.
    sheet.page_setup.fitToWidth = 2
    sheet.append([styled(sheet, f"By {name.lower()}: {report.title}", font=TITLE_FONT)])
    sections = ["", "", ""] + ["Motions by stage now"] + [""] * (len(Stage) - 1)
    sections += ["Movement this week"] + [""] * len(MOVEMENT)
    sections += ["Open backlog, days in stage"]
    sheet.append([styled(sheet, text, font=BOLD) if text else None for text in sections])
    write_table(
        sheet,
        columns,
        (
            [
                g.label,
                g.total,
                g.open,
                *(g.stages[stage] for stage in Stage),
                *(g.moved[action] for action, _ in MOVEMENT),
                g.consent_rate,
                *g.backlog,
            ]
            for g in groups
        ),
    )


# -- Detail sheets --------------------------------------------------------------------------


_MOVED = (
    Column("Motion", 8),
    Column("Person", 26),
    Column("Docket / summons", 18),
    Column("County", 16),
    Column("Kind", 17),
    Column("Action", 18),
    Column("From stage", 16),
    Column("To stage", 16),
    Column("Who", 16),
    Column("When", 16, DATETIME_FORMAT),
    Column("Days in previous stage", 11, ONE_DECIMAL),
    Column("Reason", 40),
)


def _moved(book: Workbook, report: WeeklyReport, header: str) -> None:
    sheet = add_sheet(
        book, "Moved this week", _MOVED, header_text=header, filter_rows=len(report.moved)
    )
    labels = dict(MOVEMENT)
    write_table(
        sheet,
        _MOVED,
        (
            (
                r.motion_id,
                r.person,
                r.reference,
                r.county.label if r.county else None,
                r.kind.label,
                labels.get(r.action, r.action),
                r.from_stage.label if r.from_stage else None,
                r.to_stage.label,
                r.user,
                r.at,
                r.days_in_previous,
                r.reason,
            )
            for r in report.moved
        ),
    )


_BACKLOG = (
    Column("Motion", 8),
    Column("Person", 26),
    Column("Docket / summons", 18),
    Column("County", 16),
    Column("Kind", 17),
    Column("Stage", 16),
    Column("Prosecutor", 16),
    Column("In stage since", 12),
    Column("Days in stage", 8),
    Column("Age", 12),
)


def _backlog(book: Workbook, report: WeeklyReport, header: str) -> None:
    sheet = add_sheet(
        book, "Open backlog", _BACKLOG, header_text=header, filter_rows=len(report.backlog)
    )
    write_table(sheet, _BACKLOG, _backlog_values(report))


def _backlog_values(report: WeeklyReport) -> Iterator[tuple[Any, ...]]:
    labels = {stage: stage.label for stage in OPEN_STAGES}
    for r in report.backlog:
        yield (
            r.motion_id,
            r.person,
            r.reference,
            r.county.label if r.county else None,
            r.kind.label,
            labels[r.stage],
            r.prosecutor,
            r.entered,
            r.days,
            BUCKETS[bucket_of(r.days)],
        )


_OVERDUE = (
    Column("Motion", 8),
    Column("Person", 26),
    Column("Docket / summons", 18),
    Column("County", 16),
    Column("Prosecutor", 16),
    Column("Order date", 12),
    Column("Sealing deadline", 12),
    Column("Days overdue", 9),
)


def _overdue(book: Workbook, report: WeeklyReport, header: str) -> None:
    sheet = add_sheet(
        book, "Overdue sealing", _OVERDUE, header_text=header, filter_rows=len(report.overdue)
    )
    write_table(
        sheet,
        _OVERDUE,
        (
            (
                r.motion_id,
                r.person,
                r.reference,
                r.county.label if r.county else None,
                r.prosecutor,
                r.order_date,
                r.deadline,
                r.days_overdue,
            )
            for r in report.overdue
        ),
    )
