"""An office on PostgreSQL: a statement that runs too long ends with one line, and an import
tells the listening desks once per transaction, not once per row."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from casetracker.devtools.fakelist import write_fake_list
from casetracker.domain.errors import StorageError
from casetracker.storage.db import open_database
from casetracker.storage.watch import CHANNEL
from tests.storage.cli_runner import cli

pytestmark = pytest.mark.postgres


def test_a_statement_past_the_time_limit_ends_with_one_line(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASETRACKER_STATEMENT_TIMEOUT", "0.3")
    db = open_database(pg_url)
    try:
        started = time.monotonic()
        with pytest.raises(StorageError) as raised, db.reading() as session:
            session.execute(text("SELECT pg_sleep(5)"))
        assert time.monotonic() - started < 4  # stopped by the server, not waited out
        message = str(raised.value)
        assert "took longer than 0.3 s" in message
        assert "narrow the search or filter" in message and "\n" not in message
        # The connection is good for the next request.
        with db.reading() as session:
            assert session.execute(text("SELECT 1")).scalar() == 1
        # An import (a bulk load) shows progress and is not limited.
        with db.unit_of_work(bulk_load=True) as session:
            session.execute(text("SELECT pg_sleep(0.6)"))
    finally:
        db.dispose()


def test_desks_do_not_pay_for_jit_compiling(pg_url: str) -> None:
    """PostgreSQL's JIT compiled the prosecutor's queue read (150 ms and more of its time at
    100,000 motions) to save less than that: every connection of the app turns it off."""
    db = open_database(pg_url)
    try:
        with db.reading() as session:
            assert session.execute(text("SHOW jit")).scalar() == "off"
        with db.unit_of_work(bulk_load=True) as session:
            assert session.execute(text("SHOW jit")).scalar() == "off"
    finally:
        db.dispose()


def test_the_time_limit_must_be_a_number_of_seconds(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASETRACKER_STATEMENT_TIMEOUT", "soon")
    with pytest.raises(StorageError, match="CASETRACKER_STATEMENT_TIMEOUT is 'soon'"):
        open_database(pg_url)


def test_an_import_notifies_listening_desks_once_per_table_not_per_row(
    pg_url: str, tmp_path: Path
) -> None:
    import psycopg

    open_database(pg_url).dispose()  # the schema, with its notifying triggers
    listener = psycopg.connect(
        make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False),
        autocommit=True,
    )
    try:
        listener.execute(f"LISTEN {CHANNEL}")
        rows = 3000
        path = tmp_path / "warrants.xlsx"
        write_fake_list(path, rows)
        result = cli("import", str(path), "--db", pg_url, "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.splitlines()[-1])["imported"] > rows * 0.9
        received = [n.payload for n in listener.notifies(timeout=2.0)]
    finally:
        listener.close()
    assert {"motion", "person", "court_case"} <= set(received)
    # One notice per table a transaction wrote (the import is one transaction): thousands of
    # rows in, a handful of notices out.
    assert max(Counter(received).values()) <= 2, received
    assert len(received) <= 20, received
