"""bench import's breakdown of one import: read from the progress the import reports, and
adding up to the whole time."""

from __future__ import annotations

import argparse

import pytest

from casetracker.cli.bench_import import _phases, run


def test_the_phases_add_up_to_the_import_time() -> None:
    marks = {
        "Reading rows": 1.1,
        "last Reading rows": 1.3,
        "Checking rows": 1.4,
        "last Checking rows": 2.4,
        "Saving charges": 3.0,
        "last Saving charges": 3.2,
        "Saving people": 3.3,
        "written": 5.1,
    }
    phases = _phases(marks, 5.5)
    assert phases == pytest.approx(
        {
            "read the file, find the rows": 1.4,
            "check rows": 1.0,
            "start writing": 0.6,
            "write (link people, possible matches meanwhile)": 2.1,
            "commit": 0.4,
        }
    )
    assert sum(phases.values()) == pytest.approx(5.5)


def test_a_list_too_short_to_report_progress_has_no_breakdown() -> None:
    assert _phases({"written": 0.2}, 0.25) == {}


def test_the_benchmark_runs_end_to_end_on_a_small_list(capsys: pytest.CaptureFixture[str]) -> None:
    # Each parse and each import in a fresh process, as the real run does.
    assert run(argparse.Namespace(rows=300, repeat=1, db=None)) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.split()[:1] == ["300"])
    _rows, _parse, first, ratio, _again, reratio, rss = row.split()[:7]
    assert float(first) > 0 and int(rss) > 0
    assert ratio.endswith("x") and float(ratio[:-1]) > 1  # an import does more than parse
    assert reratio.endswith("x")
    assert "targets at 300 rows" in out
