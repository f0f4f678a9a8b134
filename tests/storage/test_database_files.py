"""Where the database lives, and files that are the database are never imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from casetracker.domain.errors import StorageError
from casetracker.importing.reader import open_source
from casetracker.paths import data_dir, default_database_path
from casetracker.storage.database_files import refuse_database_file
from casetracker.storage.db import open_database, resolve_url
from tests.core.helpers import make_motion

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def test_a_new_database_goes_in_a_folder_of_its_own() -> None:
    path = default_database_path()
    assert path == data_dir() / "database" / "casetracker.sqlite"
    db = open_database(None)
    db.dispose()
    assert path.is_file()
    assert sorted(p.name for p in data_dir().iterdir()) == ["database"]
    if os.name == "posix":
        assert data_dir().stat().st_mode & 0o777 == 0o700
        assert path.parent.stat().st_mode & 0o777 == 0o700
        assert path.stat().st_mode & 0o777 == 0o600


def test_a_database_in_the_old_place_is_still_the_one_opened() -> None:
    old = data_dir() / "casetracker.sqlite"
    db = open_database(str(old))
    make_motion(db)
    db.dispose()
    assert resolve_url(None).database == str(old)
    again = open_database(None)
    try:
        with again.reading() as session:
            assert session.execute(text("select count(*) from motion")).scalar() == 1
    finally:
        again.dispose()
    assert not (data_dir() / "database" / "casetracker.sqlite").exists()


def test_a_db_path_in_a_missing_folder_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "office.sqlite"
    result = _cli("motions", "--db", str(missing))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "does not exist" in result.stderr
    assert not missing.parent.exists()


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_the_open_database_and_its_companions_are_not_imported(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / "casetracker.sqlite"
    db = open_database(str(path))
    try:
        make_motion(db)
        target = path.with_name(path.name + suffix)
        assert target.exists()
        # Under another name (a hard link, a symbolic link) it is still the same file.
        linked = tmp_path / "renamed.csv"
        os.link(target, linked)
        symlinked = tmp_path / "list.xlsx"
        symlinked.symlink_to(target)
        for candidate in (target, linked, symlinked):
            with pytest.raises(StorageError, match="is the case tracker database itself"):
                open_source(candidate)
    finally:
        db.dispose()


def test_another_file_is_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "casetracker.sqlite"
    db = open_database(str(path))
    try:
        other = tmp_path / "list.csv"
        other.write_text("a,b\n")
        refuse_database_file(other)
        refuse_database_file(tmp_path / "missing.csv")
    finally:
        db.dispose()


def test_the_import_command_refuses_the_database_it_would_open(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    db = open_database(str(path))
    db.dispose()
    link = tmp_path / "office.csv"
    os.link(path, link)
    result = _cli("import", str(link), "--db", str(path))
    assert result.returncode == 2, result.stderr
    assert "is the case tracker database itself" in result.stderr
