"""Which database a benchmark measures on: its own SQLite file, the database `--db` names
(PostgreSQL included), or a throwaway local PostgreSQL server (`--postgres`).

A benchmark fills the database it measures on, and some benchmarks empty it again, so it
writes only where nobody's real data can be:

- without --db: its own SQLite file in a temporary or cache folder;
- --postgres: the database of a server it starts for the run and removes afterwards (also on
  Ctrl+C or an error);
- --db URL: a database that is empty (no tables at all; the benchmark brings it to the current
  schema and marks it with a `casetracker_bench` table) or one so marked by an earlier run.
  Any other database is refused before anything is written. $CASETRACKER_DB is never used.

    with bench_database(args, default_sqlite=folder / "bench.sqlite") as (url, backend_line):
        print(f"bench desk on {backend_line}")
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, NamedTuple

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from casetracker.domain.errors import CasetrackerError
from casetracker.storage.db import create_db_engine, describe, resolve_url, sqlite_path

MARKER = "casetracker_bench"
SERVER_SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "pg_test_server.sh"

RULE = (
    "--db URL measures on that database (SQLite or PostgreSQL): it must be empty (no tables; "
    "e.g. made with createdb for the benchmark) or one a benchmark filled before (it has a "
    f"{MARKER} table); any other database is refused and left untouched, since the "
    "benchmark fills it with demo data and may empty it again. --postgres starts a throwaway "
    "local PostgreSQL server for the run (scripts/pg_test_server.sh) and removes it afterwards. "
    "Without either, the benchmark uses its own SQLite file; $CASETRACKER_DB is never used."
)


class BenchTarget(NamedTuple):
    url: str  # with its password: for the benchmark's own processes only
    backend_line: str  # e.g. "PostgreSQL 16.4 at 127.0.0.1:5433, database casetracker_test"


class BenchUnavailable(CasetrackerError):
    """What the benchmark needs cannot be had here (one line for the user)."""


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """--postgres, and the rule for --db in the command's help (--db itself is common)."""
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="measure on a throwaway local PostgreSQL server started for this run",
    )
    parser.epilog = ((parser.epilog or "") + " " + RULE).strip()


@contextmanager
def bench_database(args: argparse.Namespace, default_sqlite: Path) -> Iterator[BenchTarget]:
    """The database this run measures on, as (url, backend_line); see the module's rule."""
    postgres = bool(getattr(args, "postgres", False))
    given = getattr(args, "db", None)
    if postgres and given:
        raise CasetrackerError("give --db or --postgres, not both")
    if postgres:
        with throwaway_server() as url:
            claim(url)
            yield BenchTarget(url, backend_line(url) + " (throwaway server for this run)")
        return
    if given:
        url = resolve_url(given).render_as_string(hide_password=False)
        claim(url)
        yield BenchTarget(url, backend_line(url))
        return
    url = f"sqlite:///{default_sqlite}"
    yield BenchTarget(url, backend_line(url))


def chosen_by_user(args: argparse.Namespace) -> bool:
    """--db or --postgres was given (else the benchmark uses its own SQLite file)."""
    return bool(getattr(args, "db", None) or getattr(args, "postgres", False))


def backend_line(url: str) -> str:
    """'PostgreSQL 16.4 at 127.0.0.1:5433, database x' or 'SQLite 3.45.1, file /…'."""
    parsed = make_url(url)
    path = sqlite_path(parsed)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}, file {path or 'in memory'}"
    engine = create_db_engine(parsed)
    try:
        with engine.connect() as connection:
            version = str(connection.exec_driver_sql("SHOW server_version").scalar())
    finally:
        engine.dispose()
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    return f"PostgreSQL {version.split()[0]} at {where}, database {parsed.database}"


def claim(url: str) -> None:
    """Refuse a database with data a benchmark did not put there; bring an empty one to the
    current schema and mark it as the benchmark's."""
    state = _state(url)
    if state == "theirs":
        raise CasetrackerError(
            f"{describe(make_url(url))} already holds data that a benchmark did not put there; "
            "a benchmark fills and empties the database it measures on, so give it an empty "
            "one (e.g. createdb casetracker_bench) or use --postgres"
        )
    if state == "empty":
        _migrate_and_mark(url)


