"""Every real-world spreadsheet (hostile ones included) is read or refused with one line,
quickly, within bounded memory, and without touching the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from casetracker.cli.main import run
from casetracker.storage.db import open_database
from tests.importing.conftest import REPO_ROOT, samples_dir, table_counts

# Files built to make readers allocate or loop without end: run in a child with a hard cap.
HOSTILE = {"OOM_alloc.xls", "OOM_alloc2.xls", "OOM_alloc3.xls", "issue_594_dos.ods"}
SECONDS = 10
MEMORY = 1 << 30


def _files() -> list[str]:
    folder = samples_dir() / "real-world-files"
    return sorted(p.name for p in folder.iterdir() if p.suffix.lower() != ".md")


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('realworld') / 'db.sqlite'}"
    open_database(url).dispose()
    return url


def test_the_sample_folder_is_complete() -> None:
    assert len(_files()) == 132


def _check_outcome(code: int, err: str) -> None:
    assert code in (0, 2), err
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("casetracker: error: ")
        assert "Traceback" not in err


@pytest.mark.timeout(SECONDS)
@pytest.mark.parametrize("name", sorted(set(_files()) - HOSTILE))
def test_read_or_refused(name: str, shared_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(shared_db)
    before = table_counts(db)
    path = samples_dir() / "real-world-files" / name
    code = run(["import", str(path), "--db", shared_db, "--dry-run", "--json"])
    _check_outcome(code, capsys.readouterr().err)
    assert table_counts(db) == before
    db.dispose()


_CHILD = (
    "import resource, sys\n"
    f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY}, {MEMORY}))\n"
    "from casetracker.cli.main import run\n"
    "sys.exit(run(['import', sys.argv[1], '--db', sys.argv[2], '--json']))\n"
)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_in_a_capped_process(name: str, shared_db: str) -> None:
    db = open_database(shared_db)
    before = table_counts(db)
    path = samples_dir() / "real-world-files" / name
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), shared_db],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=SECONDS * 3,
        check=False,
    )
    assert time.monotonic() - start < SECONDS
    _check_outcome(done.returncode, done.stderr)
    assert table_counts(db) == before
    db.dispose()
