"""Writing the weekly status report as an .xlsx workbook leadership can forward and print as it
is.

Sheets: Summary (results, stages, movement, consent, backlog, medians, the 12-week trend and
two native charts), one breakdown sheet per dimension, then the detail sheets every summary
number can be recomputed from: the moves of the week, the open backlog and the overdue sealing
deadlines. No cell holds a formula: every figure is a value, so the file reads the same in
any program and never runs anything.

Printing: every sheet is landscape letter with "Confidential" and page numbers, its column
titles (and on wide sheets its row labels) repeated on every page, columns wide enough for
their titles (titles wrap between words), numbers' titles aligned right like the numbers, and
page breaks placed between tables so none is split from its header. The summary's print area
is its own tables and charts; the detail sheets are data for filtering, printed separately.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from casetracker.domain.enums import County, Stage
from casetracker.reports.weekly_figures import (
    ACTION_LABELS,
    BUCKETS,
    MOVEMENT,
    RESULTS,
    TREND_SERIES,
    ConsentCounts,
    GroupFigures,
    Progress,
    ResultCounts,
    WeeklyReport,
    bucket_of,
)
from casetracker.reports.xlsx_book import (
    DATE,
    DATETIME,
    INT,
    ONE_DECIMAL,
    PAGE_HEIGHT_PT,
    PAGE_WIDTH_PT,
    PERCENT,
    ROW_PT,
    TEXT,
    Col,
    StreamedSheet,
    Styles,
    fit_width_chars,
    header_height,
    print_setup,
    row_writers,
    saved_book,
    set_columns,
    text,
    width_points,
    write_header,
    write_rows,
)

# The trend chart shows the series a reader follows; the table beside it has them all.
CHART_SERIES = 5
_LABEL_WIDTH = 46
_NUMBER_WIDTH = 13
_SUMMARY_COLUMNS = 1 + len(TREND_SERIES)
_CHART_ROWS = 22
_CHART_HEIGHT = _CHART_ROWS * 17 - 12  # pixels: rows of Arial 10 are 17 px

NOTES = (
    "How the numbers are counted",
    "The week is the seven local calendar days ending on the report date. Every figure is as "
    "of the end of the week (for a week that has not ended, as of the moment the report was "
    "made, and the report says partial): only history written before then counts, so the "
    "report for a past week made later is the same as the one made when the week ended.",
    "Movement counts the history of each motion by action within the week. An action undone "
    "before the end of the week is not counted, and the undo is not counted as movement.",
    "Stages, the backlog and its ages are each motion's state at the end of the week, rebuilt "
    "from the history. Open means every stage but Closed and Withdrawn. Open work leaves out "
    "the motions that wait only to be closed (notified, denied, or opposed and signed off).",
    "Results count things once: a conviction or warrant vacated (a granted motion), a case "
    "dismissed or sealed, a person cleared (a distinct person with a granted motion) or "
    "notified. This week's are those reached by the end of the week and not by its start. "
    "A person with motions in two counties counts once in each county and once in all.",
    "Consent rate = consents / (consents + oppositions). To date it is over the motions whose "
    "decision stands; this week over the decisions made this week. More-information requests "
    "and motions screened ineligible are not decisions and are left out; their counts are "
    "shown beside the rate.",
    "Days in stage are calendar days from the day the motion entered its stage (an "
    "adjournment starts a new stay in Calendared). Median days in stage is over the stays "
    "that ended this week (see the 'Moved this week' sheet, 'Days in previous stage').",
    "Breakdowns use each motion's county, kind and community event, and the prosecutor "
    "assigned at the end of the week.",
)


def default_file_name(report: WeeklyReport) -> str:
    return weekly_file_name(report.week.end.isoformat())


def weekly_file_name(week_end: str) -> str:
    """The name a new week's report is saved under, so it never overwrites last week's."""
    return f"weekly-report-{week_end}.xlsx"


def write_weekly_xlsx(report: WeeklyReport, path: Path, progress: Progress | None = None) -> None:
    header = f"{report.title} ({report.scope.title})"
    with saved_book(path) as book:
        styles = Styles(book)
        _Summary(book, styles, report, header).write()
        if progress:
            progress(0, 3, "Writing the breakdowns")
        for name, groups in report.breakdowns.items():
            _breakdown(book, styles, name, groups, report, header)
        if progress:
            progress(1, 3, "Writing the detail sheets")
        _moved(book, styles, report, header)
        _backlog(book, styles, report, header)
        _overdue(book, styles, report, header)
        if progress:
            progress(2, 3, "Saving the workbook")


# -- Summary --------------------------------------------------------------------------------


@dataclass
class _Table:
    heading: str
    columns: Sequence[Col]
    rows: list[Sequence[Any]]
    bold_last: int = 0  # the last rows are totals


class _Summary:
    """Writes tables one under another, starting a new page before a table that would not fit
    on the rest of the current one, so no table is split from its header."""

    def __init__(self, book: Workbook, styles: Styles, report: WeeklyReport, header: str) -> None:
        self.sheet: Worksheet = book.add_worksheet("Summary")
        self.book, self.styles, self.report = book, styles, report
        self.row = 0
        self.used_pt = 0.0
        self.breaks: list[int] = []
        widths = [_LABEL_WIDTH] + [_NUMBER_WIDTH] * (_SUMMARY_COLUMNS - 1)
        self.sheet.set_column(0, 0, _LABEL_WIDTH)
        self.sheet.set_column(1, _SUMMARY_COLUMNS - 1, _NUMBER_WIDTH)
        scale = print_setup(self.sheet, header, widths=widths)
        self.page_pt = PAGE_HEIGHT_PT * 100 / scale
        assert width_points(widths) * scale / 100 <= PAGE_WIDTH_PT + 1

    def write(self) -> None:
        report, s, styles = self.report, self.sheet, self.styles
        s.set_row(0, 21)
        s.write_string(0, 0, report.title, styles.title)
        text(s, styles, 1, 0, f"Week {report.week.title}. Covers {report.scope.title}.")
        s.write_string(2, 0, f"Figures {report.state_title}.", styles.bold)
        s.write_string(3, 0, "Confidential: for the office and its leadership.", styles.bold)
        lines = [
            "Audit chain head when this report was made: "
            + (report.chain_head or "none yet (no history chained)")
            + ". A printed copy anchors the history: 'audit verify' checks it up to here."
        ]
        if report.sealed_masked:
            lines.append(
                f"{report.sealed_masked:,} detail rows of sealed records show no name or number: "
                "the role that made this report cannot see sealed records by name. The "
                "figures include them."
            )
        for offset, line in enumerate(lines):
            s.write_string(4 + offset, 0, line)
        self.row = 5 + len(lines)
        self.used_pt = 21 + (self.row - 1) * ROW_PT

        totals = report.totals
        results = report.results
        self.table(
            _Table(
                "Results",
                [Col("Result", TEXT), Col("To date"), Col("This week")],
                [
                    [label, results.totals.to_date[key], results.totals.this_week[key]]
                    for key, label in RESULTS
                ],
            )
        )
        for when, attribute in (("to date", "to_date"), ("this week", "this_week")):
            groups: list[tuple[str, ResultCounts]] = [
                *results.by_county.items(),
                *results.by_kind.items(),
                ("All motions", results.totals),
            ]
            self.table(
                _Table(
                    f"Results {when}, by county and by kind of motion",
                    [Col("County or kind", TEXT), *(Col(label) for _, label in RESULTS)],
                    [
                        [label, *(getattr(counts, attribute)[key] for key, _ in RESULTS)]
                        for label, counts in groups
                    ],
                    bold_last=1,
                )
            )
        stage_table = self.table(
            _Table(
                f"Motions by stage, {report.state_title}",
                [Col("Stage", TEXT), Col("Motions")],
                [
                    *([stage.label, totals.stages[stage]] for stage in Stage),
                    ["All motions", totals.total],
                    ["Open (not closed or withdrawn)", totals.open],
                ],
                bold_last=2,
            )
        )
        self.table(
            _Table(
                "Movement during the week",
                [Col("Action", TEXT), Col("Motions")],
                [[label, totals.moved[action]] for action, label in MOVEMENT],
            )
        )
        self.table(
            _Table(
                "Consent rate, with the counts it is made of and what it leaves out",
                [
                    Col("Period", TEXT),
                    Col("Consent rate", PERCENT),
                    Col("Consents"),
                    Col("Oppositions"),
                    Col("Decisions"),
                    Col("More-info requests (left out)"),
                    Col("Screened ineligible (left out)"),
                ],
                [
                    _consent_row("This week (decisions made)", report.consent_week),
                    _consent_row("To date (standing decisions)", report.consent_to_date),
                ],
            )
        )
        self.table(
            _Table(
                "Open work by days in the current stage",
                [Col("Days in stage", TEXT), Col("Motions")],
                [
                    *([label, n] for label, n in zip(BUCKETS, totals.backlog, strict=True)),
                    ["Open work", totals.open_work],
                    ["Waiting only to be closed (not open work)", totals.waiting_close],
                    ["Overdue sealing deadlines", report.overdue_count],
                ],
                bold_last=3,
            )
        )
        self.table(
            _Table(
                "Median days in stage (stays that ended this week)",
                [Col("Stage left", TEXT), Col("Median days", ONE_DECIMAL), Col("Stays")],
                [[m.stage.label, round(m.median_days, 1), m.stays] for m in report.medians]
                or [["No motion left a stage this week.", None, None]],
            )
        )
        trend_table = self.table(
            _Table(
                f"{len(report.trend)}-week trend (motions moved, by week)",
                [Col("Week ending", DATE), *(Col(title) for title, _ in TREND_SERIES)],
                [
                    [week.week.end, *(week.series(actions) for _, actions in TREND_SERIES)]
                    for week in report.trend
                ],
            )
        )
        self._charts(stage_table, trend_table)
        self._notes()
        s.print_area(0, 0, self.row - 1, _SUMMARY_COLUMNS - 1)
        s.set_h_pagebreaks(self.breaks)

    def _room(self, points: float) -> None:
        if self.used_pt + points > self.page_pt and self.used_pt > 0:
            self.breaks.append(self.row)
            self.used_pt = 0.0
        self.used_pt += points

    def table(self, table: _Table) -> int:
        """Writes the table; returns the row of its header."""
        s, styles = self.sheet, self.styles
        head_pt = header_height(table.columns)
        self._room(ROW_PT + head_pt + ROW_PT * (len(table.rows) + 1))
        s.write_string(self.row, 0, table.heading, styles.bold)
        header_row = self.row + 1
        write_header(s, styles, header_row, table.columns)
        plain = len(table.rows) - table.bold_last
        write_rows(s, styles, header_row + 1, table.columns, table.rows[:plain])
        if table.bold_last:
            _write_bold(s, styles, header_row + 1 + plain, table.columns, table.rows[plain:])
        self.row = header_row + 1 + len(table.rows) + 1
        return header_row

    def _charts(self, stage_header: int, trend_header: int) -> None:
        self._room(ROW_PT * _CHART_ROWS)
        pipeline = self.book.add_chart({"type": "bar"})
        stages = len(Stage)
        pipeline.add_series(
            {
                "name": "Motions",
                "categories": ["Summary", stage_header + 1, 0, stage_header + stages, 0],
                "values": ["Summary", stage_header + 1, 1, stage_header + stages, 1],
                "fill": {"color": "#305496"},
                "data_labels": {"value": True},
            }
        )
        pipeline.set_title({"name": f"Motions by stage ({self.report.totals.total:,})"})
        pipeline.set_legend({"none": True})
        pipeline.set_y_axis({"reverse": True})  # first stage at the top, as in the table
        largest = max(self.report.totals.stages.values(), default=0)
        pipeline.set_x_axis({"min": 0, "max": _round_up(largest * 1.15), "name": "Motions"})
        pipeline.set_size({"width": 560, "height": _CHART_HEIGHT})
        self.sheet.insert_chart(self.row, 0, pipeline)

        trend = self.book.add_chart({"type": "line"})
        weeks = len(self.report.trend)
        for series in range(1, CHART_SERIES + 1):
            trend.add_series(
                {
                    "name": ["Summary", trend_header, series],
                    "categories": ["Summary", trend_header + 1, 0, trend_header + weeks, 0],
                    "values": ["Summary", trend_header + 1, series, trend_header + weeks, series],
                    # Counts between weeks are not curves: straight segments, a dot a week.
                    "smooth": False,
                    "marker": {"type": "circle", "size": 5},
                }
            )
        trend.set_title({"name": "Weekly movement (week ending)"})
        trend.set_y_axis({"min": 0, "name": "Motions"})
        trend.set_x_axis({"num_format": "dd mmm", "date_axis": False})
        trend.set_legend({"position": "bottom"})
        trend.set_size({"width": 620, "height": _CHART_HEIGHT})
        self.sheet.insert_chart(self.row, 2, trend, {"x_offset": 40})
        self.row += _CHART_ROWS

    def _notes(self) -> None:
        s, styles = self.sheet, self.styles
        lines = [max(1, len(note) // 150 + 1) for note in NOTES[1:]]
        self._room(ROW_PT * (2 + sum(lines)))
        s.write_string(self.row, 0, NOTES[0], styles.bold)
        self.row += 1
        for note, height in zip(NOTES[1:], lines, strict=True):
            s.set_row(self.row, ROW_PT * height)
            s.merge_range(self.row, 0, self.row, _SUMMARY_COLUMNS - 1, note, styles.note)
            self.row += 1


def _round_up(value: float) -> int:
    """A round axis maximum at or above `value` (10, 20, 50, 100, 200, 500, ...)."""
    step = 10
    while step * 10 < value:
        step *= 10
    for multiple in (1, 2, 5, 10):
        if step * multiple >= value:
            return step * multiple
    return step * 10


def _consent_row(label: str, counts: ConsentCounts) -> list[Any]:
    rate: Any = counts.rate if counts.rate is not None else "n/a"
    return [
        label,
        rate,
        counts.consents,
        counts.oppositions,
        counts.decisions,
        counts.info_requests,
        counts.screened_ineligible,
    ]


def _write_bold(
    sheet: Worksheet, styles: Styles, first: int, columns: Sequence[Col], rows: Iterable[Any]
) -> None:
    writers = row_writers(sheet, styles, columns, bold=True)
    for row, values in enumerate(rows, start=first):
        for col, (write, value) in enumerate(zip(writers, values, strict=True)):
            if value is not None:
                write(row, col, value)


# -- Breakdowns -----------------------------------------------------------------------------


def _breakdown(
    book: Workbook,
    styles: Styles,
    name: str,
    groups: list[GroupFigures],
    report: WeeklyReport,
    header: str,
) -> None:
    """One column per county (prosecutor, ...) and one row per figure, so a page holds whole
    sections and reads down like the summary; wide sheets continue on further pages with
    the figure names repeated at the left and the group names at the top."""
    columns = [Col(g.label, INT, 10) for g in [*groups, report.totals]]
    sections: list[tuple[str, list[tuple[str, list[Any]]]]] = [
        (
            "Motions by stage",
            [
                ("All motions", [g.total for g in (*groups, report.totals)]),
                ("Open", [g.open for g in (*groups, report.totals)]),
                ("Waiting only to be closed", [g.waiting_close for g in (*groups, report.totals)]),
                *(
                    (stage.label, [g.stages[stage] for g in (*groups, report.totals)])
                    for stage in Stage
                ),
            ],
        ),
        (
            "Movement this week",
            [
                *(
                    (label, [g.moved[action] for g in (*groups, report.totals)])
                    for action, label in MOVEMENT
                ),
            ],
        ),
        (
            "Consent rate this week",
            [
                (
                    "Consent rate",
                    [
                        g.consent_rate if g.consent_rate is not None else "n/a"
                        for g in (*groups, report.totals)
                    ],
                )
            ],
        ),
        (
            "Open work, days in stage",
            [
                (label, [g.backlog[i] for g in (*groups, report.totals)])
                for i, label in enumerate(BUCKETS)
            ],
        ),
    ]
    # Column A repeats on every page, with the sheet's own title lines: wide enough for them.
    as_of = (
        f"As of {report.cutoff:%a %d %b %Y %H:%M} (partial week)"
        if report.partial
        else f"As of the end of {report.week.end:%a %d %b %Y}"
    )
    label = Col(name, TEXT, max(30, len(as_of) + 1))
    sheet = book.add_worksheet(f"By {name.lower()}")
    set_columns(sheet, [label, *columns])
    # As many group columns as a page holds at a readable scale; the label column repeats.
    per_page = max(
        1, int((fit_width_chars() - label.fitted_width) // (columns[0].fitted_width + 1))
    )
    widths = [label.fitted_width] + [c.fitted_width for c in columns[:per_page]]
    scale = print_setup(sheet, header, widths=widths, title_rows=(2, 2), title_columns=0)
    breaks = list(range(1 + per_page, 1 + len(columns), per_page))
    if breaks:
        sheet.set_v_pagebreaks(breaks)
    sheet.set_row(0, 21)
    sheet.write_string(0, 0, f"By {name.lower()}", styles.title)
    sheet.write_string(1, 0, as_of)
    write_header(sheet, styles, 2, [label, *columns])
    page_pt = PAGE_HEIGHT_PT * 100 / scale
    used = 21 + ROW_PT + header_height([label, *columns])
    row = 3
    row_breaks = []
    for title, lines in sections:
        need = ROW_PT * (len(lines) + 2)
        if used + need > page_pt:
            row_breaks.append(row)
            used = header_height([label, *columns])
        used += need
        sheet.write_string(row, 0, title, styles.group)
        kind = PERCENT if title.startswith("Consent") else INT
        row = write_rows(
            sheet,
            styles,
            row + 1,
            [label, *(Col(c.title, kind) for c in columns)],
            ([line, *values] for line, values in lines),
        )
        row += 1
    if row_breaks:
        sheet.set_h_pagebreaks(row_breaks)
    sheet.freeze_panes(3, 1)


# -- Detail sheets --------------------------------------------------------------------------


def _detail_sheet(
    book: Workbook,
    styles: Styles,
    title: str,
    columns: Sequence[Col],
    rows: Iterable[Sequence[Any]],
    count: int,
    header: str,
) -> None:
    sheet = book.add_worksheet(title, worksheet_class=StreamedSheet)
    assert isinstance(sheet, StreamedSheet)
    set_columns(sheet, columns)
    print_setup(sheet, header, widths=[c.fitted_width for c in columns], title_rows=(0, 0))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    # Long text in the last column would spill past it onto pages of its own.
    sheet.print_area(0, 0, max(count, 1), len(columns) - 1)
    write_header(sheet, styles, 0, columns)
    sheet.write_table_rows(styles, 1, columns, rows)


# Wide enough for the longest label: "Richmond (Staten Island)", "More-information requests".
_COUNTY_WIDTH = max(len(c.label) for c in County) + 1
_ACTION_WIDTH = max(len(label) for _, label in MOVEMENT) + 1

_MOVED = (
    Col("Motion"),
    Col("Person", TEXT, 26),
    Col("Docket / summons", TEXT, 16),
    Col("County", TEXT, _COUNTY_WIDTH),
    Col("Kind", TEXT, 18),
    Col("Action", TEXT, _ACTION_WIDTH),
    Col("From stage", TEXT, 17),
    Col("To stage", TEXT, 17),
    Col("Who", TEXT, 16),
    Col("When", DATETIME),
    Col("Days in previous stage", ONE_DECIMAL),
    Col("Reason", TEXT, 34),
)


def _moved(book: Workbook, styles: Styles, report: WeeklyReport, header: str) -> None:
    _detail_sheet(
        book,
        styles,
        "Moved this week",
        _MOVED,
        (
            (
                r.motion_id,
                r.person,
                r.reference,
                r.county.label if r.county else None,
                r.kind.label,
                ACTION_LABELS.get(r.action, r.action),
                r.from_stage.label if r.from_stage else None,
                r.to_stage.label,
                r.user,
                r.at,
                r.days_in_previous,
                r.reason,
            )
            for r in report.moved
        ),
        len(report.moved),
        header,
    )


_BACKLOG = (
    Col("Motion"),
    Col("Person", TEXT, 26),
    Col("Docket / summons", TEXT, 16),
    Col("County", TEXT, _COUNTY_WIDTH),
    Col("Kind", TEXT, 18),
    Col("Stage", TEXT, 17),
    Col("Prosecutor", TEXT, 16),
    Col("In stage since", DATE),
    Col("Days in stage"),
    Col("Age", TEXT, 13),
    Col("Counted as", TEXT, 26),
)


def _backlog(book: Workbook, styles: Styles, report: WeeklyReport, header: str) -> None:
    _detail_sheet(
        book, styles, "Open backlog", _BACKLOG, _backlog_values(report), len(report.backlog), header
    )


def _backlog_values(report: WeeklyReport) -> Iterator[tuple[Any, ...]]:
    labels = {stage: stage.label for stage in Stage}
    counties: dict[Any, str | None] = {None: None}
    for r in report.backlog:
        county = counties.get(r.county)
        if county is None and r.county is not None:
            county = counties[r.county] = r.county.label
        yield (
            r.motion_id,
            r.person,
            r.reference,
            county,
            r.kind.label,
            labels[r.stage],
            r.prosecutor,
            r.entered,
            r.days,
            BUCKETS[bucket_of(r.days)],
            "Waiting only to be closed" if r.waiting_close else "Open work",
        )


_OVERDUE = (
    Col("Motion"),
    Col("Person", TEXT, 26),
    Col("Docket / summons", TEXT, 16),
    Col("County", TEXT, _COUNTY_WIDTH),
    Col("Prosecutor", TEXT, 16),
    Col("Order date", DATE),
    Col("Sealing deadline", DATE),
    Col("Days overdue"),
)


def _overdue(book: Workbook, styles: Styles, report: WeeklyReport, header: str) -> None:
    _detail_sheet(
        book,
        styles,
        "Overdue sealing",
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
        len(report.overdue),
        header,
    )
