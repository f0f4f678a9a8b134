"""The audit chain links a unit of work's rows in blocks: one link for up to a few thousand
history or audit rows, with each row's keyed digest listed in the link (so a row is still
verified on its own, and `audit verify` still names it), instead of one link per row. An
import of 100,000 rows now adds 20 links, not 100,000. Links made before stay as they are
and verify as before.

Revision ID: 0017_chain_links
Revises: 0009_engine_notify
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_chain_links"
down_revision = "0009_engine_notify"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: audit_chain is append-only, and a batch rebuild would copy it.
    op.add_column("audit_chain", sa.Column("last_row_id", sa.Integer(), nullable=True))
    op.add_column("audit_chain", sa.Column("digests", sa.Text(), nullable=True))


def downgrade() -> None:
    raise RuntimeError("casetracker never downgrades; restore a backup from the backups folder")
