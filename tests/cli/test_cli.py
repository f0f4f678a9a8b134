"""The command line as a script or a person uses it: exit codes, one-line errors, JSON."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    result = cli("demo", "--people", "120", "--db", url)
    assert result.returncode == 0, result.stderr
    assert "120 people" in result.stdout
    return url


def test_version() -> None:
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("casetracker ")


def test_motions_json_lists_every_stage_with_required_keys(demo_db: str) -> None:
    result = cli("motions", "--json", "--db", demo_db)
    assert result.returncode == 0, result.stderr
    motions = json.loads(result.stdout)
    assert len(motions) >= 120
    required = {
        "id",
        "kind",
        "stage",
        "person_name",
        "docket",
        "charge",
        "county",
        "stage_entered_at",
    }
    assert all(required <= set(m) for m in motions)
    assert len({m["stage"] for m in motions}) >= 12


def test_filter_by_stage(demo_db: str) -> None:
    result = cli("motions", "--json", "--stage", "calendared", "--db", demo_db)
    stages = {m["stage"] for m in json.loads(result.stdout)}
    assert stages == {"calendared"}


def test_advance_moves_and_refuses_with_reasons(demo_db: str) -> None:
    motions = json.loads(cli("motions", "--json", "--stage", "filed", "--db", demo_db).stdout)
    motion_id = str(motions[0]["id"])

    missing = one_line_error(
        cli("advance", motion_id, "calendared", "--reason", "set", "--db", demo_db)
    )
    assert "needs court date and part" in missing

    no_reason = one_line_error(
        cli(
            "advance",
            motion_id,
            "calendared",
            "--court-date",
            "2027-01-14",
            "--part",
            "AP1",
            "--db",
            demo_db,
        )
    )
    assert "needs a reason" in no_reason

    not_allowed = one_line_error(
        cli("advance", motion_id, "sealed", "--reason", "x", "--db", demo_db)
    )
    assert "not an allowed step" in not_allowed

    ok = cli(
        "advance",
        motion_id,
        "calendared",
        "--court-date",
        "2027-01-14",
        "--part",
        "AP1",
        "--reason",
        "on the list",
        "--user",
        "clerk.one",
        "--db",
        demo_db,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Filed -> Calendared" in ok.stdout and "clerk.one" in ok.stdout
    after = json.loads(cli("motions", "--json", "--stage", "calendared", "--db", demo_db).stdout)
    moved = next(m for m in after if str(m["id"]) == motion_id)
    assert moved["court_date"] == "2027-01-14"


def test_unknown_stage(demo_db: str) -> None:
    line = one_line_error(cli("advance", "1", "vacated-ish", "--reason", "x", "--db", demo_db))
    assert "'vacated-ish' is not a Stage" in line and "calendared" in line


def test_unknown_motion(demo_db: str) -> None:
    assert "no motion 999999" in one_line_error(
        cli("advance", "999999", "verified", "--reason", "x", "--db", demo_db)
    )


def test_bad_url_and_unreadable_database(tmp_path: Path) -> None:
    assert "not a database URL" in one_line_error(cli("motions", "--db", "nonsense://::"))
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database at all" * 50)
    assert "not a casetracker database" in one_line_error(cli("motions", "--db", str(junk)))
    unreachable = one_line_error(
        cli("motions", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    )
    assert "Cannot open" in unreachable


def test_usage_errors_are_one_line() -> None:
    assert "invalid int value" in one_line_error(cli("advance", "first", "verified"))
    assert "invalid choice" in one_line_error(cli("frobnicate"))


def test_environment_variable_chooses_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert cli("demo", "--people", "5", env={"CASETRACKER_DB": url}).returncode == 0
    assert (tmp_path / "env.sqlite").exists()
    skipped = cli("demo", "--people", "5", "--if-empty", env={"CASETRACKER_DB": url})
    assert "already has motions" in skipped.stdout


def test_db_may_come_before_the_command(tmp_path: Path) -> None:
    before = tmp_path / "before.sqlite"
    result = cli("--db", f"sqlite:///{before}", "demo", "--people", "3")
    assert result.returncode == 0, result.stderr
    assert str(before) in result.stdout and before.exists()
    # Given on both sides, the one after the command wins, as for any other option.
    after = tmp_path / "after.sqlite"
    both = cli("--db", f"sqlite:///{before}", "motions", "--json", "--db", f"sqlite:///{after}")
    assert both.returncode == 0, both.stderr
    assert json.loads(both.stdout) == [] and after.exists()


def test_unexpected_errors_go_to_the_log_not_the_screen(tmp_path: Path) -> None:
    """A crash in a command shows one line pointing at the log; the log has the traceback."""
    data = tmp_path / "userdata"
    script = (
        "import sys, casetracker.cli.motions_cmd as m\n"
        "def boom(args):\n    raise RuntimeError('internal detail')\n"
        "m.run = boom\n"
        "from casetracker.cli.main import run\n"
        "sys.exit(run(['motions']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "CASETRACKER_DATA_DIR": str(data)},
        timeout=60,
    )
    assert result.returncode == 1
    assert "internal detail" not in result.stderr and "Traceback" not in result.stderr
    assert "unexpected error" in result.stderr
    log_text = (data / "logs" / "casetracker.log").read_text()
    assert "Traceback" in log_text and "internal detail" in log_text


def test_a_reader_that_stops_early_is_not_an_error(demo_db: str) -> None:
    # `motions --json | head`: the rest of the output has nowhere to go, and that is fine.
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "motions", "--json", "--db", demo_db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10).startswith("[")
    process.stdout.close()
    errors = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert "error" not in errors.lower()


def test_each_command_word_loads_the_module_that_registers_it() -> None:
    """A command loads only its own module; the table saying which must match the modules."""
    import argparse

    from casetracker.cli import main as cli_main

    registered: dict[str, str] = {}
    for name in cli_main.COMMANDS:
        module = importlib.import_module(f"casetracker.cli.{name}")
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers()
        module.register(subparsers, argparse.ArgumentParser(add_help=False))
        for word in subparsers.choices:
            registered[word] = name
    assert registered == cli_main.COMMAND_MODULES


def test_the_import_command_does_not_load_report_libraries() -> None:
    code = (
        "import sys; from casetracker.cli.main import build_parser; "
        "build_parser(['import', 'x.xlsx']); "
        "print(sorted(m for m in ('matplotlib', 'fpdf', 'docxtpl', 'openpyxl', 'PySide6') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_version_loads_no_database_library() -> None:
    code = (
        "import sys, contextlib, io; from casetracker.cli.main import run\n"
        "out = io.StringIO()\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(out):\n"
        "    run(['--version'])\n"
        "print(out.getvalue().strip(), 'sqlalchemy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split()[-1] == "False", done.stdout
    assert done.stdout.startswith("casetracker ")
