"""The store: where it lives, how it opens, migrations and backups, and the append-only history."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import exc, text

from casetracker.domain.errors import StorageError
from casetracker.domain.models import Base
from casetracker.storage.db import Database, open_database, resolve_url
from casetracker.storage.migrate import (
    backup_sqlite,
    current_revision,
    head_revision,
    include_name,
    include_object,
)
from tests.core.helpers import make_motion

FROZEN = Path(__file__).resolve().parent.parent / "data"


def test_default_database_is_a_file_in_the_user_data_folder(tmp_path: Path) -> None:
    url = resolve_url(None)
    assert url.get_backend_name() == "sqlite"
    assert Path(url.database or "").parent == tmp_path / "userdata" / "database"


def test_db_option_wins_over_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CASETRACKER_DB", "sqlite:///from-env.sqlite")
    assert resolve_url(None).database == "from-env.sqlite"
    assert resolve_url(str(tmp_path / "given.sqlite")).database == str(tmp_path / "given.sqlite")
    assert resolve_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


def test_bad_url_is_a_clear_error() -> None:
    with pytest.raises(StorageError, match="is not a database URL"):
        resolve_url("nonsense://::")


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is a spreadsheet, not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(StorageError, match="damaged or is not a casetracker database"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_a_foreign_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("create table invoices (id integer)")
    with pytest.raises(StorageError, match="tables that casetracker did not create"):
        open_database(str(path))


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as session:
        assert session.execute(text("pragma journal_mode")).scalar() == "wal"
        assert session.execute(text("pragma foreign_keys")).scalar() == 1
        with pytest.raises(exc.IntegrityError):
            session.execute(
                text(
                    "insert into charge (case_id, position, as_typed) values (999999, 0, 'PL 221.05')"
                )
            )


def test_migrated_schema_matches_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": False,
                "include_name": include_name,
                "include_object": include_object,
            },
        )
        assert compare_metadata(context, Base.metadata) == []
    assert current_revision(db.engine) == head_revision()


@pytest.mark.parametrize(
    "statement", ["update motion_event set reason = 'rewritten'", "delete from motion_event"]
)
def test_history_cannot_be_rewritten_or_deleted(db: Database, statement: str) -> None:
    make_motion(db)
    with pytest.raises(exc.DatabaseError, match="append-only"), db.unit_of_work() as session:
        session.execute(text(statement))
    with db.unit_of_work() as session:
        assert session.execute(text("select count(*) from motion_event")).scalar() == 1


def test_each_released_schema_upgrades_and_keeps_its_data(tmp_path: Path) -> None:
    frozen = sorted(FROZEN.glob("schema_*.sqlite"))
    assert frozen, "frozen databases of released schemas are missing"
    for source in frozen:
        copy = tmp_path / source.name
        shutil.copy(source, copy)
        with sqlite3.connect(copy) as connection:
            motions = connection.execute("select count(*) from motion").fetchone()[0]
            events = connection.execute("select count(*) from motion_event").fetchone()[0]
        db = open_database(str(copy))
        try:
            assert current_revision(db.engine) == head_revision()
            with db.unit_of_work() as session:
                assert session.execute(text("select count(*) from motion")).scalar() == motions
                assert session.execute(text("select count(*) from motion_event")).scalar() == events
        finally:
            db.dispose()


def test_online_backup_is_consistent_while_another_writer_is_open(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite"
    db = open_database(str(path))
    make_motion(db)
    writer = sqlite3.connect(path)
    writer.execute("begin")
    writer.execute(
        "insert into setting (key, value, updated_by, updated_at) values ('x', '{}', 'u', '2026-01-01')"
    )
    try:
        backup = backup_sqlite(path, "0001")
    finally:
        writer.rollback()
        writer.close()
        db.dispose()
    with sqlite3.connect(backup) as connection:
        assert connection.execute("select count(*) from motion").fetchone()[0] == 1
        assert connection.execute("select count(*) from setting where key = 'x'").fetchone()[0] == 0
    assert backup.parent == tmp_path / "backups"


def test_start_up_revision_constant_is_the_newest_migration() -> None:
    from casetracker.storage.schema_version import SCHEMA_REVISION

    assert head_revision() == SCHEMA_REVISION


def test_opening_a_current_database_does_not_load_alembic(sqlite_url: str) -> None:
    import subprocess
    import sys

    open_database(sqlite_url).dispose()
    script = (
        "import sys\n"
        "from casetracker.storage.db import open_database\n"
        f"open_database({sqlite_url!r}).dispose()\n"
        "sys.exit(1 if 'alembic' in sys.modules else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", script], timeout=60).returncode == 0
