"""`casetracker bench report`: the whole `main.py report weekly` command at 100,000 motions,
against a bare dump of the same detail rows written in the same run.

Both run as fresh processes, timed from the shell's point of view (start-up, imports, the
database, the file); each is started by a small process of its own that reports the peak
memory of its one child, so one measurement's memory never hides in another's. Targets (issue
19): at most 5 s and 400 MB for the report at 100,000 motions.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from casetracker.devtools.bench.target import add_target_arguments, bench_database, ensure_demo
from casetracker.domain.clock import today
from casetracker.reports.calendar import last_complete_week_end

TARGET_SECONDS = 5.0
TARGET_RSS_MB = 400
MAIN = Path(__file__).resolve().parents[3] / "main.py"


def add_report_bench(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "report", parents=[common], help="time the weekly report command against a bare dump"
    )
    parser.add_argument("--motions", type=int, default=100_000, help="demo size (100000)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each measurement; the best is kept"
    )
    parser.add_argument("--keep", type=Path, help="keep the database and files in this folder")
    add_target_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="ct-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        with bench_database(args, folder / "bench.sqlite") as (url, backend):
            print(f"bench report on {backend}", flush=True)
            return _run(args, url, folder)


def _run(args: argparse.Namespace, url: str, folder: Path) -> int:
    week_end = last_complete_week_end(today())
    _make_demo(url, args.motions)
    report_out, bare_out = folder / "weekly.xlsx", folder / "bare.xlsx"
    command = [
        sys.executable,
        str(MAIN),
        "report",
        "weekly",
        "--week-ending",
        week_end.isoformat(),
        "--out",
        str(report_out),
        "--db",
        url,
    ]
    bare = [sys.executable, "-m", __name__, "dump", url, str(bare_out), week_end.isoformat()]
    reports, dumps = [], []
    # Alternated, so a busy moment of the machine weighs on both alike.
    for _ in range(max(1, args.repeat)):
        dumps.append(_measure(bare))
        reports.append(_measure(command))
    dump = min(dumps, key=lambda r: r["seconds"])
    report = min(reports, key=lambda r: r["seconds"])
    rows = int(dump["stdout"].strip().splitlines()[-1])
    print(f"week ending {week_end}; detail rows: {rows:,}")
    print(f"bare dump (xlsxwriter, same rows): {_figures(dump)}")
    print(f"main.py report weekly:             {_figures(report)}")
    ratio = report["seconds"] / dump["seconds"]
    rss_ratio = report["rss_mb"] / dump["rss_mb"] if dump["rss_mb"] else float("nan")
    print(f"ratio report/bare: time {ratio:.2f}x, peak memory {rss_ratio:.2f}x")
    print(
        f"targets: <= {TARGET_SECONDS:.0f} s (best {report['seconds']:.2f} s, all runs "
        + ", ".join(f"{r['seconds']:.2f}" for r in reports)
        + f"); <= {TARGET_RSS_MB} MB (peak {report['rss_mb']:.0f} MB)"
    )
    met = report["seconds"] <= TARGET_SECONDS and report["rss_mb"] <= TARGET_RSS_MB
    print("targets met" if met else "TARGETS NOT MET")
    return 0 if met else 1


def _figures(measured: dict[str, Any]) -> str:
    rss = f"{measured['rss_mb']:6.0f} MB" if measured["rss_mb"] else "    n/a"
    return f"{measured['seconds']:7.2f} s   peak RSS {rss}"


def _make_demo(url: str, motions: int) -> None:
    from casetracker.devtools.demo import demo_summary
    from casetracker.storage.db import open_database

    started = time.perf_counter()
    if ensure_demo(url, motions):
        print(f"demo database: {time.perf_counter() - started:.0f} s to build")
    db = open_database(url, daily_backup=False)
    try:
        with db.unit_of_work() as session:
            summary = demo_summary(session)
        print(f"demo database: {summary.motions:,} motions, {summary.history_rows:,} history rows")
    finally:
        db.dispose()


def _measure(command: list[str]) -> dict[str, Any]:
    """Run `command` under a fresh measuring process; its seconds, peak memory and output."""
    completed = subprocess.run(
        [sys.executable, "-m", __name__, "measure", *command],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


# -- in the measuring process ----------------------------------------------------------------


def _measure_child(command: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(MAIN.parent)}
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"benchmark child failed: {completed.stderr.strip()[-800:]}")
    print(json.dumps({"seconds": seconds, "rss_mb": _peak_child_mb(), "stdout": completed.stdout}))


def _peak_child_mb() -> float:
    """The peak memory of this process's one child (POSIX); 0 where it cannot be known."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# -- the bare baseline, in a fresh process ---------------------------------------------------


def _dump(url: str, out: Path, week_end: date) -> int:
    """The least a report could do: read the detail rows (this week's moves and every open
    motion, with names) in two plain queries and stream them, unstyled, with xlsxwriter."""
    from sqlalchemy import select
    from xlsxwriter import Workbook

    from casetracker.domain.models import Case, Motion, MotionEvent, Person
    from casetracker.domain.workflow import FINAL_STAGES
    from casetracker.reports.calendar import Week, week_bounds_utc
    from casetracker.storage.db import open_database

    start, end = week_bounds_utc(Week.ending(week_end), None)
    names = (Person.last_name, Person.first_name, Case.docket, Case.county)
    queries = {
        "moved": select(
            MotionEvent.id,
            MotionEvent.motion_id,
            *names,
            Motion.kind,
            MotionEvent.action,
            MotionEvent.from_stage,
            MotionEvent.to_stage,
            MotionEvent.user,
            MotionEvent.at,
            MotionEvent.reason,
        )
        .join(Motion, Motion.id == MotionEvent.motion_id)
        .join(Person, Person.id == Motion.person_id)
        .join(Case, Case.id == Motion.case_id)
        .where(MotionEvent.at >= start, MotionEvent.at < end),
        "backlog": select(
            Motion.id,
            *names,
            Motion.kind,
            Motion.stage,
            Motion.assigned_prosecutor,
            Motion.stage_entered_at,
        )
        .join(Person, Person.id == Motion.person_id)
        .join(Case, Case.id == Motion.case_id)
        .where(Motion.stage.not_in(FINAL_STAGES)),
    }
    db = open_database(url)
    book = Workbook(str(out), {"constant_memory": True, "remove_timezone": True})
    count = 0
    with db.reading() as session:
        for name, query in queries.items():
            sheet = book.add_worksheet(name)
            for row_number, row in enumerate(session.execute(query)):
                sheet.write_row(row_number, 0, [_plain(v) for v in row])
                count += 1
    book.close()
    return count


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)  # enums as their stored text


if __name__ == "__main__":
    if sys.argv[1] == "measure":
        _measure_child(sys.argv[2:])
    else:
        _, url, out, week_end = sys.argv[1:]
        print(_dump(url, Path(out), date.fromisoformat(week_end)))
