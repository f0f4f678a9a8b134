"""bench --db / --postgres: the benchmarks measure on the database they are given, say which
one in their first line, and never fill or empty a database that holds someone's data."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from casetracker.devtools.bench import target
from casetracker.devtools.bench.target import MARKER
from casetracker.storage.db import open_database
from tests.storage.cli_runner import ROOT, cli, one_line_refusal

pytestmark = pytest.mark.postgres


def _count(url: str, table: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_bench_import_imports_into_the_postgresql_database_given(pg_url: str) -> None:
    result = cli("bench", "import", "--rows", "300", "--repeat", "1", "--db", pg_url)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    name = make_url(pg_url).database
    assert first.startswith("bench import on PostgreSQL "), first
    assert f"database {name}" in first
    # The list went into that database, and the benchmark marked it as its own.
    assert _count(pg_url, "motion") > 250
    assert MARKER in _tables(pg_url)


def test_bench_report_builds_its_demo_in_the_postgresql_database_given(pg_url: str) -> None:
    result = cli("bench", "report", "--motions", "40", "--repeat", "1", "--db", pg_url)
    assert result.returncode in (0, 1), result.stderr  # 1: a target missed; not asserted
    assert result.stdout.splitlines()[0].startswith("bench report on PostgreSQL "), result.stdout
    assert "main.py report weekly:" in result.stdout
    assert _count(pg_url, "motion") == 40


def test_bench_desk_measures_the_window_on_the_postgresql_database_given(pg_url: str) -> None:
    result = cli("bench", "desk", "--motions", "120", "--bulk", "10", "--db", pg_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("bench desk on PostgreSQL "), result.stdout
    assert "search per keystroke, median" in result.stdout
    assert _count(pg_url, "motion") == 120
    # The desk's bulk move and its undo, and the change from another process, were written
    # there: the history holds them.
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        reasons = set(connection.execute(text("SELECT reason FROM motion_event")).scalars())
    engine.dispose()
    assert "benchmark bulk move" in reasons
    assert "benchmark change from elsewhere" in reasons


def test_a_database_with_other_data_is_refused_and_left_alone(pg_url: str) -> None:
    db = open_database(pg_url)  # a real office database: the app's tables, no bench mark
    db.dispose()
    before = _tables(pg_url)
    result = cli("bench", "report", "--motions", "20", "--repeat", "1", "--db", pg_url)
    one_line_refusal(result, "already holds data", "empty")
    assert _tables(pg_url) == before
    assert _count(pg_url, "motion") == 0


def test_a_sqlite_file_with_other_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    open_database(f"sqlite:///{path}").dispose()
    result = cli("bench", "import", "--rows", "50", "--repeat", "1", "--db", str(path))
    one_line_refusal(result, "already holds data")
    assert _count(f"sqlite:///{path}", "motion") == 0
    assert MARKER not in _tables(f"sqlite:///{path}")


def test_the_rule_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    from casetracker.cli.main import build_parser

    for bench in ("desk", "import", "report"):
        with pytest.raises(SystemExit):
            build_parser(["bench"]).parse_args(["bench", bench, "--help"])
        shown = " ".join(capsys.readouterr().out.split())
        assert "--postgres" in shown
        assert "refused and left untouched" in shown


def test_postgres_starts_a_throwaway_server_and_stops_it_afterwards() -> None:
    result = cli("bench", "report", "--motions", "20", "--repeat", "1", "--postgres")
    assert result.returncode in (0, 1), result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("bench report on PostgreSQL ") and "throwaway" in first, first
    port = int(first.split(" at 127.0.0.1:")[1].split(",")[0])
    with socket.socket() as probe, pytest.raises(OSError):
        probe.settimeout(2)
        probe.connect(("127.0.0.1", port))  # nobody listens there any more


def test_postgres_without_the_server_script_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from casetracker.cli.main import run

    monkeypatch.setattr(target, "SERVER_SCRIPT", tmp_path / "no-such-script.sh")
    assert run(["bench", "report", "--motions", "10", "--postgres"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--postgres needs scripts/pg_test_server.sh" in err


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_run_stops_its_throwaway_server(stop: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "bench", "report", "--postgres"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        # As from a terminal: pytest-xdist's workers ignore SIGINT, and a child would inherit
        # that (Python then installs no Ctrl+C handler at all).
        preexec_fn=_default_sigint,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # printed once the server is up; then the demo is built
    assert "throwaway" in first, first
    port = int(first.split(" at 127.0.0.1:")[1].split(",")[0])
    time.sleep(1)
    process.send_signal(stop)
    process.communicate(timeout=120)
    assert process.returncode != 0
    with socket.socket() as probe, pytest.raises(OSError):
        probe.settimeout(2)
        probe.connect(("127.0.0.1", port))
