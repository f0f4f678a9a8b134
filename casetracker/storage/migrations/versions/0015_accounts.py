"""Accounts, the audit log and the tamper-evident chain over history and audit rows.

`user_account` holds the people who may sign in; `audit_entry` who did or saw what. Both
`audit_entry` and `audit_chain` are append-only, enforced by triggers as `motion_event` is.
Triggers queue every new history and audit row in `audit_chain_pending`; the unit of work that
wrote them chains them before it commits (storage.chain). The history already stored is queued
as a backfill, chained by the first unit of work that writes after the upgrade.

Revision ID: 0015_accounts
Revises: 0008_dispositions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from casetracker.domain.column_types import UTCDateTime

revision = "0015_accounts"
down_revision = "0008_dispositions"
branch_labels = None
depends_on = None

_SOURCES = (("motion_event", "history"), ("audit_entry", "audit"))


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(100), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_at", UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("password_set_at", UTCDateTime(), nullable=False),
        sa.Column("last_sign_in_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_entry_at", "audit_entry", ["at"])
    op.create_index("ix_audit_entry_user", "audit_entry", ["user"])
    op.create_table(
        "audit_chain",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("chained_at", UTCDateTime(), nullable=False),
        sa.Column("backfill", sa.Boolean(), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_audit_chain_row", "audit_chain", ["source", "row_id"], unique=True)
    op.create_table(
        "audit_chain_pending",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("backfill", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _sqlite_triggers()
    else:
        _postgres_triggers()
    op.execute(
        "INSERT INTO audit_chain_pending (source, row_id, backfill) "
        "SELECT 'history', id, TRUE FROM motion_event ORDER BY id"
    )


def _sqlite_triggers() -> None:
    for table in ("audit_entry", "audit_chain"):
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    for table, source in _SOURCES:
        op.execute(
            f"CREATE TRIGGER {table}_chain_queue AFTER INSERT ON {table} "
            "BEGIN INSERT INTO audit_chain_pending (source, row_id, backfill) "
            f"VALUES ('{source}', NEW.id, 0); END"
        )


def _postgres_triggers() -> None:
    # casetracker_history_append_only() was made by 0001_initial_schema.
    for table in ("audit_entry", "audit_chain"):
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION casetracker_history_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION casetracker_history_append_only()"
        )
    for table, source in _SOURCES:
        op.execute(
            f"CREATE FUNCTION casetracker_chain_queue_{source}() RETURNS trigger AS $$ "
            "BEGIN INSERT INTO audit_chain_pending (source, row_id, backfill) "
            f"VALUES ('{source}', NEW.id, FALSE); RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_chain_queue AFTER INSERT ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION casetracker_chain_queue_{source}()"
        )


def downgrade() -> None:
    raise RuntimeError("casetracker never downgrades; restore a backup from the backups folder")
