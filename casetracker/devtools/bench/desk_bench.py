"""`casetracker bench desk`: how fast the desk is on a large office, beside its baselines.

This part builds (or reuses) the demo database and runs the measurements in child processes,
so each one's start-up time and peak memory are its own: the desk itself, a bare "import the
libraries and show an empty window" start, and a plain QSortFilterProxyModel over the same rows.
The measuring code that needs Qt lives in ui/bench/desk_gui_bench.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from casetracker.devtools.bench.target import (
    add_target_arguments,
    bench_database,
    chosen_by_user,
    ensure_demo,
)
from casetracker.devtools.demo import generate_demo
from casetracker.domain.errors import CasetrackerError
from casetracker.paths import data_dir
from casetracker.services.search import refresh_search_index
from casetracker.storage.db import open_database

TARGETS = {
    "first_rows_s": 1.0,
    "search_median_ms": 50.0,
    "search_p95_ms": 100.0,
    "sort_max_ms": 150.0,
    "stall_ms": 100.0,
    "peak_rss_mb": 350.0,
}


def add_desk_bench(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "desk",
        parents=[common],
        help="measure the desk (launch, search, sort, bulk move, stalls, memory) on demo data",
    )
    parser.add_argument("--motions", type=int, default=100_000, help="demo size (default 100000)")
    parser.add_argument("--seed", type=int, default=2018, help="demo seed (default 2018)")
    parser.add_argument(
        "--bulk", type=int, default=10_000, help="motions moved by the bulk move (default 10000)"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="build the demo database again, not from cache"
    )
    add_target_arguments(parser)
    parser.set_defaults(handler=run)


def cached_database(motions: int, seed: int, rebuild: bool = False) -> Path:
    """The demo database for this size and seed, built once (about a minute for 100,000)."""
    folder = data_dir() / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"desk-{motions}-{seed}.sqlite"
    if path.exists() and not rebuild:
        return path
    building = folder / f"desk-{motions}-{seed}.building.sqlite"
    for stale in folder.glob(building.name + "*"):
        stale.unlink()
    print(f"Building a demo database of {motions:,} motions (once; cached in {folder}) …")
    db = open_database(f"sqlite:///{building}")
    try:
        with db.unit_of_work() as session:
            for done, total in generate_demo(session, motions=motions, seed=seed):
                print(f"\r  {done:,} of {total:,}", end="", file=sys.stderr)
            print(file=sys.stderr)
        with db.unit_of_work() as session:
            refresh_search_index(session)
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    building.replace(path)
    return path


def _child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    launched = time.time()
    command = [sys.executable, "-m", "ui.bench.desk_gui_bench", "--launched", repr(launched)]
    completed = subprocess.run(
        command + args, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    for line in reversed(completed.stdout.splitlines()):
        if line.startswith("{"):
            return dict(json.loads(line))
    raise CasetrackerError(
        "The benchmark window failed: " + (completed.stderr.strip().splitlines() or ["?"])[-1]
    )


def run(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    root = Path(__file__).resolve().parent.parent.parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    with (
        tempfile.TemporaryDirectory(prefix="casetracker-bench-") as work,
        bench_database(args, Path(work) / "desk.sqlite") as (url, backend),
    ):
        print(f"bench desk on {backend}", flush=True)
        if chosen_by_user(args):
            ensure_demo(url, args.motions, args.seed, rebuild=args.rebuild)
        else:
            # The bulk move writes; each run starts from a copy of the same cached database.
            source = cached_database(args.motions, args.seed, args.rebuild)
            shutil.copyfile(source, Path(work) / "desk.sqlite")
            # A cache built by an older version is upgraded here, not in the measured launch.
            open_database(url, daily_backup=False).dispose()
        env["CASETRACKER_DATA_DIR"] = str(Path(work) / "data")
        bare = _child(["--bare"], env)
        desk = _child(["--db", url, "--bulk", str(args.bulk)], env)
        proxy = _child(["--proxy", "--db", url], env)
    print(report(args.motions, desk, bare, proxy))
    return 0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(motions: int, desk: dict[str, Any], bare: dict[str, Any], proxy: dict[str, Any]) -> str:
    searches = [ms for _query, ms in desk["keystrokes"]]
    median = statistics.median(searches)
    p95 = _percentile(searches, 0.95)
    sorts: dict[str, float] = desk["sorts"]
    proxy_median = statistics.median(proxy["keystrokes"])
    lines = [
        f"Desk benchmark on {motions:,} demo motions ({desk['platform']})",
        "",
        _row("launch to first rows shown", desk["first_rows_s"], "s", "first_rows_s"),
        f"    baseline, bare imports + empty window: {bare['first_rows_s']:.2f} s "
        f"(desk is {desk['first_rows_s'] / bare['first_rows_s']:.1f}x)",
        _row("search per keystroke, median", median, "ms", "search_median_ms"),
        _row("search per keystroke, 95th percentile", p95, "ms", "search_p95_ms"),
        f"    {len(searches)} keystrokes over {len(desk['queries'])} queries: "
        + ", ".join(repr(q) for q in desk["queries"]),
        f"    baseline, QSortFilterProxyModel over all columns: median {proxy_median:.0f} ms "
        f"per keystroke ({proxy_median / median:.0f}x slower than the desk)",
    ]
    lines.append(_row("sort, slowest column", max(sorts.values()), "ms", "sort_max_ms"))
    for column, ms in sorts.items():
        lines.append(f"    {column:<16} {ms:7.1f} ms")
    lines.append(
        f"    baseline, QSortFilterProxyModel sort by person: {proxy['sort_ms']:.0f} ms "
        f"({proxy['sort_ms'] / max(sorts.values()):.0f}x the desk's slowest column)"
    )
    lines += [
        f"bulk move of {desk['bulk_count']:,} motions (preview + apply): "
        f"{desk['bulk_s']:.1f} s; undo: {desk['undo_s']:.1f} s",
        _row("longest GUI-thread stall (10 ms heartbeat)", desk["stall_ms"], "ms", "stall_ms"),
        f"    stall during search {desk['stalls']['search']:.0f} ms, sort "
        f"{desk['stalls']['sort']:.0f} ms, bulk {desk['stalls']['bulk']:.0f} ms, refresh "
        f"after a change from another process {desk['stalls']['elsewhere']:.0f} ms "
        f"(shown {desk['elsewhere_s']:.1f} s after that command was started)",
        _row("peak RSS", desk["peak_rss_mb"], "MB", "peak_rss_mb"),
        f"    baseline, empty window: {bare['peak_rss_mb']:.0f} MB; "
        f"proxy model over the rows: {proxy['peak_rss_mb']:.0f} MB",
    ]
    return "\n".join(lines)


def _row(label: str, value: float, unit: str, target: str) -> str:
    limit = TARGETS[target]
    verdict = "ok" if value <= limit else "OVER TARGET"
    shown = f"{value:.2f}" if unit == "s" else f"{value:.1f}"
    return f"{label + ':':<44} {shown:>8} {unit:<2}  (target ≤ {limit:g} {unit}: {verdict})"
