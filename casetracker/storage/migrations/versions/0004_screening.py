"""Screening and decisions: versioned eligibility rules, the office's reason codes (empty
until the office edits them: the defaults live in casetracker/decisions/reason_codes.py), and
the "proceed although expunged by law" choice on a motion.

Revision ID: 0004_screening
Revises: 0002_desk
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_screening"
down_revision = "0002_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=60), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("saved_by", sa.String(length=100), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version"),
    )
    op.create_table(
        "reason_code",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column(
            "decision",
            sa.Enum("consent", "oppose", "info", name="decision", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    # A plain ADD COLUMN: a batch rebuild of motion would trip the history's foreign keys.
    op.add_column(
        "motion",
        sa.Column("proceed_if_expunged", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("motion") as batch:
        batch.drop_column("proceed_if_expunged")
    op.drop_table("reason_code")
    op.drop_table("rule_set")
