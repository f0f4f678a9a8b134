"""`db setup-postgres`: the app connects as a role that owns nothing, so it can neither turn
the history's triggers off nor rewrite the history, the audit log or its chain; the owner
role runs the migrations."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from casetracker.accounts import audit
from casetracker.storage.db import create_db_engine, open_database, resolve_url
from casetracker.storage.pg_setup import setup_postgres

pytestmark = pytest.mark.postgres


def test_the_app_role_cannot_disable_triggers_or_rewrite_history(pg_url: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"ct_owner_{suffix}", f"ct_app_{suffix}"
    done = setup_postgres(pg_url, owner=owner, app=app)
    admin = create_db_engine(resolve_url(pg_url))
    try:
        app_url = done.app_url.render_as_string(hide_password=False)
        db = open_database(app_url)
        try:
            with db.unit_of_work() as session:
                audit.record(session, "ada", audit.SEARCH, query="x")
            with db.reading() as session:
                assert session.execute(text("SELECT count(*) FROM audit_chain")).scalar() == 1
            for statement in (
                "ALTER TABLE motion_event DISABLE TRIGGER USER",
                "ALTER TABLE audit_entry DISABLE TRIGGER USER",
                "UPDATE audit_entry SET action = 'x'",
                "DELETE FROM audit_chain",
                "TRUNCATE motion_event",
                "DROP TABLE audit_entry",
                "CREATE TABLE mine (id int)",
            ):
                with (
                    pytest.raises(Exception, match="must be owner|permission denied"),
                    db.engine.begin() as connection,
                ):
                    connection.execute(text(statement))
        finally:
            db.dispose()
        with admin.connect() as connection:
            owners = set(
                connection.execute(
                    text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname='public'")
                ).scalars()
            )
        assert owners == {owner}
    finally:
        with admin.begin() as connection:
            for role in (owner, app):
                connection.execute(text(f"REASSIGN OWNED BY {role} TO CURRENT_USER"))
                connection.execute(text(f"DROP OWNED BY {role}"))
        with admin.begin() as connection:
            for role in (app, owner):
                connection.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


def test_role_names_that_are_not_plain_are_refused(pg_url: str) -> None:
    from casetracker.domain.errors import InvalidValueError

    with pytest.raises(InvalidValueError, match="cannot be a role name"):
        setup_postgres(pg_url, owner="x; DROP TABLE person", app="app")


def test_an_out_of_date_schema_opened_as_the_app_role_says_to_migrate_as_owner(
    pg_url: str,
) -> None:
    """The app role cannot migrate (it owns nothing): one line naming the command to run as
    the owner, instead of a database error; the owner's `db migrate` then brings it up."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from casetracker.domain.errors import StorageError
    from casetracker.storage.migrate import alembic_config, head_revision

    suffix = uuid.uuid4().hex[:8]
    owner, app = f"ct_owner_{suffix}", f"ct_app_{suffix}"
    done = setup_postgres(pg_url, owner=owner, app=app)
    admin = create_db_engine(resolve_url(pg_url))
    owner_url = done.owner_url.render_as_string(hide_password=False)
    try:
        older = ScriptDirectory.from_config(alembic_config()).get_revision(head_revision())
        owner_engine = create_db_engine(done.owner_url)
        try:
            with owner_engine.begin() as connection:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.downgrade(config, str(older.down_revision))
        finally:
            owner_engine.dispose()
        with pytest.raises(StorageError) as raised:
            open_database(done.app_url.render_as_string(hide_password=False))
        message = str(raised.value)
        assert "\n" not in message
        assert "main.py db migrate --db OWNER_URL" in message and app in message
        assert str(older.down_revision) in message
        open_database(owner_url).dispose()  # as the owner: migrated
        open_database(done.app_url.render_as_string(hide_password=False)).dispose()
    finally:
        with admin.begin() as connection:
            for role in (owner, app):
                connection.execute(text(f"REASSIGN OWNED BY {role} TO CURRENT_USER"))
                connection.execute(text(f"DROP OWNED BY {role}"))
        with admin.begin() as connection:
            for role in (app, owner):
                connection.execute(text(f"DROP ROLE {role}"))
        admin.dispose()
