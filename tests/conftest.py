"""Every test runs with its own data folder, user name and database; nothing touches the
real user's files. `db` runs a test on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from casetracker.storage.db import Database, open_database

pytest_plugins = ["tests.support.postgres"]


def pytest_configure(config: pytest.Config) -> None:
    # Before any QApplication exists: tests never need a screen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASETRACKER_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setenv("CASETRACKER_USER", "tester")
    monkeypatch.delenv("CASETRACKER_DB", raising=False)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'casetracker.sqlite'}"


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    db = open_database(sqlite_url)
    yield db
    db.dispose()


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    """A brand-new PostgreSQL database for one test, dropped afterwards."""
    from tests.support.postgres import _create_database, _drop_database

    name = f"ct_{uuid.uuid4().hex[:12]}"
    url = _create_database(postgres_url, name)
    yield url
    _drop_database(postgres_url, name)


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    db = open_database(pg_url)
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on both databases the app supports."""
    fixture = "sqlite_db" if request.param == "sqlite" else "pg_db"
    return request.getfixturevalue(fixture)  # type: ignore[no-any-return]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran against the real PostgreSQL server, so the CI log shows it."""
    counts = {
        outcome: sum(
            1
            for report in terminalreporter.stats.get(outcome, [])
            if "postgres" in report.keywords
            and (outcome == "skipped" or getattr(report, "when", "call") == "call")
        )
        for outcome in ("passed", "failed", "skipped")
    }
    terminalreporter.write_line(
        "PostgreSQL tests: {passed} passed, {failed} failed, {skipped} skipped".format(**counts)
    )
