"""import: the whole `main.py import LIST` command, from the shell to the prompt (start-up and
error report included), against a bare python-calamine parse of the same file, each in a
fresh process, side by side in one run."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from casetracker.devtools.bench.target import (
    add_target_arguments,
    bench_database,
    chosen_by_user,
    wipe,
)

SIZES = (3_438, 20_000, 100_000)
TARGET_RATIO = 3.0
TARGET_REIMPORT_RATIO = 2.0
TARGET_RSS_MB = 500
MAIN = Path(__file__).resolve().parents[3] / "main.py"

# What the baseline process does: start Python, load the reader, read every sheet's rows.
BARE_PARSE = (
    "import sys\n"
    "from python_calamine import CalamineWorkbook\n"
    "workbook = CalamineWorkbook.from_path(sys.argv[1])\n"
    "for name in workbook.sheet_names:\n"
    "    rows = list(workbook.get_sheet_by_name(name).iter_rows())\n"
)


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
    add_target_arguments(parser)


@dataclass
class Timed:
    seconds: float
    rss_mb: float
    stdout: str


def timed(command: list[str]) -> Timed:
    """Wall time of a fresh process from start to exit, and its peak memory."""
    env = {**os.environ, "PYTHONPATH": str(MAIN.parent)}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {err.strip()[-800:]}")
    return Timed(seconds, _peak_mb(), out)


def _peak_mb() -> float:
    """The highest peak memory of the children so far (POSIX); 0 where it is not known."""
    try:
        import resource
    except ImportError:
        return 0.0
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def import_command(path: Path, url: str, report: Path) -> list[str]:
    return [
        sys.executable,
        str(MAIN),
        "import",
        str(path),
        "--db",
        url,
        "--error-report",
        str(report),
        "--json",
    ]


def run(args: argparse.Namespace) -> int:
    with (
        tempfile.TemporaryDirectory(prefix="casetracker-bench-") as folder,
        bench_database(args, Path(folder) / "bench.sqlite") as (url, backend),
    ):
        print(f"bench import on {backend}", flush=True)
        return _run(args, Path(folder), url if chosen_by_user(args) else None)


def _run(args: argparse.Namespace, folder: Path, url: str | None) -> int:
    """url: the benchmark database --db or --postgres chose, emptied before each first
    import; None: a new SQLite file for each size, made by the first import itself."""
    from casetracker.devtools.fakelist import write_fake_list

    sizes = sorted({s for s in SIZES if s <= args.rows} | {args.rows})
    repeat = max(args.repeat, 1)
    print(
        f"{'rows':>8} {'parse s':>8} {'import s':>9} {'ratio':>6} {'re-imp s':>9} "
        f"{'ratio':>6} {'RSS MB':>7} {'imported':>9} {'matches':>8}"
    )
    worst = {"ratio": 0.0, "reimport": 0.0, "rss": 0.0}
    for rows in sizes:
        path = folder / f"warrants_{rows}.xlsx"
        write_fake_list(path, rows)
        db = folder / f"bench_{rows}.sqlite"
        target = url or f"sqlite:///{db}"
        report = folder / f"report_{rows}.xlsx"
        # Timings on a shared machine vary by a third from run to run: both sides of each
        # ratio are the best of the same number of runs, taken in turn (parse, import,
        # re-import), so that both meet the same machine.
        parses, firsts, agains = [], [], []
        summary: dict[str, int] = {}
        added = 0
        for _ in range(repeat):
            parses.append(timed([sys.executable, "-c", BARE_PARSE, str(path)]).seconds)
            if url:
                wipe(url)
            else:
                db.unlink(missing_ok=True)
            first = timed(import_command(path, target, report))
            firsts.append(first)
            summary = json.loads(first.stdout.strip().splitlines()[-1])
            again = timed(import_command(path, target, report))
            agains.append(again)
            added = max(added, json.loads(again.stdout.strip().splitlines()[-1])["imported"])
        parse = min(parses)
        best = min(t.seconds for t in firsts)
        best_again = min(t.seconds for t in agains)
        rss = max(t.rss_mb for t in (*firsts, *agains))
        ratio, reratio = best / parse, best_again / parse
        print(
            f"{rows:>8,} {parse:>8.2f} {best:>9.2f} {ratio:>5.1f}x {best_again:>9.2f} "
            f"{reratio:>5.1f}x {rss:>7.0f} {summary['imported']:>9,} "
            f"{summary['possible_matches']:>8,}"
        )
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
        "import s = the whole `main.py import LIST --error-report R` command in a fresh "
        "process (start-up, reading, checking, linking people, storing, the error "
        f"report; {'into the emptied database' if url else 'into a new file'}); "
        "parse s = a fresh process that loads python-calamine and reads every "
        f"sheet's rows; times are the best of {repeat} runs, RSS the highest of any child."
    )
    return 0
