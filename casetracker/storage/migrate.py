"""Schema upgrades at start-up. An existing SQLite file is copied (online backup) first, so a
failed upgrade never costs the office its data."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, exc, inspect, text

from casetracker.domain.errors import StorageError
from casetracker.paths import package_path

log = logging.getLogger(__name__)


# The text-search indexes over motion_search (SQLite's FTS5 table and its shadow tables,
# PostgreSQL's trigram index) are made by migration 0002_desk, not by a model, so schema
# comparisons must not count them as strays.
FTS_TABLE_PREFIX = "motion_fts"
TRIGRAM_INDEX = "ix_motion_search_doc_trgm"
# Made by migrations on PostgreSQL only, so not in the models (0002_desk; 0018_pg_desk_sort's
# sort indexes are on SQLite too since 0019, 0020 and 0021, all in the models).
POSTGRES_ONLY_INDEXES = frozenset({TRIGRAM_INDEX})
# Indexes of an expression: the server gives back its own spelling of the expression (casts
# added), so a schema comparison would call them different; the desk's plan tests check that
# the query reads them (tests/storage/test_stage_sort.py, test_postgres_plans.py).
EXPRESSION_INDEXES = frozenset({"ix_motion_stage_sort"})


def include_name(name: str | None, type_: str, _parents: object = None) -> bool:
    """Alembic's include_name hook: everything except the text-search and PostgreSQL-only
    indexes."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(FTS_TABLE_PREFIX)
    return not (type_ == "index" and name in POSTGRES_ONLY_INDEXES)


def include_object(
    _object: object, name: str | None, type_: str, _reflected: bool, _compare_to: object
) -> bool:
    """Alembic's include_object hook: everything except the expression indexes, on either
    side of a comparison."""
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(package_path("storage", "migrations")))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> Path | None:
    """Bring the schema to the newest revision; return the backup made, if any."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    if current is None:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        if tables:
            raise StorageError(
                "This database already holds tables that casetracker did not create; "
                "choose an empty database or a casetracker database."
            )
    if current is not None and engine.dialect.name == "postgresql" and not _may_migrate(engine):
        raise _needs_owner(engine, current, head)
    backup = None
    if current is not None and engine.dialect.name == "sqlite" and engine.url.database:
        backup = backup_sqlite(Path(engine.url.database), current)
        log.info("backed up database before upgrade from %s to %s: %s", current, head, backup)
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Building an index on a large office may take longer than a desk's query may.
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except exc.ProgrammingError as error:
            if "must be owner" in str(error) or "permission denied" in str(error):
                raise _needs_owner(engine, current, head) from None
            raise
    return backup


def _may_migrate(engine: Engine) -> bool:
    """Whether the connected PostgreSQL role owns the schema's tables (or is a member of
    the role that does, or a superuser): only such a role can migrate them. The app role
    that `db setup-postgres` makes owns nothing, on purpose."""
    with engine.connect() as connection:
        return bool(
            connection.execute(
                text(
                    "SELECT coalesce(bool_and(pg_has_role(current_user, tableowner, 'MEMBER')),"
                    " true) FROM pg_tables WHERE schemaname = current_schema()"
                )
            ).scalar()
        )


def _needs_owner(engine: Engine, current: str | None, head: str) -> StorageError:
    return StorageError(
        f"The database's schema is out of date (revision {current}; this version needs "
        f"{head}) and the role {engine.url.username or '?'} cannot change it: run "
        "'main.py db migrate --db OWNER_URL' as the owner role (the migrations address "
        "db setup-postgres printed), then start again."
    )


def backup_sqlite(path: Path, revision: str) -> Path:
    """The online backup made before an upgrade from `revision` (all or nothing)."""
    from casetracker.storage.backup import BEFORE_UPGRADE, make_backup

    return make_backup(path, kind=BEFORE_UPGRADE)
