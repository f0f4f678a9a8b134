"""The desk's sort by kind reads an index on SQLite too.

0018_pg_desk_sort gave PostgreSQL an index of every motion by kind, then id (the desk's
order); 0019 gave SQLite the same for screening, prosecutor and court date, but not kind.
Without it SQLite read every wide motion row and sorted them in a temporary b-tree, about
190 ms at 100,000 motions, the slowest column of `bench desk` (target 150 ms); with it the
sort reads the index alone. The price is one index entry per imported motion.

Revision ID: 0021_kind_sort_index
Revises: 0020_stage_sort_index
"""

from __future__ import annotations

from alembic import op

revision = "0021_kind_sort_index"
down_revision = "0020_stage_sort_index"
branch_labels = None
depends_on = None

INDEX = "ix_motion_kind_sort"


def upgrade() -> None:
    # PostgreSQL has it since 0018.
    op.create_index(INDEX, "motion", ["kind", "id"], if_not_exists=True)


def downgrade() -> None:
    # PostgreSQL keeps 0018's.
    if op.get_bind().dialect.name != "postgresql":
        op.drop_index(INDEX, table_name="motion")