def wipe(url: str) -> None:
    """Empty a benchmark's database back to the current schema with no data (still marked).
    Refuses any database not marked as a benchmark's."""
    if _state(url) == "theirs":
        raise CasetrackerError(f"{describe(make_url(url))} is not a benchmark's database")
    parsed = make_url(url)
    path = sqlite_path(parsed)
    if path is not None:
        # Nothing has it open (the benchmark's processes have ended); its own files only.
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_db_engine(parsed)
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE")
                connection.exec_driver_sql("CREATE SCHEMA public")
        finally:
            engine.dispose()
    _migrate_and_mark(url)


def ensure_demo(url: str, motions: int, seed: int = 2018, *, rebuild: bool = False) -> bool:
    """A demo office of exactly `motions` motions in this benchmark database, searchable;
    kept when it is already there (returns False), else built afresh (returns True)."""
    from casetracker.devtools.demo import generate_demo
    from casetracker.services.queries import count_motions
    from casetracker.services.search import refresh_search_index
    from casetracker.storage.db import open_database

    claim(url)
    db = open_database(url, daily_backup=False)
    try:
        with db.reading() as session:
            existing = count_motions(session)
    finally:
        db.dispose()
    if existing == motions and not rebuild:
        return False
    if existing:
        wipe(url)
    db = open_database(url, daily_backup=False)
    try:
        with db.unit_of_work() as session:
            for done, total in generate_demo(session, motions=motions, seed=seed):
                print(f"\r  demo office: {done:,} of {total:,} motions", end="", flush=True)
            print()
        with db.unit_of_work() as session:
            refresh_search_index(session)
        if not db.is_sqlite:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")  # as autovacuum would, soon after
    finally:
        db.dispose()
    return True


def _state(url: str) -> str:
    """'empty' (no tables), 'ours' (marked) or 'theirs'."""
    parsed = make_url(url)
    path = sqlite_path(parsed)
    if path is not None and (not path.exists() or path.stat().st_size == 0):
        return "empty"
    engine = create_db_engine(parsed)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    if not tables:
        return "empty"
    return "ours" if MARKER in tables else "theirs"


def _migrate_and_mark(url: str) -> None:
    from casetracker.storage.db import open_database

    db = open_database(url, daily_backup=False)
    try:
        with db.engine.begin() as connection:
            connection.execute(text(f"CREATE TABLE IF NOT EXISTS {MARKER} (note TEXT)"))
    finally:
        db.dispose()


# -- the throwaway server ----------------------------------------------------------------------


@contextmanager
def throwaway_server() -> Iterator[str]:
    """A fresh local PostgreSQL server (scripts/pg_test_server.sh) for the duration; its URL.
    Stopped and deleted afterwards, on Ctrl+C, an error or SIGTERM alike."""
    if not SERVER_SCRIPT.is_file() or shutil.which("bash") is None:
        raise BenchUnavailable(
            "--postgres needs scripts/pg_test_server.sh and bash from the source tree, which "
            "this installation does not have; start a server yourself and give --db URL"
        )
    started = subprocess.run(
        ["bash", str(SERVER_SCRIPT), "start"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = started.stdout.strip().splitlines()
    if started.returncode != 0 or not lines or not lines[-1].startswith("postgresql"):
        reason = (started.stderr.strip().splitlines() or ["no reason given"])[-1]
        raise BenchUnavailable(f"could not start a throwaway PostgreSQL server: {reason}")
    url = lines[-1].strip()
    previous = _stop_on_sigterm()
    try:
        yield url
    finally:
        subprocess.run(
            ["bash", str(SERVER_SCRIPT), "stop", url],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=120,
            check=False,
        )
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop_on_sigterm() -> Any:
    """SIGTERM becomes KeyboardInterrupt while the server runs, so it is stopped too."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        return None

    def interrupt(_number: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)
