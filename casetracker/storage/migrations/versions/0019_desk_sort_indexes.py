"""The desk's sorts by screening result, prosecutor and court date read an index on SQLite too.

0018_pg_desk_sort gave PostgreSQL an index of every motion by each of these columns, then id
(the desk's order). SQLite gets the same three: there a sort read every wide motion row, about
235 ms at 100,000 motions, the slowest column of `bench desk`; with the index it reads the
index alone, as fast as the person sort. The indexes of only the rows with a value
(0007_sparse_indexes) go on both: the sort index serves the same lookups. The price on SQLite
is one index entry per imported motion in each (empty values too), about 0.25 s of CPU per
100,000 motions imported.

Revision ID: 0019_desk_sort_indexes
Revises: 0018_pg_desk_sort
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_desk_sort_indexes"
down_revision = "0018_pg_desk_sort"
branch_labels = None
depends_on = None

# column -> the index 0018 named for it
SORTED = {
    "screening_result": "ix_motion_screening_sort",
    "assigned_prosecutor": "ix_motion_prosecutor_sort",
    "court_date": "ix_motion_court_date_sort",
}


def upgrade() -> None:
    for column, index in SORTED.items():
        op.drop_index(f"ix_motion_{column}", table_name="motion")
        # PostgreSQL has it since 0018.
        op.create_index(index, "motion", [column, "id"], if_not_exists=True)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for column, index in SORTED.items():
        if not postgresql:
            op.drop_index(index, table_name="motion")
        where = sa.column(column).is_not(None)
        op.create_index(
            f"ix_motion_{column}", "motion", [column], sqlite_where=where, postgresql_where=where
        )
