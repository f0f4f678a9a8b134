"""The papers as PDF through LibreOffice, read back with pdftotext: every template converts, and
names with accents, apostrophes and hyphens print as typed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from casetracker.documents.pdf import find_soffice
from casetracker.documents.service import Request, generate
from casetracker.storage.db import Database
from tests.documents.papers_data import make_consented, make_list

pytestmark = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext is not installed",
)


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[-1]
    )


def test_motion_and_list_papers_convert_to_pdf_with_every_fact_readable(
    sqlite_db: Database, tmp_path: Path
) -> None:
    made = make_consented(sqlite_db)
    list_id = make_list(sqlite_db, [m.motion_id for m in made], part="AP1")
    for motion in made[:2]:
        out = tmp_path / f"motion-{motion.motion_id}.pdf"
        generate(sqlite_db, Request(motion_id=motion.motion_id), out, "clerk")
        assert out.read_bytes()[:5] == b"%PDF-"
        text = pdf_text(out)
        flat = " ".join(text.split())  # a caption's title may wrap
        for title in ("NOTICE OF MOTION", "AFFIRMATION IN SUPPORT", "[PROPOSED] ORDER"):
            assert title in flat
        assert motion.name in flat
        assert motion.name.upper() in text
        assert motion.reference in text
        assert "CRIMINAL COURT OF THE CITY OF NEW YORK" in text and "PART AP1" in text
        assert "CPL 160.50" in text and "CPL 170.40" in text
        assert pages(out) >= 3  # each paper starts on a page of its own
    out = tmp_path / "list.pdf"
    generate(sqlite_db, Request(list_id=list_id), out, "clerk")
    text = pdf_text(out)
    # A narrow table column wraps a long name (at its hyphen): compare without the spaces.
    squeezed = "".join(text.split())
    for motion in made:
        assert "".join(motion.listed_name.split()) in squeezed, motion.listed_name
        assert motion.reference in text
    assert "EXHIBIT A" in text and "PART AP1" in text and "CPL 440.10" in text
    assert "Smith & Jones" not in text  # the defense is not on the omnibus papers
    # Nothing of LibreOffice's work is left beside the output.
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".part", ".docx")) == [
        "list.pdf",
        f"motion-{made[0].motion_id}.pdf",
        f"motion-{made[1].motion_id}.pdf",
    ]


def test_a_stopped_conversion_writes_nothing(sqlite_db: Database, tmp_path: Path) -> None:
    from casetracker.documents.pdf import ConversionStopped

    [motion, *_] = make_consented(sqlite_db)
    out = tmp_path / "stopped.pdf"
    with pytest.raises(ConversionStopped):
        generate(
            sqlite_db, Request(motion_id=motion.motion_id), out, "clerk", should_stop=lambda: True
        )
    assert list(tmp_path.glob("*stopped*")) == []
