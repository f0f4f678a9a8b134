"""Backups and restore (issue 13, item 2): made with SQLite's backup API, checked, renamed
into place owner-only; once a day on first open, kept as Office settings say; a restore
makes the data exactly the backup's, keeps the current data first, and is refused while
another process has the database open; a backup killed half-way leaves no file under a
backup's name."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from casetracker.services.office_settings import set_retention_days
from casetracker.storage.backup import DAILY, backup_name, list_backups
from casetracker.storage.db import Database, open_database
from casetracker.storage.settings import BACKUP_RETENTION_DAYS
from tests.core.helpers import make_motion
from tests.storage.cli_runner import ROOT, cli, one_line_refusal


def _dump(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A database with three motions, closed."""
    path = tmp_path / "office" / "casetracker.sqlite"
    path.parent.mkdir()
    db = open_database(str(path))
    for n in range(3):
        make_motion(db, docket=f"2016SN00000{n}")
    db.dispose()
    return path


def test_backup_then_restore_round_trips_exactly(office: Path, tmp_path: Path) -> None:
    out = tmp_path / "kept.sqlite"
    made = cli("backup", "--out", str(out), "--db", str(office))
    assert made.returncode == 0, made.stderr
    assert out.is_file()
    if os.name == "posix":
        assert _mode(out) == 0o600
    saved = _dump(out)

    db = open_database(str(office))
    make_motion(db, docket="2017SN000009")
    db.dispose()
    assert _dump(office) != saved

    restored = cli("restore", str(out), "--yes", "--db", str(office))
    assert restored.returncode == 0, restored.stderr
    assert _dump(office) == saved
    # What was there before is kept, as a backup of its own.
    kept = [b for b in list_backups(office) if b.kind == "before-restore"]
    assert len(kept) == 1
    assert any("2017SN000009" in line for line in _dump(kept[0].path))
    # The database goes on working as before.
    listed = cli("motions", "--db", str(office), "--json")
    assert listed.returncode == 0 and listed.stdout.count('"id"') == 3


def test_restore_asks_for_yes_when_not_at_a_terminal(office: Path, tmp_path: Path) -> None:
    out = tmp_path / "kept.sqlite"
    assert cli("backup", "--out", str(out), "--db", str(office)).returncode == 0
    before = _dump(office)
    one_line_refusal(cli("restore", str(out), "--db", str(office)), "--yes")
    assert _dump(office) == before


def test_restore_is_refused_while_another_process_has_the_database_open(
    office: Path, tmp_path: Path
) -> None:
    out = tmp_path / "kept.sqlite"
    assert cli("backup", "--out", str(out), "--db", str(office)).returncode == 0
    db = open_database(str(office))
    make_motion(db, docket="2017SN000009")
    db.dispose()
    before = _dump(office)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from sqlalchemy import text\n"
            "from casetracker.storage.db import open_database\n"
            "db = open_database(sys.argv[1])\n"
            "with db.reading() as s: s.execute(text('select count(*) from motion')).scalar()\n"
            "print('open', flush=True)\n"
            "time.sleep(120)\n",
            str(office),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        refused = cli("restore", str(out), "--yes", "--db", str(office))
        one_line_refusal(refused, "open", "Nothing was changed")
    finally:
        holder.kill()
        holder.wait()
    assert _dump(office) == before


def test_a_damaged_or_foreign_file_is_not_restored(office: Path, tmp_path: Path) -> None:
    before = _dump(office)
    notes = tmp_path / "notes.sqlite"
    notes.write_bytes(b"not a database at all" * 200)
    one_line_refusal(cli("restore", str(notes), "--yes", "--db", str(office)), "notes.sqlite")
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("create table invoices (id integer)")
    one_line_refusal(cli("restore", str(other), "--yes", "--db", str(office)), "not a casetracker")
    assert _dump(office) == before


