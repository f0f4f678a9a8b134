"""PostgreSQL: the desk's sort columns that lived on motion itself read their first page from
an index instead of sorting every motion (EXPLAIN showed a sequential scan of motion at
100,000 motions for each). Each index ends with the id, the desk's tie-break, so ORDER BY
column, id (either direction) walks it in order. Sorting by stage or next step orders by the
pipeline (services.desk.STAGE_ORDER), an expression the last index holds as the desk's query
spells it; tests/storage/test_postgres_plans.py checks the plans at 100,000 motions.

Only on PostgreSQL: on SQLite each index costs every imported row, and its sorts are
measured by `bench desk`.

Revision ID: 0018_pg_desk_sort
Revises: 0017_chain_links
"""

from __future__ import annotations

from alembic import op

revision = "0018_pg_desk_sort"
down_revision = "0017_chain_links"
branch_labels = None
depends_on = None

STAGES = (
    "intake",
    "verified",
    "screened",
    "info_needed",
    "consented",
    "opposed",
    "filed",
    "calendared",
    "granted",
    "denied",
    "sealed",
    "notified",
    "closed",
    "withdrawn",
)
STAGE_ORDER = (
    "(CASE stage "
    + " ".join(f"WHEN '{stage}'::text THEN {n}" for n, stage in enumerate(STAGES))
    + " END)"
)
INDEXES = {
    "ix_motion_kind_sort": "kind, id",
    "ix_motion_screening_sort": "screening_result, id",
    "ix_motion_prosecutor_sort": "assigned_prosecutor, id",
    "ix_motion_court_date_sort": "court_date, id",
    "ix_motion_stage_sort": f"{STAGE_ORDER}, id",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON motion ({columns})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
