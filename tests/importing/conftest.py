"""Shared helpers for the import tests: small fake lists and a database fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from casetracker.devtools.fakelist import FakeListStats, write_fake_list
from casetracker.domain.models import Base
from casetracker.storage.db import Database

REPO_ROOT = Path(__file__).resolve().parents[2]


def samples_dir() -> Path:
    """../shared/samples beside the repository (CI clones shared/ next to it)."""
    for base in (REPO_ROOT, *REPO_ROOT.parents):
        candidate = base.parent / "shared" / "samples"
        if candidate.is_dir():
            return candidate
    pytest.fail(f"the shared samples folder was not found beside {REPO_ROOT}")


def table_counts(db: Database) -> dict[str, int]:
    with db.unit_of_work() as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def fake_list(tmp_path: Path) -> tuple[Path, FakeListStats]:
    path = tmp_path / "warrants.xlsx"
    return path, write_fake_list(path, 400, seed=7)
