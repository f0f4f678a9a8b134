"""The window reads a file in a child process: a file that makes the reader crash or run
away ends the child with one line, never the window's process."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from casetracker.devtools.fakelist import write_fake_list
from casetracker.importing.isolated import read_isolated
from casetracker.importing.reader import ImportFileError, open_source
from tests.importing.hostile import (
    corner_cells_xlsx,
    far_cell_after_list_xlsx,
    ods_repeated_long_text,
    xls_with_numbers,
    xlsb_with_cells,
)


def test_a_list_read_in_a_child_is_the_list_read_here(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    write_fake_list(path, 300, seed=5)
    here = open_source(path, isolate=False)
    there = open_source(path, isolate=True)
    assert there.sha256 == here.sha256
    assert there.sheet_names == here.sheet_names
    for name in here.sheet_names:
        assert there.sheet(name).rows == here.sheet(name).rows
        assert there.sheet(name).first_column == here.sheet(name).first_column


@pytest.mark.parametrize(
    ("name", "make"),
    [
        # Both make the reader itself fail (an allocation of 512 GB, then over 1 GB): in
        # this process either would end pytest with exit 134.
        ("corner.xlsb", lambda p: xlsb_with_cells(p, [(0, 0, "x"), (1_048_575, 16_383, "y")])),
        ("corner.xls", lambda p: xls_with_numbers(p, [(0, 0, 1.0), (65_535, 65_535, 2.0)])),
        pytest.param(
            "repeated.ods",
            ods_repeated_long_text,
            marks=pytest.mark.skipif(
                sys.platform == "win32", reason="Windows: no memory cap, only the time limit"
            ),
        ),
    ],
)
def test_a_file_that_kills_the_reader_kills_only_the_child(
    tmp_path: Path, name: str, make: object
) -> None:
    path = make(tmp_path / name)  # type: ignore[operator]
    with pytest.raises(ImportFileError) as refused:
        open_source(path, isolate=True)
    message = str(refused.value)
    assert message.startswith(name) and "\n" not in message
    assert "nothing was read" in message


def test_a_workbook_the_preflight_refuses_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = far_cell_after_list_xlsx(tmp_path / "far.xlsx", rows=2_000)
    with pytest.raises(ImportFileError, match="1,048,576 rows by 16,384 columns"):
        open_source(path, isolate=True)


def test_a_read_that_runs_past_its_time_is_stopped(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    write_fake_list(path, 2_000, seed=6)
    with pytest.raises(ImportFileError, match="took more than"):
        read_isolated(path, time_limit=0.0)


def test_cancelling_stops_the_child(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    write_fake_list(path, 2_000, seed=7)
    with pytest.raises(ImportFileError, match="cancelled"):
        open_source(path, isolate=True, cancelled=lambda: True)


def test_files_that_are_no_spreadsheet_are_refused_before_a_child_starts(
    tmp_path: Path,
) -> None:
    (tmp_path / "notes.docx").write_bytes(b"x")
    with pytest.raises(ImportFileError, match="not a spreadsheet this app reads"):
        open_source(tmp_path / "notes.docx", isolate=True)
    with pytest.raises(ImportFileError, match="no such file"):
        open_source(tmp_path / "missing.xlsx", isolate=True)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_or_a_device_is_refused_before_a_child_starts(tmp_path: Path) -> None:
    fifo = tmp_path / "list.csv"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(ImportFileError, match="not a regular file"):
            open_source(path, isolate=True)


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", None, "A1:B2"])
def test_cells_at_opposite_corners_are_refused_in_the_window_too(
    tmp_path: Path, dimension: str | None
) -> None:
    path = corner_cells_xlsx(tmp_path / "corner.xlsx", dimension)
    with pytest.raises(ImportFileError, match="1,048,576 rows by 16,384 columns"):
        open_source(path, isolate=True)
