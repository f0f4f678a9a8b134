"""Setting up a shared PostgreSQL database with two roles (`casetracker db setup-postgres`).

- The owner role owns every table: migrations run as it (`casetracker db migrate`).
- The app role is what every workstation connects as. It owns nothing, so it cannot drop or
  alter a table, nor `ALTER TABLE ... DISABLE TRIGGER` (only an owner or a superuser can),
  and it has no UPDATE, DELETE or TRUNCATE on the history, the audit log or its chain: the
  append-only triggers are a second wall, not the only one.

Run once by a database administrator (a role with CREATEROLE, usually `postgres`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

from casetracker.domain.errors import InvalidValueError, StorageError
from casetracker.storage.db import create_db_engine, describe, open_database, resolve_url

# Rows the app only ever adds: no UPDATE, DELETE or TRUNCATE for the app role.
APPEND_ONLY = ("motion_event", "audit_entry", "audit_chain")
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True)
class PostgresSetup:
    owner_url: URL
    app_url: URL


def _role_name(name: str) -> str:
    # Role names go into DDL, which takes no parameters: only plain lower-case names.
    if not name or not set(name) <= _NAME_CHARS or name[0].isdigit() or len(name) > 63:
        raise InvalidValueError(
            f"'{name}' cannot be a role name here: use lower-case letters, digits and _."
        )
    return name


def setup_postgres(
    admin_url: str,
    *,
    owner: str = "casetracker_owner",
    app: str = "casetracker_app",
    owner_password: str | None = None,
    app_password: str | None = None,
) -> PostgresSetup:
    """Create (or update) both roles, make the owner own the database's schema, bring the
    schema up to date as the owner, and grant the app role what it needs and no more."""
    url = resolve_url(admin_url)
    if url.get_backend_name() != "postgresql":
        raise InvalidValueError("setup-postgres needs a postgresql:// URL of the database.")
    owner, app = _role_name(owner), _role_name(app)
    owner_password = owner_password or secrets.token_urlsafe(24)
    app_password = app_password or secrets.token_urlsafe(24)
    database = url.database
    if not database:
        raise InvalidValueError("The URL must name the database (postgresql://HOST/NAME).")
    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            _make_role(connection, owner, owner_password)
            _make_role(connection, app, app_password)
            quoted_db = connection.dialect.identifier_preparer.quote(database)
            connection.execute(text(f"GRANT CONNECT, TEMPORARY ON DATABASE {quoted_db} TO {app}"))
            connection.execute(text(f"GRANT ALL ON DATABASE {quoted_db} TO {owner}"))
            connection.execute(text(f"ALTER SCHEMA public OWNER TO {owner}"))
            # Before PostgreSQL 15 every role could create tables in public.
            connection.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
            # Tables made before the roles existed (a database used with one role so far).
            _give_tables_to(connection, owner)
    except Exception as error:
        raise StorageError(f"Cannot set up {describe(url)}: {str(error).splitlines()[0]}") from None
    finally:
        engine.dispose()
    owner_url = url.set(username=owner, password=owner_password)
    app_url = url.set(username=app, password=app_password)
    # The schema, as the owner: every table it makes is the owner's.
    open_database(owner_url.render_as_string(hide_password=False)).dispose()
    owner_engine = create_db_engine(owner_url)
    try:
        with owner_engine.begin() as connection:
            grant_app_role(connection, app)
    finally:
        owner_engine.dispose()
    return PostgresSetup(owner_url, app_url)


def _make_role(connection: Connection, name: str, password: str) -> None:
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
    ).first()
    verb = "ALTER" if exists else "CREATE"
    # PASSWORD takes no bind parameter either; the literal is quoted by the driver's rules.
    literal = "'" + password.replace("'", "''") + "'"
    connection.execute(
        text(
            f"{verb} ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
            f"NOBYPASSRLS PASSWORD {literal}"
        )
    )


def _give_tables_to(connection: Connection, owner: str) -> None:
    for kind, query in (
        ("TABLE", "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"),
        ("SEQUENCE", "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"),
    ):
        for (name,) in connection.execute(text(query)):
            quoted = connection.dialect.identifier_preparer.quote(name)
            connection.execute(text(f"ALTER {kind} public.{quoted} OWNER TO {owner}"))
    for (name,) in connection.execute(
        text(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.proname LIKE 'casetracker_%'"
        )
    ):
        connection.execute(text(f"ALTER FUNCTION public.{name}() OWNER TO {owner}"))


def grant_app_role(connection: Connection, app: str) -> None:
    """What the app role may do, run as the owner (after every migration, so new tables are
    covered too)."""
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {app}"))
    connection.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}")
    )
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}"))
    for table in APPEND_ONLY:
        connection.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {app}"))
    connection.execute(text(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {app}"))
    connection.execute(
        text(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE "
            f"ON TABLES TO {app}"
        )
    )
    connection.execute(
        text(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {app}")
    )
