"""The schema revision this code expects, known without loading Alembic: start-up reads the
stored revision with one query and loads Alembic only when an upgrade is due.
A test keeps this equal to the newest migration."""

from __future__ import annotations

from sqlalchemy import Engine, exc, text

SCHEMA_REVISION = "0021_kind_sort_index"


def schema_is_current(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except exc.DBAPIError:
        # No version table yet, or not a database at all: the full upgrade path says which.
        return False
    return stored == SCHEMA_REVISION
