"""The shipped templates are exactly what scripts/make_paper_templates.py makes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_templates_are_the_script_s_output_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_paper_templates.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shipped = sorted((ROOT / "resources" / "templates").glob("*.docx"))
    assert [p.name for p in shipped] == sorted(p.name for p in tmp_path.glob("*.docx"))
    for path in shipped:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
