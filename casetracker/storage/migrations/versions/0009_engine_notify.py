"""PostgreSQL tells listening windows about every committed change: each table a desk shows
gets a statement trigger that NOTIFYs casetracker_changes (one notification per transaction
and table, delivered at commit), so another user's change shows without pressing F5.
SQLite needs nothing: a window there reads PRAGMA data_version.

Revision ID: 0009_engine_notify
Revises: 0014_screening
"""

from __future__ import annotations

from alembic import op

revision = "0009_engine_notify"
down_revision = "0014_screening"
branch_labels = None
depends_on = None

TABLES = (
    "motion",
    "person",
    "person_flag",
    "court_case",
    "charge",
    "court_list",
    "community_event",
    "setting",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION casetracker_notify_change() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('casetracker_changes', TG_TABLE_NAME);
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify_change AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION casetracker_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_change ON {table}")
    op.execute("DROP FUNCTION IF EXISTS casetracker_notify_change()")
