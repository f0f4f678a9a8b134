"""The tamper-evident chain over history and audit rows: `audit verify` passes an intact
database and names the first row edited, deleted or inserted behind the app's back, on SQLite
and on PostgreSQL (where the test, as the tables' owner, turns the app's triggers off as an
attacker with that power would)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from casetracker.accounts import audit
from casetracker.devtools.demo import generate_demo
from casetracker.devtools.fakelist import write_fake_list
from casetracker.domain.clock import utcnow
from casetracker.importing.plan import ImportOptions
from casetracker.importing.reader import open_source
from casetracker.importing.service import run_import
from casetracker.storage import chain_key
from casetracker.storage.chain import BLOCK, SOURCE_TABLES, _rows, canonical, verify_chain
from casetracker.storage.db import Database


def _fill(db: Database) -> None:
    with db.unit_of_work() as session:
        for _ in generate_demo(session, people=15, seed=7):
            pass
    for n in range(5):
        with db.unit_of_work() as session:
            audit.record(session, "ada", audit.SEARCH, query=f"smith {n}", rows=n)


def _verify(db: Database) -> tuple[bool, str]:
    with db.unit_of_work():
        pass  # what `audit verify` does first: chain anything still queued
    with db.reading() as session:
        result = verify_chain(session)
    return result.ok, result.message


@contextmanager
def _behind_the_apps_back(db: Database, table: str) -> Iterator[object]:
    """A connection with the table's append-only and queueing triggers off."""
    with db.engine.begin() as connection:
        if db.is_sqlite:
            saved = connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name=:t"),
                {"t": table},
            ).all()
            for name, _sql in saved:
                connection.execute(text(f'DROP TRIGGER "{name}"'))
            yield connection
            for _name, sql in saved:
                connection.execute(text(sql))
        else:
            connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            yield connection
            connection.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))


def test_an_untouched_database_verifies(db: Database) -> None:
    _fill(db)
    ok, message = _verify(db)
    assert ok, message
    assert "rows verified" in message


def test_the_key_file_is_readable_by_its_owner_only(db: Database) -> None:
    _fill(db)
    mode = stat.S_IMODE(os.stat(chain_key.key_path()).st_mode)
    if os.name == "posix":
        assert mode == 0o600


@pytest.mark.parametrize("table", ["motion_event", "audit_entry"])
def test_an_edited_row_is_named(db: Database, table: str) -> None:
    _fill(db)
    with db.engine.connect() as connection:
        victim = connection.execute(text(f"SELECT min(id) + 3 FROM {table}")).scalar_one()
    column = "reason" if table == "motion_event" else "target"
    with _behind_the_apps_back(db, table) as connection:
        connection.execute(  # type: ignore[attr-defined]
            text(f"UPDATE {table} SET {column} = 'rewritten' WHERE id = :id"), {"id": victim}
        )
    ok, message = _verify(db)
    assert not ok
    kind = "History" if table == "motion_event" else "Audit"
    assert message.startswith(f"{kind} row {victim} ")
    assert "was changed" in message


def test_a_deleted_row_is_named(db: Database) -> None:
    _fill(db)
    with db.engine.connect() as connection:
        victim = connection.execute(text("SELECT max(id) - 2 FROM motion_event")).scalar_one()
    with _behind_the_apps_back(db, "motion_event") as connection:
        connection.execute(  # type: ignore[attr-defined]
            text("DELETE FROM motion_event WHERE id = :id"), {"id": victim}
        )
    ok, message = _verify(db)
    assert not ok
    assert message.startswith(f"History row {victim} was removed")


def test_a_row_inserted_without_the_triggers_is_named(db: Database) -> None:
    _fill(db)
    with _behind_the_apps_back(db, "audit_entry") as connection:
        connection.execute(  # type: ignore[attr-defined]
            text(
                'INSERT INTO audit_entry (id, at, "user", action, target, detail) '
                "VALUES (900000, :at, 'mallory', 'search', NULL, '{}')"
            ),
            {"at": utcnow().replace(tzinfo=None) if db.is_sqlite else utcnow()},
        )
    ok, message = _verify(db)
    assert not ok
    assert message.startswith("Audit row 900000 (search by mallory")
    assert "not in the audit chain" in message


def test_a_back_dated_row_inserted_with_the_triggers_on_is_named(db: Database) -> None:
    _fill(db)
    at = utcnow() - timedelta(days=30)
    with db.engine.begin() as connection:
        connection.execute(
            text(
                'INSERT INTO audit_entry (at, "user", action, target, detail) '
                "VALUES (:at, 'mallory', 'search', NULL, '{}')"
            ),
            {"at": at.replace(tzinfo=None) if db.is_sqlite else at},
        )
    # The next unit of work chains it, as it would any row written outside one.
    ok, message = _verify(db)
    assert not ok
    assert "search by mallory" in message and "inserted out of order" in message


