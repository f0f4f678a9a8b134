"""Hostile and oversized files, each imported by the command as a user runs it, in a fresh
process: it ends within 30 s and 1 GB, with one line and exit 2 (or imports what is valid),
and a refused file leaves the database as it was."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from casetracker.devtools.fakelist import write_fake_list
from tests.importing.conftest import REPO_ROOT
from tests.importing.hostile import (
    bomb_xlsx,
    corner_cells_xlsx,
    far_cell_after_list_xlsx,
    long_text_xlsx,
    lying_directory_xlsx,
    many_cells_csv,
    ods_bomb,
    ods_corner_cells,
    ods_repeated_long_text,
    unreferenced_cells_xlsx,
    wide_csv,
    xls_with_numbers,
    xlsb_with_cells,
)

# Memory limits and peaks are measured with POSIX calls.
resource = pytest.importorskip("resource")

LIMIT_SECONDS = 30
LIMIT_BYTES = 2**30


def _limit_memory() -> None:
    # The whole process, reader included, must fit in 1 GB: past it an allocation fails.
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES + 512 * 2**20,) * 2)


def import_command(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "main.py"), "import", *args],
        capture_output=True,
        text=True,
        timeout=LIMIT_SECONDS + 30,
        env=env,
        cwd=REPO_ROOT,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert time.monotonic() - start < LIMIT_SECONDS
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert peak < LIMIT_BYTES
    return done


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, bytes]:
    """A database with a small import in it, and its bytes, to compare after a refusal."""
    db = tmp_path / "office.sqlite"
    small = tmp_path / "small.xlsx"
    write_fake_list(small, 30, seed=3)
    done = import_command(str(small), "--db", str(db), "--error-report", str(tmp_path / "r.xlsx"))
    assert done.returncode == 0, done.stderr
    return str(db), db.read_bytes()


def assert_refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", None, "A1"])
def test_cells_at_opposite_corners_are_refused(
    tmp_path: Path, database: tuple[str, bytes], dimension: str | None
) -> None:
    """Declared truly, not declared, or declared as one cell (a lie): all measured."""
    path = corner_cells_xlsx(tmp_path / "corner.xlsx", dimension)
    assert path.stat().st_size < 4096
    done = import_command(str(path), "--db", database[0])
    assert_refused(done, "1,048,576 rows by 16,384 columns", "not read")
    assert Path(database[0]).read_bytes() == database[1]


def test_one_cell_outside_a_long_lists_declared_range_is_refused(
    tmp_path: Path, database: tuple[str, bytes]
) -> None:
    """100,000 real-looking rows inside their declared range, then one cell at XFD1048576:
    the sheet is searched, not taken at its word."""
    path = far_cell_after_list_xlsx(tmp_path / "far.xlsx", rows=100_000)
    assert path.stat().st_size < 2 * 2**20
    done = import_command(str(path), "--db", database[0])
    assert_refused(done, "1,048,576 rows by 16,384 columns", "not read")
    assert Path(database[0]).read_bytes() == database[1]


def test_cells_without_references_are_placed_as_the_reader_places_them(
    tmp_path: Path, database: tuple[str, bytes]
) -> None:
    path = unreferenced_cells_xlsx(tmp_path / "unreferenced.xlsx")
    assert path.stat().st_size < 64 * 1024
    done = import_command(str(path), "--db", database[0])
    assert_refused(done, "1,048,576 rows by 16,384 columns", "not read")
    assert Path(database[0]).read_bytes() == database[1]


@pytest.mark.parametrize(
    ("name", "make", "part"),
    [
        ("sheet.xlsx", lambda p: bomb_xlsx(p, "sheet"), "xl/worksheets/sheet1.xml"),
        ("texts.xlsx", lambda p: bomb_xlsx(p, "shared"), "xl/sharedStrings.xml"),
        ("content.ods", ods_bomb, "content.xml"),
    ],
)
def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    tmp_path: Path, database: tuple[str, bytes], name: str, make: Any, part: str
) -> None:
    path = make(tmp_path / name)
    assert path.stat().st_size < 2 * 2**20
    start = time.monotonic()
    done = import_command(str(path), "--db", database[0])
    assert_refused(done, f"its part {part} unpacks to 320 MB", "not read")
    assert time.monotonic() - start < 10
    assert Path(database[0]).read_bytes() == database[1]


def test_a_directory_that_understates_a_part_is_damage(
    tmp_path: Path, database: tuple[str, bytes]
) -> None:
    path = lying_directory_xlsx(tmp_path / "lying.xlsx")
    done = import_command(str(path), "--db", database[0])
    assert_refused(done, "damaged")
    assert Path(database[0]).read_bytes() == database[1]


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("corner.ods", ods_corner_cells, ["corner.ods", "not read"]),
        ("repeated.ods", ods_repeated_long_text, ["repeated.ods", "nothing was read"]),
        (
            "corner.xlsb",
            lambda p: xlsb_with_cells(p, [(0, 0, "Docket"), (1_048_575, 16_383, "x")]),
            ["corner.xlsb", "nothing was read"],
        ),
        (
            "corner.xls",
            lambda p: xls_with_numbers(p, [(0, 0, 1.0), (65_535, 65_535, 2.0)]),
            ["corner.xls", "nothing was read"],
        ),
    ],
)
def test_hostile_shapes_in_other_formats_are_refused(
    tmp_path: Path, database: tuple[str, bytes], name: str, make: Any, words: list[str]
) -> None:
    """Cells at opposite corners, and 400,000 rows of 1 KB texts that a few bytes say repeat:
    formats the preflight cannot size are read in a child process that dies alone."""
    path = make(tmp_path / name)
    assert path.stat().st_size < 8192
    done = import_command(str(path), "--db", database[0])
    assert_refused(done, *words)
    assert Path(database[0]).read_bytes() == database[1]


def test_a_list_in_the_binary_format_is_read_through_the_child(tmp_path: Path) -> None:
    rows = [
        ["Docket", "Name", "Charge", "Date of birth"],
        ["2015KN000001", "DOE, JOHN", "PL 221.05", "1980-01-02"],
        ["2015KN000002", "ROE, ANA", "PL 221.10", "1981-03-04"],
    ]
    cells = [(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    path = xlsb_with_cells(tmp_path / "list.xlsb", cells)
    done = import_command(str(path), "--db", str(tmp_path / "b.sqlite"), "--json")
    assert done.returncode == 0, done.stderr
    assert '"imported": 2' in done.stdout


def test_long_repeated_texts_are_refused_quickly(
    tmp_path: Path, database: tuple[str, bytes]
) -> None:
    path = long_text_xlsx(tmp_path / "long.xlsx", rows=400_000, text_bytes=1024)
    assert path.stat().st_size < 8 * 2**20
    done = import_command(str(path), "--db", database[0], "--dry-run")
    assert_refused(done, "MB of text", "not read")
    assert Path(database[0]).read_bytes() == database[1]


def test_more_columns_than_a_sheet_holds_imports_and_reports_its_batch(
    tmp_path: Path,
) -> None:
    path = wide_csv(tmp_path / "wide.csv", columns=17_000)
    db = tmp_path / "wide.sqlite"
    report = tmp_path / "wide-problems.xlsx"
    done = import_command(str(path), "--db", str(db), "--error-report", str(report))
    assert done.returncode == 0, done.stderr
    assert "imported 2" in done.stdout and "import batch 1" in done.stdout
    assert report.exists() and "warning" not in done.stderr


def test_a_text_file_of_millions_of_cells_is_refused_before_it_is_parsed(
    tmp_path: Path, database: tuple[str, bytes]
) -> None:
    path = many_cells_csv(tmp_path / "cells.csv")
    done = import_command(str(path), "--db", database[0])
    assert_refused(done, "cells.csv", "9,000,004 cells", "Split it")
    assert Path(database[0]).read_bytes() == database[1]


def test_a_report_that_cannot_be_written_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    path = wide_csv(tmp_path / "wide.csv", columns=20)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the report's folder would be", encoding="utf-8")
    done = import_command(
        str(path), "--db", str(tmp_path / "w.sqlite"), "--error-report", str(blocker / "r.xlsx")
    )
    assert done.returncode == 0, done.stderr
    assert "import batch 1" in done.stdout
    assert "warning: the error report could not be written" in done.stderr
    assert "unexpected error" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "list.csv"
    os.mkfifo(fifo)
    db = tmp_path / "x.sqlite"
    assert_refused(import_command(str(fifo), "--db", str(db)), "not a regular file")
    assert not db.exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_not_a_regular_file(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    assert_refused(import_command("/dev/zero", "--db", str(db)), "not a regular file")
    assert not db.exists()