def test_a_backup_is_as_private_as_the_database(office: Path) -> None:
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    office.chmod(0o600)
    made = cli("backup", "--db", str(office))
    assert made.returncode == 0, made.stderr
    path = Path(made.stdout.strip().removeprefix("Backed up to "))
    assert path.parent == office.parent / "backups"
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_a_backups_path_that_is_a_file_is_one_line(office: Path) -> None:
    (office.parent / "backups").write_text("not a folder")
    one_line_refusal(cli("backup", "--db", str(office)), "backups", "is a file")
    # The database still opens and works (the daily backup is skipped, and logged).
    listed = cli("motions", "--db", str(office))
    assert listed.returncode == 0, listed.stderr


def test_one_daily_backup_on_first_open_kept_as_long_as_office_settings_say(
    office: Path,
) -> None:
    folder = office.parent / "backups"
    old = datetime.now() - timedelta(days=20)
    folder.mkdir(exist_ok=True)
    stale = folder / backup_name(office, DAILY, old)
    recent = folder / backup_name(office, DAILY, datetime.now() - timedelta(days=3))
    by_hand = folder / backup_name(office, "backup", old)
    for path in (stale, recent, by_hand):
        path.write_bytes(b"")
    db = open_database(str(office))
    db.dispose()
    daily = [b for b in list_backups(office) if b.kind == DAILY]
    assert [b.path for b in daily][1:] == [recent]  # today's, then the 3-day-old one
    assert daily[0].made.date() == datetime.now().date()
    assert not stale.exists()  # past the default 14 days
    assert by_hand.exists()  # a backup made by hand is the user's to remove
    # Opened again the same day: no second daily backup.
    open_database(str(office)).dispose()
    assert len([b for b in list_backups(office) if b.kind == DAILY]) == 2
    # Office settings keep them 2 days: the 3-day-old one goes at the next day's backup.
    db = open_database(str(office))
    with db.unit_of_work() as session:
        set_retention_days(session, BACKUP_RETENTION_DAYS, 2, "tester")
    db.dispose()
    daily[0].path.unlink()  # as if today's had not been made yet
    open_database(str(office)).dispose()
    assert not recent.exists()


def test_a_backup_killed_half_way_leaves_no_file_under_its_name(
    office: Path, tmp_path: Path
) -> None:
    # Big enough that the copy and its check take a while.
    with sqlite3.connect(office) as connection:
        connection.execute("create table ballast (b blob)")
        connection.executemany("insert into ballast values (randomblob(100000))", [()] * 1500)
    out = tmp_path / "out" / "big.sqlite"
    out.parent.mkdir()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "backup", "--out", str(out), "--db", str(office)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    partial: list[Path] = []
    while time.monotonic() < deadline and not partial:
        partial = [p for p in out.parent.iterdir() if p.name.endswith(".partial")]
        time.sleep(0.005)
    assert partial, "the backup never started"
    time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert not out.exists()
    # The next backup into that folder removes what the killed one left.
    again = cli("backup", "--out", str(out), "--db", str(office))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["big.sqlite"]
    with sqlite3.connect(out) as connection:
        assert connection.execute("pragma integrity_check").fetchone() == ("ok",)


def test_backup_refuses_to_write_over_the_database(office: Path) -> None:
    before = _dump(office)
    link = office.with_name("copy.sqlite")
    os.link(office, link)
    one_line_refusal(cli("backup", "--out", str(link), "--db", str(office)), "database itself")
    assert _dump(office) == before


@pytest.mark.postgres
def test_postgresql_backup_with_pg_dump(pg_db: Database, pg_url: str, tmp_path: Path) -> None:
    make_motion(pg_db)
    out = tmp_path / "office.dump"
    made = cli("backup", "--out", str(out), "--db", pg_url)
    if made.returncode == 2 and "pg_dump is not installed" in made.stderr:
        pytest.skip("pg_dump is not installed")
    assert made.returncode == 0, made.stderr
    assert out.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    if os.name == "posix":
        assert _mode(out) == 0o600


@pytest.mark.postgres
def test_postgresql_backup_without_pg_dump_says_what_to_run(pg_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    result = cli("backup", "--db", pg_url, env={"PATH": str(empty)})
    one_line_refusal(result, "pg_dump -Fc")
    assert "@" in result.stderr and ":" not in result.stderr.split("@")[0].split("//")[-1]