def test_a_removed_chain_link_is_named(db: Database) -> None:
    _fill(db)
    with db.engine.connect() as connection:
        victim = connection.execute(text("SELECT max(seq) - 2 FROM audit_chain")).scalar_one()
    with _behind_the_apps_back(db, "audit_chain") as connection:
        connection.execute(  # type: ignore[attr-defined]
            text("DELETE FROM audit_chain WHERE seq = :seq"), {"seq": victim}
        )
    ok, message = _verify(db)
    assert not ok
    assert message.startswith(f"Link {victim} of the audit chain was removed")


def test_a_chain_link_with_rewritten_digests_is_named(db: Database) -> None:
    """Changing a row and its digest in the link together is caught by the link's HMAC."""
    _fill(db)
    with db.engine.connect() as connection:
        seq, digests = connection.execute(
            text("SELECT seq, digests FROM audit_chain WHERE source = 'history' ORDER BY seq")
        ).first()  # type: ignore[misc]
    first, rest = digests.split(" ", 1)
    row_id, digest = first.split(":")
    forged = f"{row_id}:{'0' * len(digest)} {rest}"
    with _behind_the_apps_back(db, "audit_chain") as connection:
        connection.execute(  # type: ignore[attr-defined]
            text("UPDATE audit_chain SET digests = :d WHERE seq = :seq"), {"d": forged, "seq": seq}
        )
    ok, message = _verify(db)
    assert not ok
    assert message.startswith(f"Link {seq} of the audit chain (which covers history rows")
    assert "was changed" in message


def _import_big_list(db: Database, path: Path, rows: int) -> None:
    write_fake_list(path, rows, seed=21)
    with db.unit_of_work(bulk_load=True) as session:
        run_import(session, open_source(path), ImportOptions(), "tester")


@pytest.mark.parametrize("harm", ["edit", "delete", "insert"])
def test_a_row_inside_a_big_import_is_named(db: Database, tmp_path: Path, harm: str) -> None:
    """An import's history is chained in blocks, and a row in the middle of one is still
    named on its own: changed, removed, or slipped in behind the app's back."""
    _import_big_list(db, tmp_path / "list.xlsx", BLOCK + 1500)
    with db.engine.connect() as connection:
        links = connection.execute(
            text("SELECT count(*) FROM audit_chain WHERE source = 'history'")
        ).scalar_one()
        low, high = connection.execute(text("SELECT min(id), max(id) FROM motion_event")).one()
    assert high - low + 1 > BLOCK
    assert links == 2  # one link per block, not one per row
    ok, message = _verify(db)
    assert ok, message
    victim = low + BLOCK // 2 + 17
    with _behind_the_apps_back(db, "motion_event") as connection:
        if harm == "edit":
            sql = "UPDATE motion_event SET reason = 'rewritten' WHERE id = :id"
        elif harm == "delete":
            sql = "DELETE FROM motion_event WHERE id = :id"
        else:
            sql = (
                'INSERT INTO motion_event (motion_id, at, "user", action, from_stage, to_stage, '
                "reason, changes) SELECT motion_id, at, 'mallory', action, from_stage, "
                "to_stage, reason, changes FROM motion_event WHERE id = :id"
            )
        connection.execute(text(sql), {"id": victim})  # type: ignore[attr-defined]
        if harm == "insert":
            victim = connection.execute(  # type: ignore[attr-defined]
                text("SELECT max(id) FROM motion_event")
            ).scalar_one()
    ok, message = _verify(db)
    assert not ok
    assert message.startswith(f"History row {victim} ")
    expected = {"edit": "was changed", "delete": "was removed", "insert": "not in the audit chain"}
    assert expected[harm] in message


def test_audit_rows_cannot_be_changed_or_deleted_through_the_app_role(db: Database) -> None:
    _fill(db)
    for statement in (
        "UPDATE audit_entry SET action = 'x'",
        "DELETE FROM audit_entry",
        "DELETE FROM audit_chain",
        "UPDATE audit_chain SET mac = 'x'",
    ):
        with pytest.raises(Exception, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))


def test_another_computers_key_cannot_verify_or_extend(
    db: Database, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(db)
    monkeypatch.setenv(chain_key.ENV_VAR, str(chain_key.key_path()) + ".other")
    with db.unit_of_work() as session:
        audit.record(session, "ada", audit.SEARCH, query="x")
    with db.reading() as session:
        result = verify_chain(session)
    assert not result.ok
    assert "lacks the office's audit key" in result.message


def test_sqlite_makes_the_same_row_text_as_python(sqlite_db: Database) -> None:
    """On SQLite the chain has SQLite write each row's text: it must be canonical()'s text,
    or links made before (and rows checked either way) would not verify."""
    _fill(sqlite_db)
    with sqlite_db.unit_of_work() as session:
        audit.record(session, "ada", audit.SEARCH, query="Ñoño \u2028 'quoted' \"x\"", rows=0)
    with sqlite_db.reading() as session:
        for source, table in SOURCE_TABLES.items():
            ids = list(session.scalars(text(f"SELECT id FROM {table}")))
            assert ids
            by_sqlite = _rows(session, source, ids)
            for row_id, row in by_sqlite.items():
                assert row.content == canonical(row.names, row.values), row_id
