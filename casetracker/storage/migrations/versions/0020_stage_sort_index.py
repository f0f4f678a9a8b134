"""The desk's sorts by stage and next step read an index on SQLite and PostgreSQL alike.

They order by the pipeline order of the stage (domain.models.STAGE_ORDER), a CASE over the
stage. The query bound its values as parameters, so SQLite, which has no index of it, sorted
every motion in a temporary b-tree, and PostgreSQL's index of it (0018_pg_desk_sort) served
only a query planned with those values. The query now writes the values into the SQL, and this
index holds exactly that expression, then id (the desk's tie-break) and the stage itself, so
the sort reads the index alone on both. Nothing is stored: the order cannot drift from the
stage. The stages are frozen here as they were at this revision; a migration that adds a stage
makes the index again (tests/storage/test_stage_sort.py fails until it does), and so must
a SQLite batch migration of motion (SQLite's reflection, which batch mode rebuilds the table
from, leaves expression indexes out).

Revision ID: 0020_stage_sort_index
Revises: 0019_desk_sort_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.elements import Grouping

revision = "0020_stage_sort_index"
down_revision = "0019_desk_sort_indexes"
branch_labels = None
depends_on = None

INDEX = "ix_motion_stage_sort"
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


def _stage_order() -> sa.ColumnElement[int]:
    return sa.case(
        *(
            (sa.literal(stage, literal_execute=True), sa.literal(n, literal_execute=True))
            for n, stage in enumerate(STAGES)
        ),
        value=sa.column("stage"),
    )


def upgrade() -> None:
    # 0018's PostgreSQL index of the same order, spelt with casts the query never matched.
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    # In parentheses: PostgreSQL takes an expression in an index only so.
    order = Grouping(_stage_order())
    op.create_index(INDEX, "motion", [order, sa.column("id"), sa.column("stage")])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="motion")
    if op.get_bind().dialect.name == "postgresql":
        order = " ".join(f"WHEN '{stage}'::text THEN {n}" for n, stage in enumerate(STAGES))
        op.execute(f"CREATE INDEX {INDEX} ON motion ((CASE stage {order} END), id)")
