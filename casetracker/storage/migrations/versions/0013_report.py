"""An index of the undo rows of the history, so a report finds the undos in a moment.

Which actions an undo took back is asked by every weekly report and by the dashboard; without
an index that is a scan of the whole history. Only undo rows have `undoes_group`, so the
index holds only them and costs nothing to the rows an import writes.

Revision ID: 0013_report
Revises: 0015_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_report"
down_revision = "0015_accounts"
branch_labels = None
depends_on = None

_HAS_VALUE = sa.text("undoes_group IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_motion_event_undoes_group",
        "motion_event",
        ["undoes_group"],
        sqlite_where=_HAS_VALUE,
        postgresql_where=_HAS_VALUE,
    )


def downgrade() -> None:
    op.drop_index("ix_motion_event_undoes_group", table_name="motion_event")
