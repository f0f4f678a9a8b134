"""import: end-to-end import time and peak memory against the bare python-calamine parse."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from casetracker.devtools.fakelist import write_fake_list

SIZES = (3_438, 20_000, 100_000)
TARGET_RATIO = 4.0
TARGET_REIMPORT_RATIO = 2.0
TARGET_RSS_MB = 500


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rows", type=int, default=100_000, help="largest list size (default 100000)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="best of N, for the bare parse and the imports alike (default 3)",
    )


def bare_parse(path: Path) -> float:
    start = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        rows = list(workbook.get_sheet_by_name(name).iter_rows())
        del rows
    return time.perf_counter() - start


def run(args: argparse.Namespace) -> int:
    sizes = sorted({s for s in SIZES if s <= args.rows} | {args.rows})
    print(
        f"{'rows':>8} {'parse s':>8} {'import s':>9} {'ratio':>6} {'re-imp s':>9} "
        f"{'ratio':>6} {'RSS MB':>7} {'report s':>9} {'imported':>9}"
    )
    worst: dict[str, float] = {"ratio": 0.0, "reimport": 0.0, "rss": 0.0}
    with tempfile.TemporaryDirectory(prefix="casetracker-bench-") as folder:
        for rows in sizes:
            path = Path(folder) / f"warrants_{rows}.xlsx"
            write_fake_list(path, rows)
            db = Path(folder) / f"bench_{rows}.sqlite"
            # Timings on a shared machine vary by a third from run to run; both sides of each
            # ratio are the best of the same number of runs, each in a fresh process of its
            # own, taken in turn (parse, import, re-import), so both meet the same machine.
            parses, firsts, agains = [], [], []
            for _ in range(max(args.repeat, 1)):
                parses.append(_parse_child(path))
                firsts.append(_child(path, db, fresh=True))
                agains.append(_child(path, db, fresh=False))
            parse = min(parses)
            first = min(firsts, key=lambda r: r["seconds"])
            again = min(agains, key=lambda r: r["seconds"])
            first["rss_mb"] = max(r["rss_mb"] for r in firsts)
            again["rss_mb"] = max(r["rss_mb"] for r in agains)
            ratio = first["seconds"] / parse
            reratio = again["seconds"] / parse
            rss = max(first["rss_mb"], again["rss_mb"])
            print(
                f"{rows:>8,} {parse:>8.2f} {first['seconds']:>9.2f} {ratio:>5.1f}x "
                f"{again['seconds']:>9.2f} {reratio:>5.1f}x {rss:>7.0f} "
                f"{first['report_seconds']:>9.2f} {first['imported']:>9,}"
            )
            if first.get("phases"):
                spent = ", ".join(f"{name} {t:.2f}" for name, t in first["phases"].items())
                print(f"  import s: {spent}")
            added = max(r["imported"] for r in agains)
            if added:
                print(f"  re-import added {added} rows: expected none")
            if rows == sizes[-1]:
                worst = {"ratio": ratio, "reimport": reratio, "rss": rss}
    print(
        f"targets at {sizes[-1]:,} rows: import <= {TARGET_RATIO:.0f}x parse "
        f"({'met' if worst['ratio'] <= TARGET_RATIO else 'NOT met'}), "
        f"re-import <= {TARGET_REIMPORT_RATIO:.0f}x "
        f"({'met' if worst['reimport'] <= TARGET_REIMPORT_RATIO else 'NOT met'}), "
        f"peak RSS <= {TARGET_RSS_MB} MB "
        f"({'met' if worst['rss'] <= TARGET_RSS_MB else 'NOT met'})"
    )
    print(
        f"import s = open file, parse, validate, link people, insert, commit (SQLite, in a "
        f"fresh process); report s = writing the error report afterwards; times are the best "
        f"of {max(args.repeat, 1)} runs, RSS the highest."
    )
    return 0


def _parse_child(path: Path) -> float:
    code = (
        "import sys; from pathlib import Path; "
        "from casetracker.cli.bench_import import bare_parse; "
        "print(bare_parse(Path(sys.argv[1])))"
    )
    return float(_last_line(code, str(path)))


def _child(path: Path, db: Path, *, fresh: bool) -> dict[str, Any]:
    code = "from casetracker.cli.bench_import import child_main; child_main()"
    result: dict[str, Any] = json.loads(
        _last_line(code, str(path), str(db), "fresh" if fresh else "again")
    )
    return result


def _last_line(code: str, *args: str) -> str:
    """What a fresh Python process running code printed last: each measurement in a process
    of its own, so its peak RSS and its heap belong to it alone."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {done.stderr.strip()[-800:]}")
    return done.stdout.strip().splitlines()[-1]


def child_main() -> None:
    from sqlalchemy.orm import configure_mappers

    from casetracker.importing.plan import ImportOptions
    from casetracker.importing.reader import open_source
    from casetracker.importing.service import finish, run_import
    from casetracker.storage.db import open_database

    path, db_path, mode = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    if mode == "fresh" and db_path.exists():
        db_path.unlink()
    db = open_database(f"sqlite:///{db_path}")
    # One-time library set-up (mapper configuration), which the bare parse does not pay either.
    configure_mappers()
    marks: dict[str, float] = {}

    def progress(_done: int, _total: int, label: str) -> None:
        now = time.perf_counter() - start
        marks.setdefault(label, now)
        marks["last " + label] = now

    start = time.perf_counter()
    source = open_source(path)
    with db.unit_of_work(bulk_load=True) as session:
        outcome = run_import(session, source, ImportOptions(), "bench", progress=progress)
        marks["written"] = time.perf_counter() - start
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    finish(outcome, db_path.with_suffix(f".{mode}.xlsx"))
    report_seconds = time.perf_counter() - start
    db.dispose()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "phases": _phases(marks, seconds),
                "report_seconds": report_seconds,
                "rss_mb": rss_mb,
                "imported": outcome.plan.counts.valid,
            }
        )
    )


def _phases(marks: dict[str, float], seconds: float) -> dict[str, float]:
    """Where the time went, from the progress the import reports (to within 5,000 rows)."""
    checking = marks.get("Checking rows")
    saving = min((at for label, at in marks.items() if label.startswith("Saving")), default=None)
    written = marks.get("written", seconds)
    if saving is None:
        return {}
    if checking is None:
        # Checked and stored a part at a time (a bulk load on SQLite): one phase for both.
        return {
            "read the file, find the rows, check the first part": saving,
            "check, link people, write (possible matches meanwhile)": written - saving,
            "commit": seconds - written,
        }
    # People are linked and possible matches looked for while SQLite stores rows.
    return {
        "read the file, find the rows": checking,
        "check rows": marks["last Checking rows"] - checking,
        "start writing": saving - marks["last Checking rows"],
        "write (link people, possible matches meanwhile)": written - saving,
        "commit": seconds - written,
    }
