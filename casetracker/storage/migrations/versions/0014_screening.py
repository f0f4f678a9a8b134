"""The date a screening was made as of, so a stored result says which laws applied.

Motions screened before this revision keep no date (NULL): they were screened by the rules
in force when the screening ran, which the stored rule-set version names.

Revision ID: 0014_screening
Revises: 0016_records
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_screening"
down_revision = "0016_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("motion") as batch:
        batch.add_column(sa.Column("screening_as_of", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("motion") as batch:
        batch.drop_column("screening_as_of")
