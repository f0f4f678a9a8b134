"""The schema revision this code expects, known without loading Alembic: start-up reads the
stored revision with one query and loads Alembic only when an upgrade is due.
A test keeps this equal to the newest migration."""

from __future__ import annotations

from sqlalchemy import Engine, exc, inspect, text

SCHEMA_REVISION = "0022_pg_statement_queue_triggers"


def schema_is_current(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            # Asked first, not learnt from a failed query: that error's traceback would keep
            # the caller's frames, and all an import holds in them, for the collector.
            if not inspect(connection).has_table("alembic_version"):
                return False
            stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except exc.DBAPIError:
        # Not a database at all: the full upgrade path says so.
        return False
    return stored == SCHEMA_REVISION
