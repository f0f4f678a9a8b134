"""`casetracker import` as a user runs it: JSON counts, clear refusals, re-import, undo."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from casetracker.cli.main import run
from casetracker.devtools.fakelist import write_fake_list
from casetracker.storage.db import open_database
from tests.importing.conftest import REPO_ROOT, samples_dir, table_counts

KEYS = {
    "rows_read",
    "imported",
    "duplicates",
    "already_present",
    "errors",
    "warnings",
    "skipped",
    "people_created",
    "batch_id",
    "error_report",
}


def import_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert run(["import", *args, "--json"]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    assert set(result) >= KEYS
    return result


def test_sample_lists_import_and_reimport_adds_nothing(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lists = samples_dir() / "warrant-lists"
    big = import_json(capsys, str(lists / "open_warrants_3438.xlsx"), "--db", sqlite_url)
    # The title says 3,438 cases; the rest of the rows are repeats.
    assert big["imported"] + big["duplicates"] == 3438  # type: ignore[operator]
    assert big["errors"] == 0 and big["skipped"] == 18
    small = import_json(capsys, str(lists / "open_warrants_500.csv"), "--db", sqlite_url)
    assert small["imported"] + small["duplicates"] + small["already_present"] == 500  # type: ignore[operator]
    again = import_json(capsys, str(lists / "open_warrants_3438.xlsx"), "--db", sqlite_url)
    assert again["imported"] == 0 and again["already_present"] == big["imported"]
    assert again["batch_id"] is None


def test_refusals_are_one_line_and_leave_the_database_alone(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db_file = Path(sqlite_url.removeprefix("sqlite:///"))
    not_a_list = tmp_path / "budget.csv"
    not_a_list.write_text("Item,Amount\nPaper,12\n", encoding="utf-8")
    for path in (tmp_path / "missing.xlsx", not_a_list):
        assert run(["import", str(path), "--db", sqlite_url]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert "no warrant-list columns" in err and "'Item', 'Amount'" in err
    assert not db_file.exists()  # not even created


def test_dry_run_and_undo(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.xlsx"
    stats = write_fake_list(path, 150, seed=3)
    dry = import_json(capsys, str(path), "--db", sqlite_url, "--dry-run")
    assert dry["imported"] == 0 and dry["valid"] == stats.unique_cases
    done = import_json(capsys, str(path), "--db", sqlite_url, "--save-mapping", "records unit")
    assert done["imported"] == stats.unique_cases
    assert run(["import-undo", str(done["batch_id"]), "--db", sqlite_url]) == 0
    assert "motions withdrawn" in capsys.readouterr().out
    again = import_json(capsys, str(path), "--db", sqlite_url, "--mapping", "records unit")
    assert again["imported"] == stats.unique_cases


@pytest.mark.parametrize(
    ("bulk", "killed_at"),
    [
        (False, "Saving motions"),
        # As the command line imports: a part's cases, motions and history are stored, and
        # the search index's triggers set aside, when the kill comes.
        (True, "Saving people"),
    ],
    ids=["ordered", "part-by-part"],
)
def test_kill_during_the_write_leaves_no_part_of_the_batch(
    tmp_path: Path, bulk: bool, killed_at: str
) -> None:
    path = tmp_path / "list.xlsx"
    write_fake_list(path, 3000, seed=5)
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    db = open_database(url)
    with db.reading() as session:
        triggers = session.execute(_TRIGGERS).all()
    db.dispose()
    child = (
        "import os, signal, sys\n"
        "from casetracker.importing.plan import ImportOptions\n"
        "from casetracker.importing.reader import open_source\n"
        "from casetracker.importing.service import run_import\n"
        "from casetracker.storage.db import open_database\n"
        "def progress(done, total, text):\n"
        "    if text == sys.argv[3]:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "db = open_database(sys.argv[2])\n"
        "with db.unit_of_work(bulk_load=sys.argv[4] == 'bulk') as session:\n"
        "    run_import(session, open_source(sys.argv[1]), ImportOptions(), 't', "
        "progress=progress)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", child, str(path), url, killed_at, "bulk" if bulk else "ordered"],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL
    db = open_database(url)
    try:
        counts = table_counts(db)
        with db.reading() as session:
            assert session.execute(_TRIGGERS).all() == triggers
    finally:
        db.dispose()
    assert {name: n for name, n in counts.items() if n and name != "alembic_version"} == {}


_TRIGGERS = text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")


def test_import_batches_lists_each_import_and_its_undo(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["import-batches", "--db", sqlite_url]) == 0
    assert capsys.readouterr().out == "No imports yet.\n"
    warrants = tmp_path / "warrants.xlsx"
    more = tmp_path / "more.xlsx"
    stats = write_fake_list(warrants, 60, seed=4)
    write_fake_list(more, 30, seed=9)
    first = import_json(capsys, str(warrants), "--db", sqlite_url)
    second = import_json(capsys, str(more), "--db", sqlite_url)
    assert run(["import-undo", str(first["batch_id"]), "--db", sqlite_url, "--user", "boss"]) == 0
    capsys.readouterr()

    assert run(["import-batches", "--json", "--db", sqlite_url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["id"] for b in listed] == [second["batch_id"], first["batch_id"]]
    newest, undone = listed
    assert newest["can_undo"] and newest["worked_on"] == 0 and newest["undone_by"] is None
    assert undone["file_name"] == "warrants.xlsx" and undone["kind"] == "warrant_dismissal"
    assert undone["motions"] == stats.unique_cases == undone["counts"]["imported"]
    assert undone["undone_by"] == "boss" and not undone["can_undo"]
    assert undone["why_not"].startswith("already undone by boss on ")

    assert run(["import-batches", "--db", sqlite_url]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split()[:3] == ["Batch", "Imported", "By"]
    assert len(rows) == 2
    assert "Active" in rows[0] and "more.xlsx" in rows[0]
    assert "Undone by boss on " in rows[1] and "warrants.xlsx" in rows[1]


def test_the_days_backup_holds_the_database_as_it_was_before_the_import(
    tmp_path: Path,
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The import does not wait for the day's backup to be made first, but the backup still
    shows the database before the import changed it."""
    import sqlite3

    from casetracker.storage import backup as backup_module
    from casetracker.storage.backup import DAILY, list_backups

    def made_first(*args: object, **kwargs: object) -> None:
        raise AssertionError("the day's backup was made before the import, which waited")

    db_file = Path(sqlite_url.removeprefix("sqlite:///"))
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    write_fake_list(first, 300, seed=31)
    write_fake_list(second, 400, seed=32)
    import_json(capsys, str(first), "--db", sqlite_url)  # a new database: nothing to back up
    assert list_backups(db_file) == []
    before = _counts(sqlite_url)
    monkeypatch.setattr(backup_module, "copy_database", made_first)
    import_json(capsys, str(second), "--db", sqlite_url)
    [backup] = list_backups(db_file)
    assert backup.kind == DAILY
    with sqlite3.connect(backup.path) as copy:
        motions = copy.execute("SELECT count(*) FROM motion").fetchone()[0]
    assert motions == before["motion"]
    assert _counts(sqlite_url)["motion"] > motions


def _counts(url: str) -> dict[str, int]:
    db = open_database(url, daily_backup=False)
    try:
        return table_counts(db)
    finally:
        db.dispose()
