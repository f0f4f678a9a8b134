"""bench import: the whole command against the bare parse, both in fresh processes."""

from __future__ import annotations

import argparse

import pytest

from casetracker.devtools.bench.import_bench import run


def test_the_benchmark_times_the_whole_command_on_a_small_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(argparse.Namespace(rows=300, repeat=1, db=None)) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.split()[:1] == ["300"])
    _rows, parse, first, ratio, _again, reratio, rss, imported = row.split()[:8]
    assert float(parse) > 0 and float(first) > 0 and int(rss) > 0
    assert ratio.endswith("x") and float(ratio[:-1]) > 1  # an import does more than parse
    assert reratio.endswith("x")
    assert int(imported.replace(",", "")) > 250
    assert "targets at 300 rows: import <= 3x parse" in out
    assert "re-import added" not in out
