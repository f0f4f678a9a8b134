"""Indexes that every imported row paid for and few queries use.

Columns most rows leave empty (a new motion's court date, prosecutor, screening result,
community event, court list, sealing deadline; a history entry's group; a case's docket or
summons number, whichever it lacks) are indexed only where they have a value. The indexes on
motion.kind (two values), charge.section and motion_event.to_stage (no query starts from
them) go. Together about a fifth of the database's work in a 100,000-row import.

Revision ID: 0007_sparse_indexes
Revises: 0006_person_name_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_sparse_indexes"
down_revision = "0006_person_name_index"
branch_labels = None
depends_on = None

SPARSE = {
    "motion": [
        "event_id",
        "screening_result",
        "assigned_prosecutor",
        "court_date",
        "court_list_id",
        "sealing_deadline",
    ],
    "court_case": ["docket", "summons_number"],
    "motion_event": ["group_id"],
}
DROPPED = [("motion", "kind"), ("charge", "section"), ("motion_event", "to_stage")]


def upgrade() -> None:
    for table, columns in SPARSE.items():
        for name in columns:
            where = sa.column(name).is_not(None)
            op.drop_index(f"ix_{table}_{name}", table_name=table)
            op.create_index(
                f"ix_{table}_{name}", table, [name], sqlite_where=where, postgresql_where=where
            )
    for table, name in DROPPED:
        op.drop_index(f"ix_{table}_{name}", table_name=table)


def downgrade() -> None:
    for table, name in DROPPED:
        op.create_index(f"ix_{table}_{name}", table, [name])
    for table, columns in SPARSE.items():
        for name in columns:
            op.drop_index(f"ix_{table}_{name}", table_name=table)
            op.create_index(f"ix_{table}_{name}", table, [name])
