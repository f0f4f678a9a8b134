"""Records staff can correct: what the intake and the edit dialogs ask that had no column, a
version on cases and community events (so a stale edit is refused), community events that can
be retired, the records' own append-only history, and notification attempts (several per motion).

Revision ID: 0016_records
Revises: 0009_engine
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_records"
down_revision = "0009_engine"
branch_labels = None
depends_on = None

_ENUM = {"native_enum": False, "length": 32}


def _sparse(table: str, name: str) -> None:
    where = sa.column(name).is_not(None)
    op.create_index(f"ix_{table}_{name}", table, [name], sqlite_where=where, postgresql_where=where)


def upgrade() -> None:
    # Plain ADD COLUMN (each has a constant default): a batch rebuild of court_case would
    # drop and re-make a table that motions and charges refer to.
    op.add_column(
        "person",
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("court_case", sa.Column("court", sa.String(120), nullable=True))
    op.add_column("court_case", sa.Column("defense_counsel", sa.String(120), nullable=True))
    for table in ("court_case", "community_event"):
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column(
        "community_event", sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("community_event", sa.Column("retired_by", sa.String(100), nullable=True))

    op.create_table(
        "record_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.String(36), nullable=False),
        sa.Column("undoes_group", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_record_event_entity", "record_event", ["entity", "entity_id"])
    for name in ("person_id", "case_id", "group_id"):
        _sparse("record_event", name)
    _make_append_only("record_event")

    op.create_table(
        "notification_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.Enum(name="notificationmethod", **_ENUM), nullable=True),
        sa.Column("attempted_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.Enum(name="notificationoutcome", **_ENUM), nullable=False),
        sa.Column("org", sa.String(120), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["motion_id"], ["motion.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notification_attempt_motion_id", "notification_attempt", ["motion_id"])


def _make_append_only(table: str) -> None:
    # As for motion_event (0001): a trigger, so no tool or script can rewrite the history.
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END"
            )
    else:
        # casetracker_history_append_only() was made by 0001 for motion_event.
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION casetracker_history_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION casetracker_history_append_only()"
        )


def downgrade() -> None:
    # Dropping record_event would destroy the append-only history; restore a backup instead.
    raise RuntimeError("casetracker never downgrades; restore a backup from the backups folder")
