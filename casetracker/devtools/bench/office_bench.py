"""`casetracker bench office`: a busy office on one database, and whether any update was lost.

It fills the database with demo motions, then starts N simulated people, each a process of
its own working through the same services and operations as the window (office_user), while
one more process imports a list of warrants with `main.py import` and another writes the
weekly report with `main.py report weekly`. The same import is first timed alone, on a copy
of the filled database, so the two times compare the same work.

It prints, per action, how many were made, their median and 95th percentile, the errors and
the refusals (a motion someone else changed after it was read: expected, and counted apart);
on SQLite the waits for another process's write lock ("busy"). At the end every motion's
state is checked against its history, and every move a person was told had been saved must
be in it (history_check): "lost updates: 0", or the list.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from casetracker.devtools.bench.target import (
    BenchTarget,
    add_target_arguments,
    bench_database,
    ensure_demo,
)
from casetracker.domain.errors import CasetrackerError
from casetracker.storage.db import open_database, sqlite_path

ROOT = Path(__file__).resolve().parents[3]
MAIN = ROOT / "main.py"
LIST_ROWS = 100_000

TARGET_SEARCH_P95_MS = 150.0
TARGET_MOVE_P95_MS = 200.0
TARGET_IMPORT_RATIO = 1.5


def add_office_bench(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "office",
        parents=[common],
        help="N simulated people at work while a list is imported and the report written",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("--users", type=int, default=8, help="simulated people (default 8)")
    parser.add_argument("--motions", type=int, default=100_000, help="demo size (100000)")
    parser.add_argument(
        "--minutes", type=float, default=2.0, help="how long the people work (default 2; 0.5 ok)"
    )
    parser.add_argument(
        "--list-rows",
        type=int,
        help=f"rows of the imported list (default: {LIST_ROWS:,}, or --motions if fewer)",
    )
    parser.add_argument("--seed", type=int, default=2018, help="demo and people seed")
    add_target_arguments(parser)
    parser.set_defaults(handler=run)


# -- the steps -------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    if args.users < 1 or args.minutes <= 0 or args.motions < 100:
        raise CasetrackerError("Give at least 1 user, more than 0 minutes and 100 motions.")
    with tempfile.TemporaryDirectory(prefix="ct-office-") as scratch:
        folder = Path(scratch)
        with bench_database(args, folder / "office.sqlite") as target:
            return _run(args, target, folder)


def _run(args: argparse.Namespace, target: BenchTarget, folder: Path) -> int:
    rows = args.list_rows or min(LIST_ROWS, args.motions)
    print(
        f"bench office on {target.backend_line}: {args.users} users, {args.motions:,} "
        f"motions, {args.minutes:g} min, a list of {rows:,} rows{_load_average()}",
        flush=True,
    )
    since_event = fill(target.url, args.motions, args.seed)
    from casetracker.devtools.fakelist import write_fake_list

    listing = folder / f"warrants_{rows}.xlsx"
    write_fake_list(listing, rows, seed=args.seed)
    alone = import_alone(target, listing, folder)
    print(f"import alone (on a copy of the filled database): {alone.seconds:.1f} s", flush=True)
    load = run_load(args, target, listing, folder)
    db = open_database(target.url, migrate=False, daily_backup=False)
    try:
        started = time.perf_counter()
        with db.reading() as session:
            from casetracker.devtools.bench.history_check import lost_updates

            lost = lost_updates(session, load.made, since_event=since_event)
        checked = time.perf_counter() - started
    finally:
        db.dispose()
    print(report(target, load, alone, lost, checked))
    failed = load.errors or lost or not load.import_run.ok or not load.report_run.ok
    return 1 if failed else 0


def fill(url: str, motions: int, seed: int) -> int:
    """The demo office, built afresh (the load changes it); returns its last history row."""
    from casetracker.domain.models import MotionEvent

    started = time.perf_counter()
    ensure_demo(url, motions, seed, rebuild=True)
    db = open_database(url, migrate=False, daily_backup=False)
    try:
        with db.reading() as session:
            last = int(session.scalar(select(func.max(MotionEvent.id))) or 0)
    finally:
        db.dispose()
    print(f"filled: {motions:,} demo motions in {time.perf_counter() - started:.0f} s")
    return last


@dataclass
class Command:
    """A command run in a process of its own, timed from start to exit."""

    seconds: float = 0.0
    ok: bool = False
    output: str = ""


def run_command(command: list[str], user: str) -> Command:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CASETRACKER_USER": user}
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    output = completed.stdout if completed.returncode == 0 else completed.stderr
    return Command(seconds, completed.returncode == 0, output.strip()[-2000:])


def import_command(url: str, listing: Path, folder: Path) -> list[str]:
    report = folder / f"import-problems-{uuid.uuid4().hex[:6]}.xlsx"
    return [sys.executable, str(MAIN), "import", str(listing), "--db", url, "--json"] + [
        "--error-report",
        str(report),
    ]


def import_alone(target: BenchTarget, listing: Path, folder: Path) -> Command:
    """The same import with nobody else at work, into a copy of the filled database."""
    with database_copy(target, folder) as copy:
        done = run_command(import_command(copy, listing, folder), "bench.import")
    if not done.ok:
        raise CasetrackerError(f"The import alone failed: {done.output.splitlines()[-1:]}")
    return done


@contextmanager
def database_copy(target: BenchTarget, folder: Path) -> Iterator[str]:
    url = make_url(target.url)
    if url.get_backend_name() == "sqlite":
        from casetracker.storage.backup import copy_database

        source = sqlite_path(url)
        assert source is not None
        copy = folder / "alone.sqlite"
        copy_database(source, copy)
        yield f"sqlite:///{copy}"
        return
    from psycopg import sql

    name = f"{url.database}_alone_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def run_ddl(statement: sql.Composed) -> None:
        with admin.connect() as connection:
            connection.connection.driver_connection.execute(statement)  # type: ignore[union-attr]

    try:
        run_ddl(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(url.database or "")
            )
        )
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            run_ddl(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    finally:
        admin.dispose()


# -- the load --------------------------------------------------------------------------------


@dataclass
class Load:
    actions: dict[str, dict[str, Any]] = field(default_factory=dict)
    made: list[tuple[int, str]] = field(default_factory=list)
    busy: dict[str, float] = field(default_factory=lambda: {"waits": 0, "seconds": 0.0})
    errors: int = 0
    messages: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    import_run: Command = field(default_factory=Command)
    report_run: Command = field(default_factory=Command)
    seconds: float = 0.0


def run_load(args: argparse.Namespace, target: BenchTarget, listing: Path, folder: Path) -> Load:
    duration = args.minutes * 60
    stop = folder / "stop"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    people = []
    started = time.perf_counter()
    for n in range(1, args.users + 1):
        config = folder / f"user{n}.json"
        config.write_text(
            json.dumps(
                {
                    "url": target.url,
                    "user": f"bench.user{n}",
                    "seed": args.seed * 1000 + n,
                    "pause": 1.0,
                    "stop": str(stop),
                    "out": str(folder / f"user{n}.out.json"),
                }
            ),
            encoding="utf-8",
        )
        command = [sys.executable, "-m", "casetracker.devtools.bench.office_user", str(config)]
        people.append(
            subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
        )
    load = Load()
    # The people settle in first; then the list is imported and the report written.
    time.sleep(min(10.0, duration / 10))
    week = folder / "weekly.xlsx"
    background = {
        "import": lambda: run_command(import_command(target.url, listing, folder), "bench.import"),
        "report": lambda: run_command(
            [sys.executable, str(MAIN), "report", "weekly", "--out", str(week), "--db", target.url],
            "bench.report",
        ),
    }
    done: dict[str, Command] = {}
    threads = [
        threading.Thread(target=lambda k=k, f=f: done.__setitem__(k, f()), daemon=True)
        for k, f in background.items()
    ]
    for thread in threads:
        thread.start()
    while time.perf_counter() - started < duration or any(t.is_alive() for t in threads):
        time.sleep(0.5)
    stop.touch()
    load.seconds = time.perf_counter() - started
    load.import_run = done.get("import", Command())
    load.report_run = done.get("report", Command())
    for n, process in enumerate(people, start=1):
        try:
            _out, err = process.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, err = process.communicate()
        out = folder / f"user{n}.out.json"
        if process.returncode != 0 or not out.exists():
            load.errors += 1
            load.messages.append(
                f"bench.user{n} stopped: {(err.strip().splitlines() or ['?'])[-1]}"
            )
            continue
        _add(load, json.loads(out.read_text(encoding="utf-8")))
    return load


def _add(load: Load, result: dict[str, Any]) -> None:
    for kind, figures in result["actions"].items():
        mine = load.actions.setdefault(kind, {"ms": [], "errors": 0, "refusals": 0})
        mine["ms"].extend(figures["ms"])
        mine["errors"] += figures["errors"]
        mine["refusals"] += figures["refusals"]
        load.errors += figures["errors"]
        load.messages.extend(f"{result['user']} {kind}: {m}" for m in figures["messages"])
        load.refused.extend(f"{result['user']} {kind}: {m}" for m in figures["refused"])
    load.made.extend((int(m), str(g)) for m, g in result["made"])
    for key, value in result["busy"].items():
        if key == "longest_ms":
            load.busy[key] = max(load.busy.get(key, 0.0), value)
        else:
            load.busy[key] = load.busy.get(key, 0) + value


# -- the figures -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(target: BenchTarget, load: Load, alone: Command, lost: list[str], checked: float) -> str:
    lines = [
        f"{load.seconds:.0f} s of work; per action (ms):",
        f"  {'action':<8} {'count':>7} {'median':>8} {'p95':>8} {'errors':>7} {'refusals':>9}",
    ]
    for kind, figures in load.actions.items():
        ms = figures["ms"]
        median = f"{statistics.median(ms):8.1f}" if ms else f"{'-':>8}"
        p95 = f"{percentile(ms, 0.95):8.1f}" if ms else f"{'-':>8}"
        lines.append(
            f"  {kind:<8} {len(ms):>7,} {median} {p95} {figures['errors']:>7} "
            f"{figures['refusals']:>9}"
        )
    lines.append(
        "  (search: one keystroke, the desk's ids and first page; filter: the desk by stage; "
        "open: the detail pane; move: one step at the version read; queue: the prosecutor's "
        "queue; decide: 1-5 queue motions; bulk: preview + apply of 200; export: a stage's table)"
    )
    imported = load.import_run
    ratio = imported.seconds / alone.seconds if alone.seconds else float("nan")
    lines.append(
        f"import under load: {imported.seconds:.1f} s vs alone: {alone.seconds:.1f} s "
        f"({ratio:.2f}x){'' if imported.ok else ' FAILED: ' + _last(imported.output)}"
    )
    lines.append(
        f"weekly report under load: {load.report_run.seconds:.1f} s"
        + ("" if load.report_run.ok else " FAILED: " + _last(load.report_run.output))
    )
    if make_url(target.url).get_backend_name() == "sqlite":
        lines.append(
            f"busy waits (SQLite write lock, > 5 ms): {int(load.busy['waits']):,}, "
            f"{load.busy['seconds']:.1f} s in all, longest "
            f"{load.busy.get('longest_ms', 0.0):.0f} ms (waits, not errors)"
        )
    refusals = sum(f["refusals"] for f in load.actions.values())
    lines.append(f"errors: {load.errors}; refusals (stale edits, expected): {refusals}")
    lines.extend(f"  {m}" for m in load.messages[:20])
    lines.extend(f"  refused: {m}" for m in load.refused[:5])
    lines.append(
        f"lost updates: {len(lost)}{'+' if len(lost) >= 50 else ''} "
        f"({len(load.made):,} saved moves checked, every motion against its history "
        f"in {checked:.0f} s)"
    )
    lines.extend(f"  {p}" for p in lost[:50])
    search = load.actions.get("search", {}).get("ms") or [0.0]
    move = load.actions.get("move", {}).get("ms") or [0.0]
    checks = [
        ("search p95", percentile(search, 0.95) <= TARGET_SEARCH_P95_MS, "≤ 150 ms"),
        ("move p95", percentile(move, 0.95) <= TARGET_MOVE_P95_MS, "≤ 200 ms"),
        ("errors", load.errors == 0, "0"),
        ("lost updates", not lost, "0"),
        ("import", imported.ok and ratio <= TARGET_IMPORT_RATIO, "≤ 1.5x alone"),
    ]
    lines.append(
        "targets: "
        + ", ".join(f"{name} {limit} {'met' if ok else 'NOT met'}" for name, ok, limit in checks)
    )
    return "\n".join(lines)


def _last(output: str) -> str:
    return (output.strip().splitlines() or ["?"])[-1]


def _load_average() -> str:
    try:
        one, five, _ = os.getloadavg()
    except (AttributeError, OSError):  # Windows
        return ""
    return f"; load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"
